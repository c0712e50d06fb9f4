"""Razorpay payments: orders, the Checkout callback and the captured-payment event, all
converging on `subscription_activate`. Razorpay is never called inside a transaction."""

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billing.exceptions import PaymentRejected
from billing.gateways import razorpay as gateway
from billing.models import Payment, PaymentStatus

from .ledger import credit_account_lock
from .subscriptions import subscription_activate

logger = logging.getLogger(__name__)


def _order_lifetime() -> timedelta:
    return timedelta(hours=settings.PAYMENT_ORDER_TTL_HOURS)


def payment_start(*, user) -> Payment:
    """The user's open premium order at the price in settings, or a new Razorpay order.

    Called outside any transaction: Razorpay is called first, then the order is saved.
    """
    amount, currency = settings.PREMIUM_PRICE_PAISE, settings.PREMIUM_CURRENCY
    # Half the lifetime, so a reused order cannot expire while its Checkout is open.
    since = timezone.now() - _order_lifetime() / 2
    reusable = Payment.objects.open_orders(user=user, since=since)
    open_order = reusable.filter(amount_paise=amount, currency=currency).first()
    if open_order is not None:
        return open_order
    order = gateway.order_create(
        amount_paise=amount,
        currency=currency,
        receipt=f"premium-{user.pk}-{secrets.token_hex(4)}",
        notes={"user_id": str(user.pk), "plan": "premium"},
    )
    if order.get("amount") != amount or order.get("currency") != currency:
        raise gateway.GatewayError("Razorpay returned an order for a different amount.")
    return Payment.objects.create(
        user=user, razorpay_order_id=order["id"], amount_paise=amount, currency=currency
    )


@transaction.atomic
def _payment_mark_paid(*, payment: Payment, payment_id: str, payload: dict) -> Payment:
    credit_account_lock(user=payment.user)  # account before payment, the order used everywhere
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status == PaymentStatus.PAID:
        if payment.razorpay_payment_id != payment_id:
            logger.warning(
                "Order %s paid again by %s (first %s): not granted twice",
                payment.razorpay_order_id,
                payment_id,
                payment.razorpay_payment_id,
            )
        return payment
    if not payment.can_be_paid:
        raise PaymentRejected(
            f"This order is {payment.get_status_display().lower()} and cannot be paid again."
        )
    payment.status = PaymentStatus.PAID
    payment.razorpay_payment_id = payment_id
    payment.payload = payload
    payment.save(update_fields=["status", "razorpay_payment_id", "payload", "updated_at"])
    return payment


def payment_confirm_checkout(*, user, order_id: str, payment_id: str, signature: str) -> Payment:
    """The browser's Checkout callback: verify its signature, then activate premium."""
    if not gateway.checkout_signature_valid(
        order_id=order_id, payment_id=payment_id, signature=signature
    ):
        logger.warning("Checkout callback with a bad signature for order %s", order_id)
        raise PaymentRejected("The payment could not be verified.")
    payment = Payment.objects.filter(razorpay_order_id=order_id, user=user).first()
    if payment is None:
        logger.warning("Checkout callback for unknown order %s by user %s", order_id, user.pk)
        raise PaymentRejected("This order is not yours or does not exist.")
    payload = {
        "razorpay_order_id": order_id,
        "razorpay_payment_id": payment_id,
        "razorpay_signature": signature,
    }
    with transaction.atomic():
        payment = _payment_mark_paid(payment=payment, payment_id=payment_id, payload=payload)
        subscription_activate(payment=payment)
    return payment


def on_payment_captured(payload: dict) -> str:
    """Razorpay's event that a payment was captured: mark its order paid, activate premium."""
    try:
        entity = payload["payload"]["payment"]["entity"]
        payment_id = str(entity["id"])
        order_id = entity.get("order_id")
    except (KeyError, TypeError, AttributeError) as exc:
        raise PaymentRejected("no payment in the event") from exc
    if entity.get("status") != "captured":
        raise PaymentRejected(f"payment {payment_id} is {entity.get('status')!r}, not captured")
    if not isinstance(order_id, str):
        raise PaymentRejected(f"order id {order_id!r} is not a string")
    payment = Payment.objects.filter(razorpay_order_id=order_id).first()
    if payment is None:
        raise PaymentRejected(f"unknown order {order_id!r}")
    if payment.user_id is None:
        raise PaymentRejected(f"order {payment.razorpay_order_id} belongs to a closed account")
    if entity.get("amount") != payment.amount_paise or entity.get("currency") != payment.currency:
        raise PaymentRejected(
            f"amount {entity.get('amount')} {entity.get('currency')} does not match "
            f"{payment.amount_paise} {payment.currency}"
        )
    payment = _payment_mark_paid(payment=payment, payment_id=payment_id, payload=payload)
    subscription_activate(payment=payment)
    return "activated"


def payments_expire_unpaid(*, now: datetime | None = None) -> int:
    """Mark orders nobody paid within PAYMENT_ORDER_TTL_HOURS as expired; a late payment
    for one is still recorded and honoured."""
    now = now or timezone.now()
    unpaid = Payment.objects.unpaid_orders(older_than=now - _order_lifetime())
    return unpaid.update(status=PaymentStatus.EXPIRED, updated_at=now)
