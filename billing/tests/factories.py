from billing import services
from billing.models import CreditAccount


def account_with(*, user, balance: int) -> CreditAccount:
    """The user's account brought to `balance` through the ledger."""
    account = services.credit_account_for(user=user)
    delta = balance - account.balance
    if delta:
        services.credits_adjust(user=user, amount=delta, reason="test setup", created_by=None)
    account.refresh_from_db()
    return account
