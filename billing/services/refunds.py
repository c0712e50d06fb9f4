"""Refunds and disputes that Razorpay's events report: each refund recorded once by its
id, a dispute's state kept on its payment; a full refund or a lost dispute takes back what
the payment bought."""

from django.db import transaction

from billing.exceptions import PaymentRejected
from billing.models import DisputeStatus, Payment, PaymentStatus, Refund

from .ledger import credit_account_lock
from .subscriptions import subscription_revoke_payment

# Razorpay's dispute events, and the state each leaves the dispute in.
DISPUTE_EVENTS = {
    "payment.dispute.created": DisputeStatus.OPEN,
    "payment.dispute.under_review": DisputeStatus.OPEN,
    "payment.dispute.action_required": DisputeStatus.OPEN,
    "payment.dispute.won": DisputeStatus.WON,
    "payment.dispute.lost": DisputeStatus.LOST,
    "payment.dispute.closed": DisputeStatus.CLOSED,
}


@transaction.atomic
def payment_refund_record(*, payment: Payment, refund_id: str, amount_paise: int) -> str:
    """Record a processed refund once; a payment refunded in full loses what it bought."""
    credit_account_lock(user=payment.user)  # account before payment, the order used everywhere
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if Refund.objects.filter(razorpay_refund_id=refund_id).exists():
        return "duplicate refund"
    if amount_paise <= 0 or payment.refunded_paise + amount_paise > payment.amount_paise:
        raise PaymentRejected(
            f"refund of {amount_paise} paise does not fit payment {payment.razorpay_payment_id} "
            f"({payment.refunded_paise} of {payment.amount_paise} refunded already)"
        )
    Refund.objects.create(payment=payment, razorpay_refund_id=refund_id, amount_paise=amount_paise)
    payment.refunded_paise += amount_paise
    if payment.refunded_paise < payment.amount_paise:
        payment.save(update_fields=["refunded_paise", "updated_at"])
        return "partial refund recorded"
    payment.status = PaymentStatus.REFUNDED
    payment.save(update_fields=["refunded_paise", "status", "updated_at"])
    subscription_revoke_payment(payment=payment, reason=f"Payment {payment.reference} refunded")
    return "refunded: what it bought is taken back"


@transaction.atomic
def payment_dispute_record(*, payment: Payment, status: str) -> str:
    """Keep a dispute's state on its payment; a lost dispute is treated like a refund."""
    credit_account_lock(user=payment.user)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    payment.dispute_status = status
    payment.save(update_fields=["dispute_status", "updated_at"])
    if status != DisputeStatus.LOST:
        return f"dispute {status}"
    subscription_revoke_payment(payment=payment, reason=f"Dispute of {payment.reference} lost")
    return "dispute lost: what it bought is taken back"


def on_refund(payload: dict) -> str:
    refund = _entity(payload, "refund")
    if refund.get("status") != "processed":
        return f"refund {refund.get('status')!r}: nothing to do yet"
    amount = refund.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise PaymentRejected("the refund has no amount")
    payment = _payment(refund.get("payment_id"))
    return payment_refund_record(payment=payment, refund_id=str(refund["id"]), amount_paise=amount)


def on_dispute(payload: dict) -> str:
    dispute = _entity(payload, "dispute")
    payment = _payment(dispute.get("payment_id"))
    return payment_dispute_record(payment=payment, status=DISPUTE_EVENTS[payload["event"]])


def _entity(payload: dict, name: str) -> dict:
    try:
        entity = payload["payload"][name]["entity"]
    except (KeyError, TypeError) as missing:
        raise PaymentRejected(f"no {name} in the event") from missing
    if not isinstance(entity, dict) or "id" not in entity:
        raise PaymentRejected(f"no {name} in the event")
    return entity


def _payment(razorpay_payment_id) -> Payment:
    payment = Payment.objects.filter(razorpay_payment_id=str(razorpay_payment_id or "")).first()
    if payment is None or not razorpay_payment_id:
        raise PaymentRejected(f"unknown payment {razorpay_payment_id!r}")
    if payment.user_id is None:
        raise PaymentRejected(f"payment {razorpay_payment_id} belongs to a closed account")
    return payment
