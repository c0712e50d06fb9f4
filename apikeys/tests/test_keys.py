import hashlib
import hmac

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.admin.sites import site
from django.urls import reverse

from apikeys import services
from apikeys.models import ApiKey
from testing.processes import free_port

pytestmark = pytest.mark.django_db


def test_a_new_key_is_shown_once_on_the_page_and_never_again(client, user):
    client.force_login(user)

    created = client.post(
        reverse("apikeys:key_list"),
        {"name": "nightly", "scopes": ["read", "generate", "manage"]},
        follow=True,
    )
    key = created.context["new_key"].plaintext
    assert created.redirect_chain == [(reverse("apikeys:key_list"), 302)]
    assert key.startswith("ck_live_") and key in created.content.decode()
    assert created["Cache-Control"] == "no-store"
    assert services.api_key_authenticate(key) == ApiKey.objects.get(user=user)

    later = client.get(reverse("apikeys:key_list")).content.decode()
    assert "nightly" in later
    assert key not in later
    assert ApiKey.objects.get(user=user).masked in later
    assert key not in str(dict(client.session))  # never written to the session store


def test_only_a_digest_of_the_key_is_stored(new_key):
    stored = ApiKey.objects.filter(pk=new_key.api_key.pk).values().get()

    secret = new_key.plaintext.rsplit("_", 1)[-1]
    assert not any(secret in str(value) for value in stored.values())
    expected = hmac.new(
        settings.API_KEY_HMAC_SECRET.encode(), new_key.plaintext.encode(), hashlib.sha256
    ).hexdigest()
    assert stored["digest"] == expected


def test_the_key_authenticates_and_is_found_by_its_prefix(new_key):
    assert services.api_key_authenticate(new_key.plaintext) == new_key.api_key


@pytest.mark.parametrize(
    "mangle",
    [
        lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),  # right prefix, wrong secret
        lambda key: "ck_live_00000000_" + key.rsplit("_", 1)[-1],  # unknown prefix
        lambda key: key.replace("ck_live_", "ck_test_"),
        lambda key: "ck_live_",
        lambda key: "",
    ],
)
def test_a_wrong_key_is_refused_with_401(make_api, new_key, mangle):
    response = make_api(mangle(new_key.plaintext)).get("/me")

    assert response.status_code == 401
    assert response.json()["code"] in ("invalid_api_key", "missing_api_key")
    assert response["WWW-Authenticate"] == "Bearer"


def test_no_key_is_a_401_that_says_how_to_send_one(make_api, db):
    response = make_api(None).get("/me")

    assert response.status_code == 401
    assert response.json()["code"] == "missing_api_key"


def test_a_revoked_key_is_refused_with_401(api, new_key, user):
    assert api.get("/me").status_code == 200

    services.api_key_revoke(user=user, api_key_id=new_key.api_key.pk)

    response = api.get("/me")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_api_key"


def test_a_deactivated_users_key_is_refused(api, user):
    user.is_active = False
    user.save()

    assert api.get("/me").status_code == 401


def test_revoking_asks_for_confirmation_then_revokes(client, user, new_key):
    client.force_login(user)
    url = reverse("apikeys:key_revoke", args=[new_key.api_key.pk])

    assert "Revoke “script”?" in client.get(url).content.decode()
    assert ApiKey.objects.get().is_active

    assert client.post(url).status_code == 302
    assert not ApiKey.objects.get().is_active


def test_nobody_can_revoke_another_users_key(client, make_user, new_key):
    client.force_login(make_user())
    url = reverse("apikeys:key_revoke", args=[new_key.api_key.pk])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert ApiKey.objects.get().is_active


def test_staff_revoke_keys_from_the_admin(admin_client, admin_user, new_key):
    # The admin is open only to staff with TOTP set up.
    Authenticator.objects.get_or_create(
        user=admin_user, type=Authenticator.Type.TOTP, defaults={"data": {}}
    )
    response = admin_client.post(
        reverse("admin:apikeys_apikey_changelist"),
        {"action": "revoke", "_selected_action": [new_key.api_key.pk]},
    )

    assert response.status_code == 302
    assert not ApiKey.objects.get().is_active
    assert site._registry[ApiKey].has_add_permission(None) is False


def test_last_used_is_written_at_most_once_a_minute(new_key, django_assert_num_queries):
    with time_machine.travel("2026-11-25 10:00:00Z", tick=False):
        services.api_key_authenticate(new_key.plaintext)
        first = ApiKey.objects.get().last_used_at
        with django_assert_num_queries(1):  # the lookup only, no update
            services.api_key_authenticate(new_key.plaintext)
    with time_machine.travel("2026-11-25 10:00:30Z", tick=False):
        services.api_key_authenticate(new_key.plaintext)
        assert ApiKey.objects.get().last_used_at == first
    with time_machine.travel("2026-11-25 10:01:30Z", tick=False):
        services.api_key_authenticate(new_key.plaintext)
        assert ApiKey.objects.get().last_used_at > first


def test_the_number_of_active_keys_is_limited(settings, user):
    settings.API_KEYS_PER_USER = 2
    services.api_key_create(user=user, name="a")
    second = services.api_key_create(user=user, name="b")

    with pytest.raises(services.KeyLimitReached):
        services.api_key_create(user=user, name="c")

    services.api_key_revoke(user=user, api_key_id=second.api_key.pk)
    services.api_key_create(user=user, name="c")


def test_no_key_is_stored_when_its_plaintext_cannot_be_handed_over(client, user, settings):
    client.force_login(user)
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": dead_redis},
    }

    client.raise_request_exception = False  # let the outage page answer, as in production
    response = client.post(
        reverse("apikeys:key_list"), {"name": "nightly", "scopes": ["read", "generate", "manage"]}
    )

    assert response.status_code == 503
    assert not ApiKey.objects.filter(user=user).exists()
