"""A job's webhook and its delivery log."""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Schema

from webhooks.models import DeliveryState, Event, JobWebhook

from .errors import ERROR_RESPONSES
from .router import router


class AttemptOut(Schema):
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    error: str
    next_attempt_at: datetime | None


class DeliveryOut(Schema):
    event: Literal[tuple(Event.values)]
    webhook_id: str
    state: Literal[tuple(DeliveryState.values)]
    attempts: list[AttemptOut]


class JobWebhookOut(Schema):
    url: str
    events: list[Literal[tuple(Event.values)]]
    deliveries: list[DeliveryOut]


def _attempt_json(attempt) -> dict:
    return {
        "attempted_at": attempt.attempted_at,
        "status_code": attempt.status_code,
        "latency_ms": attempt.latency_ms,
        "error": attempt.error,
        "next_attempt_at": attempt.next_attempt_at,
    }


@router.get(
    "/generations/{generation_id}/webhook",
    tags=["Generations"],
    response={200: JobWebhookOut, **ERROR_RESPONSES},
    summary="A job's webhook and every delivery attempt (404 if it was created without one)",
)
def get_job_webhook(request, generation_id: int):
    webhook = get_object_or_404(
        JobWebhook.objects.prefetch_related("deliveries__log"),
        generation_id=generation_id,
        generation__user=request.user,
    )
    return {
        "url": webhook.url,
        "events": webhook.events,
        "deliveries": [
            {
                "event": delivery.event,
                "webhook_id": delivery.event_id,
                "state": delivery.state,
                "attempts": [_attempt_json(attempt) for attempt in delivery.log.all()],
            }
            for delivery in webhook.deliveries.all()
        ],
    }
