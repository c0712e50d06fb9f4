"""The signing secret on the API keys page, the delivery log on the usage and jobs pages,
the sweep that resends lost deliveries, and the deploy check."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from generation.models import Via
from generation.tests.factories import GenerationFactory
from webhooks import services
from webhooks.checks import loopback_webhooks_only_in_tests
from webhooks.models import Delivery, DeliveryAttempt, DeliveryState

pytestmark = pytest.mark.django_db


def delivery_for(user, url="http://127.0.0.1:9/hook", **fields):
    job = GenerationFactory(user=user, via=Via.API)
    hook = services.job_webhook_attach(
        generation=job, url=url, events=["completed"], site_url="http://testserver/"
    )
    return Delivery.objects.create(
        webhook=hook, event="completed", event_id=f"msg_{job.pk}", body="{}", **fields
    )


def test_the_keys_page_shows_the_secret_and_rotating_changes_it(signed_in, user):
    before = services.signing_secret_for(user=user).value
    page = signed_in.get(reverse("apikeys:key_list")).content.decode()
    assert before in page and before.startswith("whsec_")

    response = signed_in.post(reverse("webhooks:secret_rotate"))

    assert response.status_code == 302
    after = services.signing_secret_for(user=user).value
    assert after != before
    assert after in signed_in.get(reverse("apikeys:key_list")).content.decode()


def test_rotating_needs_a_post_and_a_signed_in_user(client, signed_in, user):
    before = services.signing_secret_for(user=user).value
    assert signed_in.get(reverse("webhooks:secret_rotate")).status_code == 405
    client.logout()
    assert client.post(reverse("webhooks:secret_rotate")).status_code == 302
    assert services.signing_secret_for(user=user).value == before


def test_secrets_differ_between_users_and_the_database_holds_none(user, make_user):
    mine = services.signing_secret_for(user=user)
    theirs = services.signing_secret_for(user=make_user())
    assert mine.value != theirs.value
    assert mine.value.removeprefix("whsec_") not in mine.salt


def test_the_usage_page_lists_recent_attempts_of_the_users_own_jobs(signed_in, user, make_user):
    mine = delivery_for(user)
    DeliveryAttempt.objects.create(delivery=mine, status_code=503, latency_ms=321)
    DeliveryAttempt.objects.create(
        delivery=delivery_for(make_user(), url="http://127.0.0.1:9/other"),
        status_code=418,
        latency_ms=7,
    )

    page = signed_in.get(reverse("apikeys:usage")).content.decode()

    assert "503" in page and "321 ms" in page
    assert "418" not in page


def test_the_jobs_page_card_says_how_the_webhook_went(signed_in, user):
    delivery_for(
        user,
        state=DeliveryState.PENDING,
        attempts=2,
        last_status_code=500,
        last_error="Answered 500.",
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )

    page = signed_in.get(reverse("generation:jobs")).content.decode()

    assert "Webhook “Completed”: pending (500), 2 attempts, next at" in page


def test_the_sweep_sends_due_deliveries_only(user, receiver, loopback_webhooks):
    lost = delivery_for(
        user, url=receiver.url(), next_attempt_at=timezone.now() - timedelta(hours=1)
    )
    later = timezone.now() + timedelta(hours=1)
    delivery_for(user, url=receiver.url("/later"), next_attempt_at=later)

    assert services.delivery_sweep() == 1  # eager Celery: delivered right here

    assert [r.headers["webhook-id"] for r in receiver.received] == [lost.event_id]
    lost.refresh_from_db()
    assert lost.state == DeliveryState.DELIVERED


def test_a_retry_due_in_an_hour_waits_for_the_sweep_not_the_broker(
    user, receiver, loopback_webhooks
):
    loopback_webhooks.WEBHOOKS_RETRY_DELAYS = [3600]
    receiver.script = [500]
    delivery = delivery_for(user, url=receiver.url(), next_attempt_at=timezone.now())

    services.delivery_attempt(delivery_id=delivery.pk)  # fails; nothing queued for later
    assert services.delivery_sweep() == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=3601)):
        assert services.delivery_sweep() == 1

    delivery.refresh_from_db()
    assert len(receiver.received) == 2 and delivery.state == DeliveryState.DELIVERED


def test_deploy_check_refuses_the_loopback_test_setting(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS = False
    assert loopback_webhooks_only_in_tests(None) == []
    settings.WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS = True
    assert [e.id for e in loopback_webhooks_only_in_tests(None)] == ["webhooks.E001"]


@pytest.mark.django_db(transaction=True)
def test_socket_error_texts_logged_before_are_replaced_by_their_kind(user):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    delivery = delivery_for(user, last_error="RemoteProtocolError: Server disconnected")
    texts = ["ConnectError: [Errno 111] Connection refused", "ReadError: [Errno 104] reset"]
    texts += ["Answered 503.", "Timed out: no answer within 5 s."]
    attempts = [DeliveryAttempt.objects.create(delivery=delivery, error=text) for text in texts]
    executor = MigrationExecutor(connection)
    executor.migrate([("webhooks", "0001_initial")])

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert [DeliveryAttempt.objects.get(pk=a.pk).error for a in attempts] == [
        "Could not connect.",
        "The connection ended without a valid answer.",
        "Answered 503.",
        "Timed out: no answer within 5 s.",
    ]
    delivery.refresh_from_db()
    assert delivery.last_error == "The connection ended without a valid answer."
