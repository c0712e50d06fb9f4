"""What billing keeps of a closed account: its payments, for accounting, with nothing
that says whose they were."""

from django.db import transaction

from billing.models import Payment, WebhookEvent

# Fields of Razorpay's payment entity that identify the payer.
PERSONAL_FIELDS = ("email", "contact", "vpa", "notes", "card_id", "bank", "wallet", "card")


@transaction.atomic
def payments_anonymise(*, user) -> int:
    """Detach `user`'s payments from them and strip the payer's details from what
    Razorpay sent about them; amounts, ids and dates stay."""
    payments = list(Payment.objects.select_for_update().filter(user=user))
    order_ids = [payment.razorpay_order_id for payment in payments]
    for event in WebhookEvent.objects.filter(
        payload__payload__payment__entity__order_id__in=order_ids
    ):
        event.payload = _without_payer(event.payload)
        event.save(update_fields=["payload"])
    for payment in payments:
        payment.user = None
        payment.payload = _without_payer(payment.payload)
        payment.save(update_fields=["user", "payload", "updated_at"])
    return len(payments)


def _without_payer(payload: dict) -> dict:
    try:
        entity = payload["payload"]["payment"]["entity"]
    except (KeyError, TypeError):
        return payload  # a Checkout callback: ids and a signature, nothing about the payer
    for field in PERSONAL_FIELDS:
        entity.pop(field, None)
    return payload
