"""Premium subscriptions: activation by a payment, monthly credit resets, expiry."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billing.exceptions import InvalidAdjustment, PaymentRejected
from billing.models import (
    CreditAccount,
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentStatus,
    Plan,
    Subscription,
    SubscriptionStatus,
)

from .ledger import credit_account_lock, ledger_append

logger = logging.getLogger(__name__)


def _period() -> timedelta:
    return timedelta(days=settings.PREMIUM_PERIOD_DAYS)


def _reset(account: CreditAccount, *, reason: str, reference: str, created_by=None) -> LedgerEntry:
    credits = settings.PREMIUM_CREDITS_PER_PERIOD
    return ledger_append(
        account,
        kind=LedgerKind.RESET,
        amount=credits - account.balance,
        reason=reason,
        reference=reference,
        created_by=created_by,
    )


@transaction.atomic
def subscription_activate(*, payment: Payment) -> Subscription:
    """Grant premium for a paid payment, exactly once per payment.

    A new (or lapsed) subscription starts now with a fresh period of credits, keeping
    the free generations not yet used for when premium ends. A payment while premium
    is active adds a period's credits at once and extends the paid time (and the credit
    period) by a period from its current end: a payment never changes nothing.
    """
    account = credit_account_lock(user=payment.user)
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
        _extend(account, subscription, payment=payment, now=now)
    else:
        subscription = subscription or Subscription(user=payment.user)
        end = subscription.paid_until_after_payment(now)
        _start(account, subscription, now=now, end=end, reference=payment.reference)
    subscription.latest_payment = payment
    subscription.save()
    payment.activated_at = now
    payment.save(update_fields=["activated_at", "updated_at"])
    logger.info("Premium granted to user %s by %s", payment.user_id, payment.reference)
    return subscription


def _start(
    account, subscription, *, now: datetime, end: datetime, reference: str, created_by=None
) -> None:
    subscription.status = SubscriptionStatus.ACTIVE
    subscription.current_period_start = now
    subscription.current_period_end = end
    reason = "Premium activated"
    if account.plan == Plan.FREE:
        account.free_generations_kept = account.balance
        reason += f" ({account.balance} free generations kept for after premium)"
    account.plan = Plan.PREMIUM
    # Paid time longer than a period gets a fresh period of credits at each period's end.
    account.period_end = min(end, now + _period())
    account.save(update_fields=["plan", "period_end", "free_generations_kept", "updated_at"])
    _reset(account, reason=reason, reference=reference, created_by=created_by)


def _extend(account, subscription, *, payment: Payment, now: datetime) -> None:
    subscription.current_period_end = subscription.paid_until_after_payment(now)
    account.period_end = subscription.current_period_end
    account.save(update_fields=["period_end", "updated_at"])
    credits = settings.PREMIUM_CREDITS_PER_PERIOD
    ledger_append(
        account,
        kind=LedgerKind.GRANT,
        amount=credits,
        reason=f"Premium renewed: {credits} credits added, paid until "
        f"{subscription.current_period_end:%Y-%m-%d}",
        reference=payment.reference,
    )


def subscriptions_expire_due(*, now: datetime | None = None) -> list[Subscription]:
    """End every subscription whose paid period is over; their credits expire."""
    now = now or timezone.now()
    ids = list(Subscription.objects.due_for_expiry(now).values_list("pk", flat=True))
    return [sub for pk in ids if (sub := _subscription_expire(subscription_id=pk, now=now))]


@transaction.atomic
def _subscription_expire(*, subscription_id: int, now: datetime) -> Subscription | None:
    user = Subscription.objects.select_related("user").get(pk=subscription_id).user
    account = credit_account_lock(user=user)
    subscription = Subscription.objects.select_for_update().get(pk=subscription_id)
    if subscription.status != SubscriptionStatus.ACTIVE or subscription.current_period_end > now:
        return None  # renewed or expired by someone else meanwhile
    _expire(account, subscription)
    return subscription


def _expire(
    account: CreditAccount,
    subscription: Subscription | None,
    *,
    reason: str = "Premium ended: remaining credits expire",
    created_by=None,
) -> None:
    if subscription is not None:
        subscription.status = SubscriptionStatus.EXPIRED
        subscription.save(update_fields=["status", "updated_at"])
    if account.balance:
        ledger_append(
            account,
            kind=LedgerKind.EXPIRY,
            amount=-account.balance,
            reason=reason,
            reference=f"subscription:{subscription.pk}" if subscription else "",
            created_by=created_by,
        )
    account.plan = Plan.FREE
    account.period_end = None
    if account.free_generations_kept:
        kept, account.free_generations_kept = account.free_generations_kept, 0
        ledger_append(
            account,
            kind=LedgerKind.GRANT,
            amount=kept,
            reason=f"Back on the free plan: the {kept} free generations you had not used",
            reference="plan:free",
        )
    account.save(update_fields=["plan", "period_end", "free_generations_kept", "updated_at"])


@transaction.atomic
def subscription_grant(*, user, days: int, reason: str, by) -> Subscription:
    """Staff give premium for `days`: added to the paid time while premium is active,
    otherwise premium starts now as a payment would start it. In the ledger either way."""
    if days <= 0:
        raise InvalidAdjustment("Give a positive number of days.")
    _require_reason(reason)
    account = credit_account_lock(user=user)
    now = timezone.now()
    subscription = Subscription.objects.select_for_update().filter(user=user).first()
    if subscription is not None and subscription.is_active_at(now):
        subscription.current_period_end += timedelta(days=days)
    else:
        subscription = subscription or Subscription(user=user)
        end = now + timedelta(days=days)
        _start(account, subscription, now=now, end=end, reference=f"staff:{by.pk}", created_by=by)
    # The time given is a ledger line too, with who and why, though it moves no credits.
    ledger_append(
        account,
        kind=LedgerKind.GRANT,
        amount=0,
        reason=f"Premium for {days} more days, given by {by}: {reason}",
        reference=f"staff:{by.pk}",
        created_by=by,
    )
    subscription.save()
    return subscription


@transaction.atomic
def subscription_revoke(*, user, reason: str, by) -> Subscription:
    """Staff end premium now: its credits go, the kept free generations come back."""
    _require_reason(reason)
    account = credit_account_lock(user=user)
    now = timezone.now()
    subscription = Subscription.objects.select_for_update().filter(user=user).first()
    if subscription is None or not subscription.is_active_at(now):
        raise InvalidAdjustment(f"{user} has no premium to revoke.")
    subscription.current_period_end = now
    subscription.save(update_fields=["current_period_end", "updated_at"])
    _expire(account, subscription, reason=f"Premium revoked by {by}: {reason}", created_by=by)
    return subscription


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise InvalidAdjustment("Say why: the reason is kept in the ledger.")


@transaction.atomic
def subscription_revoke_payment(*, payment: Payment, reason: str) -> bool:
    """Take back what a payment bought, once (a full refund, a lost dispute): its period
    of paid time and, while premium goes on, up to a period's credits, never below zero.
    False when there was nothing (left) to take back."""
    account = credit_account_lock(user=payment.user)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not payment.can_be_revoked:
        return False
    now = timezone.now()
    payment.revoked_at = now
    payment.save(update_fields=["revoked_at", "updated_at"])
    subscription = Subscription.objects.select_for_update().filter(user=payment.user).first()
    if subscription is None or not subscription.is_active_at(now):
        return True  # premium is over already; its credits went with it
    subscription.current_period_end -= _period()
    subscription.save(update_fields=["current_period_end", "updated_at"])
    if subscription.current_period_end <= now:
        _expire(account, subscription, reason=f"{reason}: premium ends, its credits go")
        return True
    account.period_end = min(account.period_end, subscription.current_period_end)
    account.save(update_fields=["period_end", "updated_at"])
    taken = min(account.balance, settings.PREMIUM_CREDITS_PER_PERIOD)
    if taken:
        ledger_append(
            account,
            kind=LedgerKind.REVOCATION,
            amount=-taken,
            reason=f"{reason}: its credits are taken back",
            reference=payment.reference,
        )
    return True


def credits_settle_period(*, account: CreditAccount) -> None:
    """Settle a locked account's ended premium period: the next period, or expiry.

    Spending and refunds call this first, so an ended period never lends its credits
    to the time before the periodic jobs run.
    """
    now = timezone.now()
    if account.plan != Plan.PREMIUM or not account.period_end or account.period_end > now:
        return
    subscription = Subscription.objects.select_for_update().filter(user_id=account.user_id).first()
    if subscription is not None and subscription.is_active_at(now):
        _start_next_period(account, now=now)
    else:
        _expire(account, subscription)


def credit_periods_due(now: datetime):
    """Premium accounts whose credit period is over while their subscription runs on."""
    return CreditAccount.objects.filter(
        plan=Plan.PREMIUM,
        period_end__lte=now,
        user__subscription__status=SubscriptionStatus.ACTIVE,
        user__subscription__current_period_end__gt=now,
    )


def credit_periods_reset_due(*, now: datetime | None = None) -> list[CreditAccount]:
    """Start the next monthly credit period for premium subscriptions paid beyond it."""
    now = now or timezone.now()
    ids = list(credit_periods_due(now).values_list("pk", flat=True))
    return [account for pk in ids if (account := _credit_period_reset(account_id=pk, now=now))]


@transaction.atomic
def _credit_period_reset(*, account_id: int, now: datetime) -> CreditAccount | None:
    account = credit_periods_due(now).select_for_update(of=("self",)).filter(pk=account_id).first()
    if account is None:
        return None
    _start_next_period(account, now=now)
    return account


def _start_next_period(account: CreditAccount, *, now: datetime) -> None:
    while account.period_end <= now:
        account.period_end += _period()
    account.save(update_fields=["period_end", "updated_at"])
    _reset(
        account,
        reason="Premium: new monthly credits",
        reference=f"period:{account.period_end:%Y-%m-%d}",
    )
