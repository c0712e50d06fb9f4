"""Billing business operations: the credit ledger, plans, subscriptions and payments.

Every change of a balance goes through `_append`, which writes a ledger entry with
the resulting balance, so the balance is always the ledger's sum.
"""

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .exceptions import InvalidAdjustment, PaymentRejected, QuotaExceeded
from .gateways import razorpay as gateway
from .models import (
    CreditAccount,
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentStatus,
    Plan,
    Subscription,
    SubscriptionStatus,
    WebhookEvent,
)

logger = logging.getLogger(__name__)

__all__ = [
    "InvalidAdjustment",
    "PaymentRejected",
    "QuotaExceeded",
    "credit_account_for",
    "credits_adjust",
    "credits_balance",
    "credits_grant",
    "credits_refund",
    "credits_reserve",
    "credits_reset_period",
    "generation_cost",
    "payment_confirm_checkout",
    "payment_start",
    "subscription_activate",
    "subscription_expire_due",
    "webhook_receive",
]


# --- Accounts and the ledger ----------------------------------------------------


@transaction.atomic
def credit_account_for(*, user) -> CreditAccount:
    """The user's account, created on first use with the free plan's grant."""
    account = CreditAccount.objects.filter(user=user).first()
    if account is not None:
        return account
    try:
        # A savepoint: when two first requests race, the loser's INSERT waits on the
        # unique index, fails once the winner commits, and reads the winner's row.
        with transaction.atomic():
            account = CreditAccount.objects.create(user=user, plan=Plan.FREE, balance=0)
    except IntegrityError:
        return CreditAccount.objects.get(user=user)
    free = settings.FREE_PLAN_GENERATIONS
    _append(
        account,
        kind=LedgerKind.GRANT,
        amount=free,
        reason=f"Free plan: {free} generations",
        reference="plan:free",
    )
    return account


def _locked_account(user) -> CreditAccount:
    # Row lock for the rest of the transaction: concurrent reserves, refunds and
    # resets for one user queue up here, so each reads the balance the previous
    # one wrote and none can overdraw.
    account = credit_account_for(user=user)
    return CreditAccount.objects.select_for_update().get(pk=account.pk)


def _append(
    account: CreditAccount,
    *,
    kind: str,
    amount: int,
    reason: str,
    reference: str = "",
    created_by=None,
) -> LedgerEntry:
    """Move a locked account's balance by `amount` and record it."""
    account.balance += amount
    account.save(update_fields=["balance", "updated_at"])
    return LedgerEntry.objects.create(
        account=account,
        kind=kind,
        amount=amount,
        balance_after=account.balance,
        reason=reason,
        reference=reference,
        created_by=created_by,
    )


def credits_balance(*, user) -> int:
    return credit_account_for(user=user).balance


def generation_cost(*, user, kind: str, count: int) -> int:
    """Credits one job costs.

    Free plan: one of its generations per job, whatever the kind or count. Premium:
    `GENERATION_COSTS[kind]` per output for images and edits, flat for the others.
    A kind priced 0 (prompt enhancement by default) is free on every plan.
    """
    unit = settings.GENERATION_COSTS[kind]
    if unit == 0:
        return 0
    if credit_account_for(user=user).plan == Plan.FREE:
        return 1
    if kind in ("image", "edit"):
        return unit * max(count, 1)
    return unit


@transaction.atomic
def credits_reserve(*, user, amount: int, reference: str, reason: str) -> LedgerEntry | None:
    """Take `amount` credits for the job named by `reference`; once per reference."""
    if amount < 0:
        raise ValueError("A reservation cannot be negative.")
    if amount == 0:
        return None
    account = _locked_account(user)
    existing = account.entries.filter(kind=LedgerKind.RESERVE, reference=reference).first()
    if existing is not None:
        return existing
    if account.balance < amount:
        raise QuotaExceeded(balance=account.balance, needed=amount, plan=account.plan)
    return _append(
        account, kind=LedgerKind.RESERVE, amount=-amount, reason=reason, reference=reference
    )


@transaction.atomic
def credits_refund(*, user, reference: str, reason: str) -> LedgerEntry | None:
    """Give back what was reserved under `reference`, once; None when there is nothing to give.

    Credits reserved before a period reset or an expiry are not refunded: they
    belonged to a period that is over and would have expired with it.
    """
    account = _locked_account(user)
    reserved = account.entries.filter(kind=LedgerKind.RESERVE, reference=reference).first()
    if reserved is None:
        return None
    entries = account.entries
    if entries.filter(kind=LedgerKind.REFUND, reference=reference).exists():
        return None
    if entries.filter(kind__in=[LedgerKind.RESET, LedgerKind.EXPIRY], pk__gt=reserved.pk).exists():
        logger.info("Not refunding %s: its credit period has ended", reference)
        return None
    return _append(
        account, kind=LedgerKind.REFUND, amount=-reserved.amount, reason=reason, reference=reference
    )


@transaction.atomic
def credits_grant(
    *, user, amount: int, reason: str, reference: str, created_by=None
) -> LedgerEntry:
    if amount <= 0:
        raise ValueError("A grant must be positive.")
    account = _locked_account(user)
    return _append(
        account,
        kind=LedgerKind.GRANT,
        amount=amount,
        reason=reason,
        reference=reference,
        created_by=created_by,
    )


@transaction.atomic
def credits_adjust(*, user, amount: int, reason: str, created_by) -> LedgerEntry:
    """A staff correction, up or down; never below zero."""
    if amount == 0:
        raise InvalidAdjustment("An adjustment needs a non-zero amount.")
    if not reason.strip():
        raise InvalidAdjustment("An adjustment needs a reason.")
    account = _locked_account(user)
    if account.balance + amount < 0:
        raise InvalidAdjustment(
            f"The balance is {account.balance}; it cannot go down by {-amount}."
        )
    return _append(
        account,
        kind=LedgerKind.ADJUSTMENT,
        amount=amount,
        reason=reason,
        reference=f"staff:{created_by.pk}" if created_by else "staff",
        created_by=created_by,
    )


# --- Subscriptions ------------------------------------------------------------------


def _period() -> timedelta:
    return timedelta(days=settings.PREMIUM_PERIOD_DAYS)


def _reset(account: CreditAccount, *, reason: str, reference: str) -> LedgerEntry:
    credits = settings.PREMIUM_CREDITS_PER_PERIOD
    return _append(
        account,
        kind=LedgerKind.RESET,
        amount=credits - account.balance,
        reason=reason,
        reference=reference,
    )


@transaction.atomic
def subscription_activate(*, payment: Payment) -> Subscription:
    """Grant premium for a paid payment, exactly once per payment.

    A new (or lapsed) subscription starts now with a fresh period of credits; a
    renewal while active extends the paid period, and the next monthly reset
    brings the new period's credits.
    """
    account = _locked_account(payment.user)
    # Locked after the account, in the same order everywhere, so concurrent
    # callback and webhook for one payment run one after the other.
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    subscription = Subscription.objects.filter(user=payment.user).first()
    if payment.activated_at is not None:
        return subscription
    if payment.status != PaymentStatus.PAID:
        raise PaymentRejected("This payment has not been paid.")
    now = timezone.now()
    if subscription is not None and subscription.is_active_at(now):
        subscription.current_period_end += _period()
    else:
        subscription = subscription or Subscription(user=payment.user)
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.current_period_start = now
        subscription.current_period_end = now + _period()
        account.plan = Plan.PREMIUM
        account.period_end = now + _period()
        account.save(update_fields=["plan", "period_end", "updated_at"])
        _reset(account, reason="Premium activated", reference=payment.reference)
    subscription.latest_payment = payment
    subscription.save()
    payment.activated_at = now
    payment.save(update_fields=["activated_at", "updated_at"])
    logger.info("Premium granted to user %s by %s", payment.user_id, payment.reference)
    return subscription


def subscription_expire_due(*, now: datetime | None = None) -> list[Subscription]:
    """End every subscription whose paid period is over; their credits expire."""
    now = now or timezone.now()
    ids = list(Subscription.objects.due_for_expiry(now).values_list("pk", flat=True))
    return [sub for pk in ids if (sub := _subscription_expire(subscription_id=pk, now=now))]


@transaction.atomic
def _subscription_expire(*, subscription_id: int, now: datetime) -> Subscription | None:
    user = Subscription.objects.select_related("user").get(pk=subscription_id).user
    account = _locked_account(user)
    subscription = Subscription.objects.select_for_update().get(pk=subscription_id)
    if subscription.status != SubscriptionStatus.ACTIVE or subscription.current_period_end > now:
        return None  # renewed or expired by someone else meanwhile
    subscription.status = SubscriptionStatus.EXPIRED
    subscription.save(update_fields=["status", "updated_at"])
    if account.balance:
        _append(
            account,
            kind=LedgerKind.EXPIRY,
            amount=-account.balance,
            reason="Premium ended: remaining credits expire",
            reference=f"subscription:{subscription.pk}",
        )
    account.plan = Plan.FREE
    account.period_end = None
    account.save(update_fields=["plan", "period_end", "updated_at"])
    return subscription


def credits_reset_due(now: datetime):
    """Premium accounts whose credit period is over while their subscription runs on."""
    return CreditAccount.objects.filter(
        plan=Plan.PREMIUM,
        period_end__lte=now,
        user__subscription__status=SubscriptionStatus.ACTIVE,
        user__subscription__current_period_end__gt=now,
    )


def credits_reset_period(*, now: datetime | None = None) -> list[CreditAccount]:
    """Start the next monthly credit period for premium subscriptions paid beyond it."""
    now = now or timezone.now()
    ids = list(credits_reset_due(now).values_list("pk", flat=True))
    return [account for pk in ids if (account := _credits_reset(account_id=pk, now=now))]


@transaction.atomic
def _credits_reset(*, account_id: int, now: datetime) -> CreditAccount | None:
    account = credits_reset_due(now).select_for_update(of=("self",)).filter(pk=account_id).first()
    if account is None:
        return None
    while account.period_end <= now:
        account.period_end += _period()
    account.save(update_fields=["period_end", "updated_at"])
    _reset(
        account,
        reason="Premium: new monthly credits",
        reference=f"period:{account.period_end:%Y-%m-%d}",
    )
    return account


# --- Payments ---------------------------------------------------------------------


def payment_start(*, user) -> Payment:
    """Create a Razorpay order for premium at the price in settings, and record it.

    Called outside any transaction: Razorpay is called first, then the order is saved.
    """
    amount, currency = settings.PREMIUM_PRICE_PAISE, settings.PREMIUM_CURRENCY
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
    _locked_account(payment.user)  # account before payment, the order used everywhere
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


# --- Webhooks ---------------------------------------------------------------------


def webhook_receive(*, event_id: str, payload: dict) -> str:
    """Handle a verified webhook once per event id; returns what was done."""
    handler = WEBHOOK_HANDLERS.get(payload.get("event", ""))
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                event_id=event_id, event_type=payload.get("event", "")[:64], payload=payload
            )
            try:
                with transaction.atomic():
                    event.outcome = handler(payload) if handler else "ignored"
            except PaymentRejected as exc:
                logger.warning("Razorpay webhook %s rejected: %s", event_id, exc)
                event.outcome = f"rejected: {exc}"[:255]
            event.save(update_fields=["outcome"])
            return event.outcome
    except IntegrityError:
        return "duplicate"


def _on_payment_paid(payload: dict) -> str:
    entity = payload["payload"]["payment"]["entity"]
    payment = Payment.objects.filter(razorpay_order_id=entity.get("order_id") or "").first()
    if payment is None:
        raise PaymentRejected(f"unknown order {entity.get('order_id')!r}")
    if entity.get("amount") != payment.amount_paise or entity.get("currency") != payment.currency:
        raise PaymentRejected(
            f"amount {entity.get('amount')} {entity.get('currency')} does not match "
            f"{payment.amount_paise} {payment.currency}"
        )
    payment = _payment_mark_paid(payment=payment, payment_id=entity["id"], payload=payload)
    subscription_activate(payment=payment)
    return "activated"


WEBHOOK_HANDLERS = {
    "payment.captured": _on_payment_paid,
    "order.paid": _on_payment_paid,
}
