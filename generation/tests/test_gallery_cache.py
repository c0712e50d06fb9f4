"""The whole gallery page is cached per user: what must still differ per request."""

import re

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.urls import reverse

from generation.gallery_cache import cached_gallery_page
from generation.tests.factories import OutputFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _signed_in_browser(user) -> Client:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def test_each_browser_gets_its_own_working_csrf_token_from_a_cached_page(user):
    OutputFactory(generation__user=user)
    first, second = _signed_in_browser(user), _signed_in_browser(user)
    first_page = first.get(reverse("generation:gallery")).content.decode()
    second_page = second.get(reverse("generation:gallery")).content.decode()  # from the cache

    first_token, second_token = TOKEN.search(first_page)[1], TOKEN.search(second_page)[1]
    assert first_page.replace(first_token, "") == second_page.replace(second_token, "")
    for browser, token in ((first, first_token), (second, second_token)):
        logout = browser.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
        assert logout.status_code == 302  # a wrong token would be 403


def test_messages_are_shown_although_the_page_is_cached(user):
    rendered = []

    def render(csrf_token):
        shown = [str(message) for message in get_messages(request)]
        rendered.append(shown)
        return f"<p>{shown}</p><input value='{csrf_token}'>"

    for message in (None, None, "Deleted."):
        request = RequestFactory().get(reverse("generation:gallery"))
        request.user, request.session = user, SessionStore()
        request._messages = FallbackStorage(request)
        if message:
            request._messages.add(25, message)
        response = cached_gallery_page(request, render, variant="all")

    assert rendered == [[], ["Deleted."]]  # the second page came from the cache
    assert "Deleted." in response.content.decode()


def test_only_the_first_page_of_each_filter_is_cached(client, user):
    client.force_login(user)
    OutputFactory.create_batch(30, generation__user=user)
    cached = caches["fragments"]
    for query in (
        "?q=fox",
        "?before=999999",
        "?utm_source=mail",
        "?kind=bogus",
    ):
        assert client.get(reverse("generation:gallery") + query).status_code == 200
    assert cached.keys("gallery:page:*") == []

    for query in ("", "?q=&kind=", "?kind=image", "?kind=image&kind=image", "?favorites=on"):
        assert client.get(reverse("generation:gallery") + query).status_code == 200
    assert len(cached.keys("gallery:page:*")) == 3  # one per filter, however it is written
