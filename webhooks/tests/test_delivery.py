"""Deliveries on a real Celery worker to a receiver on loopback."""

import json
import re
import time

import pytest
from django.urls import reverse

from testing.processes import wait_until
from testing.webhook_receiver import replicate_style_valid
from webhooks import services
from webhooks.models import Delivery, DeliveryAttempt, DeliveryState

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


DELIVERED = DeliveryState.DELIVERED


def submit(api, receiver, events=("completed",), path="/hook"):
    body = {"prompt": "a paper boat", "count": 1, "webhook": receiver.url(path)}
    response = api.post("/images", {**body, "webhook_events": list(events)})
    assert response.status_code == 202, response.json()
    return response.json()


def secret_on_keys_page(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("apikeys:key_list")).content.decode()
    return re.search(r"whsec_[A-Za-z0-9+/=]+", page).group(0)


def delivery_of(job, event="completed") -> Delivery:
    return Delivery.objects.get(webhook__generation_id=job["id"], event=event)


def state_of(job, event="completed") -> str | None:
    found = Delivery.objects.filter(webhook__generation_id=job["id"], event=event)
    return found.values_list("state", flat=True).first()


def test_each_event_is_delivered_once_signed_with_the_secret_on_the_keys_page(
    api, user, client, receiver, loopback_webhooks, celery_worker
):
    job = submit(api, receiver, events=("started", "completed"))

    assert wait_until(lambda: {state_of(job, "started"), state_of(job)} == {DELIVERED})
    assert len(receiver.received) == 2  # delivered is final: nothing more is sent
    secret = secret_on_keys_page(client, user)
    started, completed = sorted(receiver.received, key=lambda r: json.loads(r.body)["status"])
    assert json.loads(started.body)["status"] == "running"
    assert completed.body == api.get(f"/generations/{job['id']}").content
    for delivered in receiver.received:
        assert replicate_style_valid(secret, delivered.headers, delivered.body)
        assert delivered.headers["content-type"] == "application/json"
        assert abs(int(delivered.headers["webhook-timestamp"]) - time.time()) < 30
    assert started.headers["webhook-id"] != completed.headers["webhook-id"]


def test_a_receiver_answering_500_is_retried_with_backoff_until_it_succeeds(
    api, receiver, loopback_webhooks, celery_worker
):
    receiver.script = [500, 500]
    job = submit(api, receiver)

    assert wait_until(lambda: state_of(job) == DELIVERED)  # final: no retry after it
    times = [r.at for r in receiver.received]
    assert len(times) == 3
    assert {r.headers["webhook-id"] for r in receiver.received} == {delivery_of(job).event_id}
    assert times[1] - times[0] >= 0.2 and times[2] - times[1] >= 0.4
    log = api.get(f"/generations/{job['id']}/webhook").json()["deliveries"][0]["attempts"]
    assert [a["status_code"] for a in log] == [200, 500, 500]
    assert log[0]["next_attempt_at"] is None and log[1]["next_attempt_at"] is not None
    excerpt = DeliveryAttempt.objects.filter(status_code=500).first().response_excerpt
    assert 0 < len(excerpt) <= 200  # a short excerpt, not the receiver's whole answer


def test_retries_stop_when_the_delays_run_out(api, receiver, loopback_webhooks, celery_worker):
    receiver.script = [500] * 10
    job = submit(api, receiver)

    assert wait_until(lambda: state_of(job) == DeliveryState.FAILED)  # final
    assert len(receiver.received) == 4  # the first attempt and three retries
    assert delivery_of(job).attempts == 4


def test_a_hanging_receiver_times_out_and_is_retried(
    api, receiver, loopback_webhooks, celery_worker
):
    receiver.script = ["hang"]
    receiver.hang_seconds = 3
    job = submit(api, receiver)

    assert wait_until(lambda: state_of(job) == DeliveryState.DELIVERED)
    first, second = DeliveryAttempt.objects.order_by("attempted_at")
    assert (first.status_code, first.error) == (None, "Timed out: no answer within 0.5 s.")
    assert 400 <= first.latency_ms < 2500
    assert second.status_code == 200


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    api, receiver, loopback_webhooks, celery_worker
):
    receiver.script = [("redirect", receiver.url("/elsewhere"))]
    job = submit(api, receiver)

    assert wait_until(lambda: state_of(job) == DeliveryState.DELIVERED)
    assert receiver.requests_to("/elsewhere") == []
    assert len(receiver.requests_to("/hook")) == 2
    first = DeliveryAttempt.objects.order_by("attempted_at").first()
    assert first.status_code == 302 and "redirects are not followed" in first.error


def test_a_retry_after_rotation_is_signed_with_the_new_secret_and_keeps_its_id(
    api, user, client, receiver, loopback_webhooks, celery_worker
):
    loopback_webhooks.WEBHOOKS_RETRY_DELAYS = [1.5]
    old_secret = secret_on_keys_page(client, user)
    receiver.script = [500]
    job = submit(api, receiver)
    assert wait_until(lambda: len(receiver.received) == 1)

    client.post(reverse("webhooks:secret_rotate"))
    new_secret = secret_on_keys_page(client, user)

    assert wait_until(lambda: state_of(job) == DeliveryState.DELIVERED)
    first, retry = receiver.received
    assert new_secret != old_secret
    assert replicate_style_valid(old_secret, first.headers, first.body)
    assert replicate_style_valid(new_secret, retry.headers, retry.body)
    assert not replicate_style_valid(old_secret, retry.headers, retry.body)
    assert retry.headers["webhook-id"] == first.headers["webhook-id"]


def test_a_url_the_rule_refuses_by_delivery_time_gets_no_request(
    api, receiver, loopback_webhooks, celery_worker
):
    receiver.script = ["hang"]  # the started event holds the job up while the rule changes
    loopback_webhooks.WEBHOOKS_RETRY_DELAYS = []
    job = submit(api, receiver, events=("started", "completed"))
    assert wait_until(lambda: len(receiver.received) == 1)

    # The URL is checked again before each attempt (as DNS may have moved it since the
    # submit): with the production rule back, this loopback http URL is refused.
    loopback_webhooks.WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS = False

    assert wait_until(lambda: state_of(job) == DeliveryState.FAILED, timeout=30)
    assert len(receiver.received) == 1
    refused = delivery_of(job).log.get()
    assert refused.status_code is None and "must start with https://" in refused.error


def test_an_event_announced_twice_is_delivered_once(api, receiver, loopback_webhooks):
    job = submit(api, receiver)  # eager: delivered during the submit

    again = services.delivery_create(generation_id=job["id"], event="completed")

    assert again is None
    assert len(receiver.received) == 1
