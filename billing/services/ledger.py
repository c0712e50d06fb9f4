"""The credit ledger: every change of a balance goes through `ledger_append`, which
writes an entry with the resulting balance, so the balance is always the ledger's sum.
Credits, subscriptions and payments all lock and move accounts through this module."""

from django.conf import settings
from django.db import IntegrityError, transaction

from billing.models import CreditAccount, LedgerEntry, LedgerKind, Plan


def credit_account_for(*, user) -> CreditAccount:
    """The user's account, created on first use with the free plan's grant."""
    account = CreditAccount.objects.filter(user=user).first()
    return account if account is not None else _account_create(user)


def credit_account_lock(*, user) -> CreditAccount:
    """The user's account, created on first use, row-locked until the caller's
    transaction ends."""
    # Concurrent reserves, refunds and resets for one user queue up here, so each
    # reads the balance the previous one wrote and none can overdraw.
    locked = CreditAccount.objects.select_for_update()
    account = locked.filter(user=user).first()
    if account is None:
        account = locked.get(pk=_account_create(user).pk)
    return account


@transaction.atomic
def _account_create(user) -> CreditAccount:
    try:
        # A savepoint: when two first requests race, the loser's INSERT waits on the
        # unique index, fails once the winner commits, and reads the winner's row.
        with transaction.atomic():
            account = CreditAccount.objects.create(user=user, plan=Plan.FREE, balance=0)
    except IntegrityError:
        return CreditAccount.objects.get(user=user)
    free = settings.FREE_PLAN_GENERATIONS
    ledger_append(
        account,
        kind=LedgerKind.GRANT,
        amount=free,
        reason=f"Free plan: {free} generations",
        reference="plan:free",
    )
    return account


def ledger_append(
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
