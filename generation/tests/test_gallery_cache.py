"""The gallery's filters and grid are a cached fragment per user and gallery version;
the rest of the page is rendered for each request."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from generation.gallery_cache import gallery_changed
from generation.tests.factories import OutputFactory
from testing.redis_trips import counting_redis_round_trips

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
GRID_KEYS = "gallery:grid:*"


def _signed_in_browser(user) -> Client:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def _output_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured if "generation_output" in query["sql"]]


def test_each_browser_gets_its_own_working_csrf_token_with_a_cached_grid(user):
    OutputFactory(generation__user=user)
    first, second = _signed_in_browser(user), _signed_in_browser(user)
    first_page = first.get(reverse("generation:gallery")).content.decode()
    second_page = second.get(reverse("generation:gallery")).content.decode()  # cached grid

    first_token, second_token = TOKEN.search(first_page)[1], TOKEN.search(second_page)[1]
    assert first_page.replace(first_token, "") == second_page.replace(second_token, "")
    for browser, token in ((first, first_token), (second, second_token)):
        logout = browser.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
        assert logout.status_code == 302  # a wrong token would be 403


def test_a_cached_grid_runs_no_query_for_the_outputs(client, user):
    client.force_login(user)
    OutputFactory.create_batch(3, generation__user=user)

    assert _output_queries(client, reverse("generation:gallery"))
    assert _output_queries(client, reverse("generation:gallery")) == []


def test_messages_are_shown_although_the_grid_is_cached(client, user):
    client.force_login(user)
    deleted = OutputFactory.create_batch(2, generation__user=user)[0]
    client.get(reverse("generation:gallery"))

    response = client.post(reverse("generation:output_delete", args=[deleted.pk]), follow=True)

    assert "Deleted." in response.content.decode()


def test_the_rest_of_the_page_is_never_stale(client, user):
    client.force_login(user)
    OutputFactory(generation__user=user)
    client.get(reverse("generation:gallery"))

    user.email = "renamed@example.com"
    user.save()

    assert "renamed@example.com" in client.get(reverse("generation:gallery")).content.decode()


def test_only_the_first_page_of_each_filter_is_cached(client, user):
    client.force_login(user)
    OutputFactory.create_batch(30, generation__user=user)
    cached = caches["fragments"]
    for query in ("?q=fox", "?before=999999", "?utm_source=mail", "?kind=bogus"):
        assert client.get(reverse("generation:gallery") + query).status_code == 200
    assert cached.keys(GRID_KEYS) == []

    for query in ("", "?q=&kind=", "?kind=image", "?kind=image&kind=image", "?favorites=on"):
        assert client.get(reverse("generation:gallery") + query).status_code == 200
    assert len(cached.keys(GRID_KEYS)) == 3  # one per filter, however it is written


def test_the_search_form_keeps_what_was_asked(client, user):
    client.force_login(user)

    page = client.get(reverse("generation:gallery"), {"q": "fox", "kind": "video"}).content
    page = page.decode()

    assert 'type="search" name="q" value="fox"' in page
    assert '<option value="video" selected>Videos</option>' in page


def test_a_cached_grid_and_its_version_are_one_round_trip_to_redis(client, user, monkeypatch):
    client.force_login(user)
    OutputFactory(generation__user=user)
    client.get(reverse("generation:gallery"))

    with counting_redis_round_trips(monkeypatch) as sent:
        assert client.get(reverse("generation:gallery")).status_code == 200

    assert sent == ["GET", "MGET"]  # the session, then the grid with its version


def test_a_grid_rendered_at_an_older_version_is_rendered_again(client, user):
    client.force_login(user)
    OutputFactory(generation__user=user, generation__prompt="a red fox")
    assert "a red fox" in client.get(reverse("generation:gallery")).content.decode()

    OutputFactory(generation__user=user, generation__prompt="a blue whale")
    gallery_changed(user.pk)  # as the services do when an output is stored

    assert "a blue whale" in client.get(reverse("generation:gallery")).content.decode()
