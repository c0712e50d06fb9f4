"""Saved defaults: the settings page, and the composer starting from them."""

import pytest
from django.urls import reverse

from generation.models import Preferences
from generation.tests.factories import GenerationFactory
from testing.forms import defaults_form

pytestmark = pytest.mark.django_db

SAVED = defaults_form(
    style="anime", color="pastel", size="768", shape="portrait", quality="high", count="3"
)


def test_the_defaults_page_shows_the_products_defaults_before_any_are_saved(signed_in):
    page = signed_in.get(reverse("accounts:defaults")).content.decode()
    assert '<option value="cartoon" selected>' in page
    assert '<option value="512" selected>' in page


def test_saving_defaults_stores_them(signed_in, user):
    response = signed_in.post(reverse("accounts:defaults"), SAVED)

    assert response.status_code == 302
    assert Preferences.objects.get(user=user).as_dict() == {
        **SAVED,
        "size": 768,
        "count": 3,
    }


@pytest.mark.parametrize(
    "field, value", [("count", "9"), ("size", "300"), ("style", "oil-painting")]
)
def test_a_value_the_product_does_not_allow_is_a_form_error(signed_in, user, field, value):
    response = signed_in.post(reverse("accounts:defaults"), {**SAVED, field: value})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Preferences.objects.filter(user=user).exists()


def test_saved_defaults_preselect_the_composer(signed_in):
    signed_in.post(reverse("accounts:defaults"), SAVED)

    page = signed_in.get(reverse("generation:generate")).content.decode()
    for value in SAVED.values():
        assert f'<option value="{value}" selected>' in page


def test_a_past_jobs_settings_override_the_saved_defaults(signed_in, user):
    signed_in.post(reverse("accounts:defaults"), SAVED)
    job = GenerationFactory(user=user, style="comic")

    page = signed_in.get(reverse("generation:generate") + f"?from={job.pk}").content.decode()
    assert '<option value="comic" selected>' in page
    assert '<option value="vibrant" selected>' in page


def test_the_account_page_links_to_the_defaults(signed_in):
    page = signed_in.get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:defaults") in page
