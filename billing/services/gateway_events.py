"""Razorpay's events (Razorpay calls them webhooks; ours to other people are in
`webhooks/`): each recorded once by its id, then handed to the handler for its type."""

import logging

from django.db import IntegrityError, transaction

from billing.exceptions import PaymentRejected
from billing.models import WebhookEvent

from .payments import on_payment_captured
from .refunds import DISPUTE_EVENTS, on_dispute, on_refund

logger = logging.getLogger(__name__)


def gateway_event_receive(*, event_id: str, payload: dict) -> str:
    """Handle a verified Razorpay event once per event id; returns what was done."""
    handler = EVENT_HANDLERS.get(payload.get("event", ""))
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                event_id=event_id, event_type=payload.get("event", "")[:64], payload=payload
            )
            try:
                with transaction.atomic():
                    event.outcome = handler(payload) if handler else "ignored"
            except PaymentRejected as exc:
                logger.warning("Razorpay event %s rejected: %s", event_id, exc)
                event.outcome = f"rejected: {exc}"[:255]
            event.save(update_fields=["outcome"])
            return event.outcome
    except IntegrityError:
        return "duplicate"


EVENT_HANDLERS = {
    "payment.captured": on_payment_captured,
    "order.paid": on_payment_captured,
    "refund.created": on_refund,
    "refund.processed": on_refund,
    **dict.fromkeys(DISPUTE_EVENTS, on_dispute),
}
