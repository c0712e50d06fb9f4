"""A reservation without a job, for tests of refunds, balances and periods."""

from django.db import transaction

from billing import services as billing


@transaction.atomic
def reserve(user, amount: int, reference: str, reason: str = "x"):
    """Reserve the way generation_submit does: lock, settle an ended period, reserve."""
    account = billing.credit_account_lock(user=user)
    billing.credits_settle_period(account=account)
    return billing.credits_reserve(
        account=account, amount=amount, reference=reference, reason=reason
    )
