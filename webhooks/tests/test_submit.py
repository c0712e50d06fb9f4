"""The webhook fields of POST /images, /videos and /edits: refused before anything is charged."""

import pytest

from apikeys import services as apikeys
from billing import services as billing
from generation.models import Generation
from generation.tests.factories import OutputFactory
from webhooks.models import JobWebhook

pytestmark = pytest.mark.django_db

REFUSED = [
    "https://127.0.0.1/hook",
    "https://10.0.0.5/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/hook",
    "https://localhost/hook",
    "http://127.0.0.1/hook",
    "https://[64:ff9b::a9fe:a9fe]/",  # 169.254.169.254 through NAT64
]


@pytest.mark.parametrize("url", REFUSED)
def test_a_private_webhook_url_is_refused_with_422_and_nothing_is_charged(api, user, url):
    balance = billing.credits_balance(user=user)

    response = api.post("/images", {"prompt": "a kite", "webhook": url})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "webhook_refused"
    assert body["errors"] == [{"field": "webhook", "message": body["message"]}]
    assert billing.credits_balance(user=user) == balance
    assert not Generation.objects.exists()


def test_an_http_url_is_refused_even_to_a_public_host(api):
    response = api.post("/videos", {"prompt": "a kite", "webhook": "http://93.184.215.14/h"})

    assert response.status_code == 422
    assert "must start with https://" in response.json()["message"]


def test_a_5000_character_url_is_refused_with_a_clear_message(api):
    url = "https://hooks.example.com/" + "a" * 4974

    response = api.post("/images", {"prompt": "a kite", "webhook": url})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "webhook"
    assert "at most 2000 characters" in response.json()["message"]


def test_unknown_webhook_events_are_refused(api):
    response = api.post(
        "/images", {"prompt": "a kite", "webhook": "https://x.example/", "webhook_events": ["x"]}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("webhook_events")


def test_the_loopback_test_setting_does_not_open_private_addresses(api, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS = True

    response = api.post("/images", {"prompt": "a kite", "webhook": "http://10.0.0.5/hook"})

    assert response.status_code == 422


def test_an_accepted_webhook_is_stored_with_its_job(api, user, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS = True
    source = OutputFactory(generation__user=user)

    response = api.post(
        f"/images/{source.pk}/edits",
        {
            "operation": "instruct",
            "prompt": "make it blue",
            "webhook": "http://127.0.0.1:9/hook",
            "webhook_events": ["completed", "started", "started"],
        },
    )

    assert response.status_code == 202, response.json()
    hook = JobWebhook.objects.get(generation_id=response.json()["id"])
    assert (hook.url, hook.events) == ("http://127.0.0.1:9/hook", ["started", "completed"])
    assert hook.site_url == "http://testserver/"


def test_a_job_without_a_webhook_has_no_webhook_resource(api):
    job = api.post("/images", {"prompt": "a kite"}).json()

    assert api.get(f"/generations/{job['id']}/webhook").status_code == 404


def test_another_users_job_webhook_is_not_found(api, make_user, make_api, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS = True
    job = api.post("/images", {"prompt": "a kite", "webhook": "http://127.0.0.1:9/h"}).json()
    stranger = make_api(apikeys.api_key_create(user=make_user(), name="x").plaintext)

    assert api.get(f"/generations/{job['id']}/webhook").status_code == 200
    assert stranger.get(f"/generations/{job['id']}/webhook").status_code == 404
