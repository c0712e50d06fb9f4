"""Signed-in requests read the user from Redis; no change to a user may be missed."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.backends import ModelBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    client.get(reverse("generation:gallery"))  # caches the user (and the page)
    return client


def _user_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured if "accounts_user" in query["sql"]]


def test_a_signed_in_request_does_not_query_the_user(signed_in):
    assert _user_queries(signed_in, reverse("generation:gallery")) == []


def test_without_a_cache_alias_every_request_queries_the_user(signed_in, settings):
    settings.USER_CACHE_ALIAS = ""

    assert len(_user_queries(signed_in, reverse("generation:gallery"))) == 1


def test_a_cached_user_expires(signed_in, user, settings):
    ttl = caches[settings.USER_CACHE_ALIAS].ttl(f"auth:user:{user.pk}")

    assert 0 < ttl <= settings.USER_CACHE_TIMEOUT


def test_deactivation_signs_the_user_out_at_once(
    signed_in, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.user_deactivate(user=user, by=None)

    assert signed_in.get(reverse("generation:gallery")).status_code == 302


def test_a_password_change_elsewhere_signs_this_session_out(signed_in, user):
    user.set_password("a whole new passphrase")
    user.save()

    assert signed_in.get(reverse("generation:gallery")).status_code == 302


@pytest.mark.parametrize("change", ["make", "remove"])
def test_staff_changes_are_seen_at_once(make_user, change, django_capture_on_commit_callbacks):
    member = make_user(is_staff=change == "remove")
    backend = ModelBackend()
    assert backend.get_user(member.pk).is_staff == (change == "remove")  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        if change == "make":
            services.user_make_staff(user=member, by=None)
        else:
            services.user_remove_staff(user=member, by=None)

    assert backend.get_user(member.pk).is_staff == (change == "make")
