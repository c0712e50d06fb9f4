"""Remix: a signed-in visitor opens the generator with a shared output's settings."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from generation.models import Kind
from generation.tests.factories import GenerationFactory, OutputFactory
from sharing.tests.factories import ShareFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_job():
    return GenerationFactory(
        prompt="an owl in a top hat",
        style="watercolor",
        color="pastel",
        width=768,
        height=768,
        quality="fast",
        count=3,
    )


def remix_query(client, share) -> dict:
    response = client.get(reverse("sharing:remix", args=[share.token]))
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert url.path == reverse("generation:generate")
    return {name: values[0] for name, values in parse_qs(url.query).items()}


def test_remix_carries_the_settings_but_not_a_hidden_prompt(client, user, shared_job):
    share = ShareFactory(output=OutputFactory(generation=shared_job))
    client.force_login(user)

    query = remix_query(client, share)

    assert query == {
        "kind": "image",
        "style": "watercolor",
        "color": "pastel",
        "size": "768",
        "shape": "square",
        "quality": "fast",
        "count": "3",
    }


def test_remix_carries_the_prompt_the_owner_shared(client, user, shared_job):
    share = ShareFactory(output=OutputFactory(generation=shared_job), show_prompt=True)
    client.force_login(user)

    assert remix_query(client, share)["prompt"] == "an owl in a top hat"


def test_the_generator_is_prefilled_from_a_remix(client, user, shared_job):
    share = ShareFactory(output=OutputFactory(generation=shared_job), show_prompt=True)
    client.force_login(user)

    response = client.get(reverse("sharing:remix", args=[share.token]), follow=True)

    form = response.context["form"]
    assert {name: form.initial[name] for name in ("style", "color", "size", "count")} == {
        "style": "watercolor",
        "color": "pastel",
        "size": 768,
        "count": 3,
    }
    page = response.content.decode()
    assert ">an owl in a top hat</textarea>" in page
    assert '<option value="watercolor" selected>' in page


def test_the_generator_ignores_settings_it_does_not_offer(client, user):
    client.force_login(user)

    response = client.get(
        reverse("generation:generate"),
        {"style": "nope", "size": "99999", "count": "9", "kind": "edit", "seed": "1"},
    )

    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["style"] != "nope" and initial.get("size") != 99999
    assert initial.get("count") != 9 and initial.get("kind") != Kind.EDIT
    assert "seed" not in initial


def test_remix_needs_a_signed_in_visitor(client):
    share = ShareFactory()

    response = client.get(reverse("sharing:remix", args=[share.token]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_remix_of_an_output_deleted_meanwhile_is_a_clear_404(client, user):
    share = ShareFactory()
    token = share.token
    client.force_login(user)
    share.output.delete()

    response = client.get(reverse("sharing:remix", args=[token]))

    assert response.status_code == 404
    assert "There is nothing here" in response.content.decode()
