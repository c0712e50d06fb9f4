"""The original service's `POST /api/transform`, called as its clients call it."""

import threading
import time

import httpx
import pytest
import time_machine
from django.urls import reverse

from api import waiting
from billing import services as billing
from generation.models import Generation, Output, Status
from testing.credits import reserve
from testing.processes import wait_until

IMAGE = {"prompt": "a lighthouse on a cliff", "style": "water colour", "image_size": "512"}


@pytest.fixture
def key(new_key):
    return new_key.plaintext


@pytest.fixture(autouse=True)
def _short_wait(settings):
    # Tests whose jobs cannot finish (no worker, or jobs queued on a commit that a test's
    # transaction never makes) must not wait the default half minute.
    settings.TRANSFORM_WAIT_SECONDS = 5


def transform(client, key, data=None, **kwargs):
    return client.post(
        reverse("api_transform"), data or IMAGE, headers={"X-API-Key": key}, **kwargs
    )


@pytest.mark.django_db(transaction=True)
def test_the_originals_call_gets_image_urls_anyone_with_the_link_can_download(
    live_server, key, user
):
    answer = httpx.post(
        f"{live_server.url}/api/transform", data=IMAGE, headers={"X-API-Key": key}, timeout=30
    )

    assert answer.status_code == 200
    body = answer.json()
    assert body["generated_count"] == 2 and body["quota_exceeded"] is False
    assert body["is_premium"] is False
    stored = [o.file.read() for o in Output.objects.filter(user=user).order_by("pk")]
    downloads = [httpx.get(url, timeout=10) for url in body["image_urls"]]
    assert [d.status_code for d in downloads] == [200, 200]
    assert [d.content for d in downloads] == stored
    assert billing.credits_balance(user=user) == 4  # one request, one credit


@pytest.mark.django_db(transaction=True)
def test_json_with_the_same_names_works_too(client, key):
    answer = client.post(
        reverse("api_transform"), IMAGE, content_type="application/json", headers={"X-API-Key": key}
    )
    assert answer.status_code == 200
    assert len(answer.json()["image_urls"]) == 2


@pytest.mark.django_db(transaction=True)
def test_the_model_gets_the_originals_prompt_and_our_nearest_look(client, key):
    transform(client, key)
    job = Generation.objects.get()
    assert job.prompt == "a lighthouse on a cliff, water colour, vibrant colors"
    assert (job.style, job.color, job.width, job.count) == ("watercolor", "vibrant", 512, 2)


@pytest.mark.django_db(transaction=True)
def test_a_bearer_key_works_as_well(client, key):
    answer = client.post(
        reverse("api_transform"), IMAGE, headers={"Authorization": f"Bearer {key}"}
    )
    assert answer.status_code == 200


@pytest.mark.django_db
def test_a_refused_quota_answers_in_the_originals_shape(client, key, user):
    reserve(user=user, amount=5, reference="generation:0")

    answer = transform(client, key)

    assert answer.status_code == 403
    assert answer.json() == {"quota_exceeded": True, "is_premium": False}
    assert not Generation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("image_size", "0"),
        ("image_size", "99999"),
        ("image_size", "big"),
        ("style", "x" * 10_000),
        ("color", "y" * 101),
        ("prompt", ""),
        ("prompt", "a fox\x00"),
    ],
)
def test_bad_input_is_a_clear_400_and_charges_nothing(client, key, user, field, value):
    answer = transform(client, key, {**IMAGE, field: value})

    assert answer.status_code == 400
    assert answer.json()["error"]
    assert billing.credits_balance(user=user) == 5


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", [None, "application/json"])
def test_a_body_over_the_size_limit_is_a_413_in_the_originals_shape(
    client, key, user, settings, content_type
):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    sent = {**IMAGE, "prompt": "x" * limit}
    kwargs = {"content_type": content_type} if content_type else {}

    answer = transform(client, key, sent, **kwargs)

    assert answer.status_code == 413
    assert answer["Content-Type"] == "application/json"
    assert f"{limit:,} bytes" in answer.json()["error"]
    assert billing.credits_balance(user=user) == 5


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", [None, "application/json"])
def test_a_body_under_the_size_limit_reaches_validation(client, key, user, settings, content_type):
    sent = {**IMAGE, "prompt": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 1000)}
    kwargs = {"content_type": content_type} if content_type else {}

    answer = transform(client, key, sent, **kwargs)

    assert answer.status_code == 400
    assert answer.json()["field"] == "prompt"


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "ck_live_nope_nope"}])
def test_without_a_valid_key_it_answers_401(client, headers):
    answer = client.post(reverse("api_transform"), IMAGE, headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"]


@pytest.mark.django_db(transaction=True)
def test_image_links_expire_after_a_day_and_cannot_be_forged(client, key):
    url = transform(client, key).json()["image_urls"][0]
    path = url.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    assert client.get(path[:-3] + "abc").status_code == 404
    with time_machine.travel(time.time() + 24 * 3600 + 60):
        assert client.get(path).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_past_the_wait_budget_it_answers_202_and_the_web_tier_keeps_serving(
    live_server, key, settings, private_broker
):
    settings.TRANSFORM_WAIT_SECONDS = 3
    settings.TRANSFORM_MAX_WAITING = 1  # no worker runs: every job stays queued
    waited = {}

    def waiting_request():
        started = time.monotonic()
        waited["answer"] = httpx.post(
            f"{live_server.url}/api/transform", data=IMAGE, headers={"X-API-Key": key}
        )
        waited["seconds"] = time.monotonic() - started

    first = threading.Thread(target=waiting_request)
    first.start()
    assert wait_until(lambda: waiting.budget.waiting == 1)  # the first holds the only slot
    second = httpx.post(f"{live_server.url}/api/transform", data=IMAGE, headers={"X-API-Key": key})
    health = httpx.get(f"{live_server.url}/healthz")
    answered_while_the_first_waits = waiting.budget.waiting == 1
    first.join(timeout=20)

    assert second.status_code == 202 and health.status_code == 200
    assert answered_while_the_first_waits
    body = second.json()
    assert body["status"] == Status.QUEUED and body["image_urls"] == []
    assert body["status_url"].endswith(f"/api/v1/generations/{Generation.objects.first().pk}")
    assert waited["answer"].status_code == 202
    assert waited["seconds"] >= 3


@pytest.mark.django_db
def test_every_v1_endpoint_takes_the_key_in_x_api_key(client, key):
    assert client.get("/api/v1/me", headers={"X-API-Key": key}).status_code == 200
    schemes = client.get("/api/v1/openapi.json").json()["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http", "apiKey"}
