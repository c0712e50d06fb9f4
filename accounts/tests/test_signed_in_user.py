"""The signed-in user comes from Django's and allauth's own backends: the database,
never a cached copy, so a change to a user is seen by the next request."""

import pytest
import redis
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services

pytestmark = pytest.mark.django_db

SIGNED_IN_PAGES = ["generation:gallery", "generation:generate", "generation:jobs"]


@pytest.fixture
def signed_in(sign_in, user, password):
    # Through the login form, as a person signs in, so allauth's own session is what's stored.
    client = sign_in(user, password=password)
    client.get(reverse("generation:gallery"))
    return client


def _redis_values() -> list[bytes]:
    server = redis.Redis.from_url(settings.REDIS_URL)
    values = []
    for key in server.scan_iter():
        kind = server.type(key)
        if kind == b"string":
            values.append(server.get(key))
        elif kind == b"hash":
            values.extend(server.hvals(key))
    return values


def _user_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured if "accounts_user" in query["sql"]]


def test_no_user_row_or_password_hash_is_written_to_redis(signed_in, user):
    for name in SIGNED_IN_PAGES:
        assert signed_in.get(reverse(name)).status_code == 200

    values = _redis_values()
    assert values, "the session should be in Redis: this test would prove nothing"
    assert not [v for v in values if user.password.encode() in v]
    assert not [v for v in values if b"accounts.models" in v]


def test_a_signed_in_request_reads_the_user_from_the_database(signed_in):
    assert len(_user_queries(signed_in, reverse("generation:gallery"))) == 1


def test_deactivation_signs_the_user_out_at_once(signed_in, user):
    services.user_deactivate(user=user, by=None)

    assert signed_in.get(reverse("generation:gallery")).status_code == 302


def test_a_password_change_elsewhere_signs_this_session_out(signed_in, user):
    user.set_password("a whole new passphrase")
    user.save()

    assert signed_in.get(reverse("generation:gallery")).status_code == 302


@pytest.mark.parametrize("change", ["make", "remove"])
def test_staff_changes_are_seen_at_once(make_user, change):
    member = make_user(is_staff=change == "remove")
    backend = ModelBackend()
    assert backend.get_user(member.pk).is_staff == (change == "remove")

    if change == "make":
        services.user_make_staff(user=member, by=None)
    else:
        services.user_remove_staff(user=member, by=None)

    assert backend.get_user(member.pk).is_staff == (change == "make")
