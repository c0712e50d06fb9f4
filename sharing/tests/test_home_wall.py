"""The signed-out home page's wall and the share page's words for visitors (issue 26)."""

import pytest
from django.urls import reverse

from generation.starters import STARTERS
from generation.tests.factories import OutputFactory
from sharing.models import Share

pytestmark = pytest.mark.django_db


def test_an_empty_site_shows_the_examples_labelled_as_such(client):
    page = client.get("/").content.decode()

    assert page.count('data-testid="wall-picture"') == len(STARTERS) >= 6
    assert page.count(">Example</span>") == len(STARTERS)
    assert f'action="{reverse("generation:start")}"' in page


def test_shares_take_the_examples_place(client):
    Share.objects.create(output=OutputFactory())
    page = client.get("/").content.decode()

    assert 'data-testid="shared-item"' in page and 'data-testid="wall-picture"' not in page


def test_a_signed_in_home_has_no_wall(client, user):
    client.force_login(user)
    page = client.get("/").content.decode()
    assert 'data-testid="wall-picture"' not in page


def test_a_share_without_its_prompt_is_a_picture_made_with_cartonify():
    share = Share(output=OutputFactory.build(), show_prompt=False)
    assert share.title == "A picture made with Cartonify"


def test_a_visitor_signs_up_to_remix_and_the_remix_waits(client):
    share = Share.objects.create(output=OutputFactory())
    page = client.get(reverse("sharing:page", args=[share.token])).content.decode()

    remix = reverse("sharing:remix", args=[share.token])
    assert "Sign up to remix" in page
    assert f'href="{reverse("account_signup")}?next={remix.replace("/", "%2F")}"' in page
