"""Rate limits key on the real client behind the proxy (issue 14, finding 3)."""

import uuid

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_ratelimit.core import is_ratelimited

from core.client_ip import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.9"
VISITOR = "198.51.100.7"


@pytest.fixture(autouse=True)
def low_address_limit(settings):
    # The shipped per-address limit is 30 a minute; a low one keeps the test quick.
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,5/300s/key"}


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def log_in(client, email, password, forwarded_for):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_failed_logins_from_one_client_do_not_lock_out_another(
    client, behind_one_proxy, user, password
):
    for _ in range(4):
        log_in(client, f"{uuid.uuid4().hex}@example.com", "guess", f"1.1.1.1, {ATTACKER}")

    log_in(client, user.email, password, VISITOR)

    assert signed_in_user_id(client) == str(user.pk)


def test_the_attacker_is_still_limited(client, behind_one_proxy, user, password):
    for _ in range(4):
        log_in(client, f"{uuid.uuid4().hex}@example.com", "guess", ATTACKER)

    log_in(client, user.email, password, ATTACKER)

    assert signed_in_user_id(client) is None


def test_a_forged_forwarded_for_is_ignored_without_trusted_proxies(client, user, password):
    for n in range(4):
        log_in(client, f"{uuid.uuid4().hex}@example.com", "guess", f"192.0.2.{n}")

    log_in(client, user.email, password, VISITOR)

    assert signed_in_user_id(client) is None


def request_from(forwarded_for):
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_django_ratelimit_sees_the_same_client_as_allauth(behind_one_proxy):
    first, second = request_from(f"1.1.1.1, {ATTACKER}"), request_from(VISITOR)

    def limited(request):
        return is_ratelimited(request, group="t", key="ip", rate="1/m", increment=True)

    assert (limited(first), limited(first), limited(second)) == (False, True, False)
    assert client_ip(first) == ATTACKER
