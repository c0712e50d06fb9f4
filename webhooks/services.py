"""Outgoing API webhooks: attach one to a job, record its events, deliver them.

A delivery is claimed with a conditional update before each attempt, so two workers
holding the same task (a redelivered message) send it once. Attempts are made outside
any transaction and recorded after.
"""

import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from generation.models import Generation
from generation.payloads import generation_payload_json

from . import transport
from .guard import Target, WebhookRefused, webhook_target
from .models import (
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    Event,
    JobWebhook,
    SigningSecret,
    new_salt,
)
from .signing import signature

USER_AGENT = "Cartonify-Webhooks/1.0"
# A claim older than this belongs to a worker that died mid-attempt: take it over.
STALE_CLAIM = timedelta(minutes=2)
# Retries due within this many seconds wait in the broker (a task countdown); later ones
# wait in the table for the sweep. Redis hands a message back to the queue after its
# visibility timeout, so hours-long countdowns would pile up copies of it.
BROKER_DELAY_MAX = 60


def webhook_check(*, url: str) -> Target:
    """The target `url` would be delivered to now, or WebhookRefused."""
    return webhook_target(
        url,
        max_length=settings.WEBHOOKS_URL_MAX_LENGTH,
        allow_loopback=settings.WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS,
    )


def job_webhook_attach(
    *, generation: Generation, url: str, events: list[str], site_url: str
) -> JobWebhook:
    """Call in the job's submit transaction, so the job cannot end before this exists."""
    wanted = [event for event in Event.values if event in events]
    return JobWebhook.objects.create(
        generation=generation, url=url, events=wanted, site_url=site_url
    )


def signing_secret_for(*, user) -> SigningSecret:
    secret, _ = SigningSecret.objects.get_or_create(user=user)
    return secret


def signing_secret_rotate(*, user) -> SigningSecret:
    """A new secret at once. Pending deliveries are signed with it on their next attempt:
    a receiver that switched keys accepts them, with the same `webhook-id` as before."""
    secret, created = SigningSecret.objects.get_or_create(user=user)
    if not created:
        secret.salt = new_salt()
        secret.rotated_at = timezone.now()
        secret.save(update_fields=["salt", "rotated_at"])
    return secret


def delivery_create(*, generation_id: int, event: str) -> Delivery | None:
    """Record `event` of a job that has a webhook wanting it, and queue its sending."""
    webhook = JobWebhook.objects.filter(generation_id=generation_id).first()
    if webhook is None or not webhook.wants(event):
        return None
    generation = Generation.objects.prefetch_related("outputs").get(pk=generation_id)
    body = generation_payload_json(generation, site_url=webhook.site_url)
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                webhook=webhook,
                event=event,
                event_id=f"msg_{uuid.uuid4().hex}",
                body=body,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return None  # this event was announced twice; it is delivered once
    transaction.on_commit(lambda: _queue(delivery.pk))
    return delivery


def _queue(delivery_id: int, countdown: float = 0) -> None:
    from .tasks import deliver_webhook

    deliver_webhook.apply_async((delivery_id,), countdown=countdown)


def delivery_claim(*, delivery_id: int) -> bool:
    now = timezone.now()
    due = Q(state=DeliveryState.PENDING, next_attempt_at__lte=now)
    abandoned = Q(state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM)
    claimed = Delivery.objects.filter(due | abandoned, pk=delivery_id).update(
        state=DeliveryState.SENDING, claimed_at=now
    )
    return claimed == 1


def delivery_attempt(*, delivery_id: int) -> float | None:
    """Send a due delivery once. Returns the seconds until the next attempt, or None."""
    if not delivery_claim(delivery_id=delivery_id):
        return None
    delivery = Delivery.objects.select_related("webhook__generation").get(pk=delivery_id)
    answer = _send(delivery)
    return _record(delivery, answer)


def _send(delivery: Delivery) -> transport.Answer:
    try:
        target = webhook_check(url=delivery.webhook.url)  # again: DNS may have changed
    except WebhookRefused as refused:
        return transport.Answer(None, 0, error=refused.message[:200])
    # The secret current at this attempt signs it, so a rotation applies at once.
    secret = signing_secret_for(user=delivery.webhook.generation.user).value
    body = delivery.body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": delivery.event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            secret=secret, message_id=delivery.event_id, timestamp=timestamp, body=body
        ),
    }
    return transport.post(target, headers=headers, body=body, timeout=settings.WEBHOOKS_TIMEOUT)


@transaction.atomic
def _record(delivery: Delivery, answer: transport.Answer) -> float | None:
    now = timezone.now()
    attempts = delivery.attempts + 1
    delays = settings.WEBHOOKS_RETRY_DELAYS
    succeeded = answer.status_code is not None and 200 <= answer.status_code < 300
    delay = None if succeeded or attempts > len(delays) else delays[attempts - 1]
    next_at = now + timedelta(seconds=delay) if delay is not None else None
    error = answer.error or _status_error(answer.status_code, succeeded)
    DeliveryAttempt.objects.create(
        delivery=delivery,
        attempted_at=now,
        status_code=answer.status_code,
        latency_ms=answer.latency_ms,
        error=error,
        response_excerpt=answer.excerpt,
        next_attempt_at=next_at,
    )
    if succeeded:
        state = DeliveryState.DELIVERED
    else:
        state = DeliveryState.PENDING if delay is not None else DeliveryState.FAILED
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state,
        attempts=F("attempts") + 1,
        next_attempt_at=next_at,
        delivered_at=now if succeeded else None,
        last_status_code=answer.status_code,
        last_error=error,
    )
    if delay is not None and delay <= BROKER_DELAY_MAX:
        transaction.on_commit(lambda: _queue(delivery.pk, countdown=delay))
    return delay


def _status_error(status_code: int | None, succeeded: bool) -> str:
    if succeeded or status_code is None:
        return ""
    if 300 <= status_code < 400:
        return f"Answered {status_code}: redirects are not followed."
    return f"Answered {status_code}."


def delivery_sweep(*, now=None) -> int:
    """Queue the deliveries that are due: long retries, and those whose task was lost (a
    broker restart, a worker killed mid-attempt). Claiming makes a duplicate harmless.
    Returns how many."""
    now = now or timezone.now()
    lost = list(
        Delivery.objects.filter(
            Q(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            | Q(state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM)
        ).values_list("pk", flat=True)
    )
    for delivery_id in lost:
        _queue(delivery_id)
    return len(lost)
