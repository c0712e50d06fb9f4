"""Signed-in answers are private to the browser (issue 14, finding 8)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize(
    "name", ["home", "generation:gallery", "generation:jobs", "billing:premium", "apikeys:usage"]
)
def test_signed_in_pages_are_private(client, user, name):
    client.force_login(user)

    assert "private" in cache_control(client.get(reverse(name)))


def test_api_answers_are_private(api):
    response = api.get("/me")

    assert response.status_code == 200
    assert "private" in cache_control(response)


def test_public_pages_for_visitors_are_not_marked_private(client):
    assert "private" not in cache_control(client.get(reverse("home")))


def test_the_page_showing_a_new_api_key_is_not_stored_at_all(client, user):
    client.force_login(user)

    created = client.post(
        reverse("apikeys:key_list"),
        {"name": "nightly", "scopes": ["read", "generate", "manage"]},
        follow=True,
    )

    assert cache_control(created) == {"no-store"}
