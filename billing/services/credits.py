"""Spending and giving credits: reservations for jobs, their refunds, grants and staff
corrections, each a ledger entry on a locked account."""

import logging

from django.conf import settings
from django.db import transaction

from billing.exceptions import InvalidAdjustment, QuotaExceeded
from billing.models import CreditAccount, LedgerEntry, LedgerKind, Plan

from .ledger import credit_account_for, credit_account_lock, ledger_append
from .subscriptions import credits_settle_period

logger = logging.getLogger(__name__)


def credits_balance(*, user) -> int:
    return credit_account_for(user=user).balance


def plan_cost(*, plan: str, kind: str, count: int) -> int:
    """Credits one request costs on `plan` (read it from the locked, settled account).

    One request is one credit, however many images it asks for, as in the original
    service; the free plan spends one of its generations on any priced request. Premium
    video costs `GENERATION_COSTS["video"]`; with GENERATION_PRICE_PER_IMAGE, premium
    images and edits cost their price per output. A kind priced 0 is free on every plan.
    """
    unit = settings.GENERATION_COSTS[kind]
    if unit == 0:
        return 0
    if plan == Plan.FREE:
        return 1
    if kind in ("image", "edit") and settings.GENERATION_PRICE_PER_IMAGE:
        return unit * max(count, 1)
    return unit


def credits_reserve(
    *, account: CreditAccount, amount: int, reference: str, reason: str
) -> LedgerEntry | None:
    """Take `amount` credits for a job being created, on an account the caller holds
    from credit_account_lock(). No lookup first: every query here runs while the account
    is locked; the ledger's unique constraint refuses a second reserve of one reference."""
    if amount < 0:
        raise ValueError("A reservation cannot be negative.")
    if amount == 0:
        return None
    if account.balance < amount:
        raise QuotaExceeded(balance=account.balance, needed=amount, plan=account.plan)
    return ledger_append(
        account, kind=LedgerKind.RESERVE, amount=-amount, reason=reason, reference=reference
    )


@transaction.atomic
def credits_refund(*, user, reference: str, reason: str) -> LedgerEntry | None:
    """Give back what was reserved under `reference`, once; None when there is nothing to give.

    Credits reserved before a period reset or an expiry are not refunded: they
    belonged to a period that is over and would have expired with it.
    """
    account = credit_account_lock(user=user)
    credits_settle_period(account=account)
    reserved = account.entries.filter(kind=LedgerKind.RESERVE, reference=reference).first()
    if reserved is None:
        return None
    entries = account.entries
    if entries.filter(kind=LedgerKind.REFUND, reference=reference).exists():
        return None
    if entries.filter(kind__in=[LedgerKind.RESET, LedgerKind.EXPIRY], pk__gt=reserved.pk).exists():
        logger.info("Not refunding %s: its credit period has ended", reference)
        return None
    return ledger_append(
        account, kind=LedgerKind.REFUND, amount=-reserved.amount, reason=reason, reference=reference
    )


@transaction.atomic
def credits_grant(
    *, user, amount: int, reason: str, reference: str, created_by=None
) -> LedgerEntry:
    if amount <= 0:
        raise ValueError("A grant must be positive.")
    account = credit_account_lock(user=user)
    return ledger_append(
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
    account = credit_account_lock(user=user)
    if account.balance + amount < 0:
        raise InvalidAdjustment(
            f"The balance is {account.balance}; it cannot go down by {-amount}."
        )
    return ledger_append(
        account,
        kind=LedgerKind.ADJUSTMENT,
        amount=amount,
        reason=reason,
        reference=f"staff:{created_by.pk}" if created_by else "staff",
        created_by=created_by,
    )


@transaction.atomic
def credits_reset_free_quota(*, user, created_by) -> LedgerEntry | None:
    """Give a free-plan user their full free quota again; None when they already have it."""
    account = credit_account_lock(user=user)
    if account.plan != Plan.FREE:
        raise InvalidAdjustment("Only a free plan's quota can be reset.")
    free = settings.FREE_PLAN_GENERATIONS
    if account.balance == free:
        return None
    return ledger_append(
        account,
        kind=LedgerKind.RESET,
        amount=free - account.balance,
        reason=f"Free quota reset to {free} generations by staff",
        reference=f"staff:{created_by.pk}" if created_by else "staff",
        created_by=created_by,
    )
