"""Real threads on real PostgreSQL connections: the row lock is what is under test."""

import json

from billing import services
from billing.exceptions import QuotaExceeded
from billing.models import CreditAccount, LedgerEntry, LedgerKind
from testing.credits import reserve
from testing.threads import run_in_threads


def test_concurrent_reserves_never_overdraw(transactional_db, user):
    services.credit_account_for(user=user)

    def reserve_one(i):
        return reserve(user=user, amount=1, reference=f"generation:{i}", reason="Image")

    results = run_in_threads(20, reserve_one)

    succeeded = [r for r in results if isinstance(r, LedgerEntry)]
    refused = [r for r in results if isinstance(r, QuotaExceeded)]
    assert (len(succeeded), len(refused)) == (5, 15)
    account = CreditAccount.objects.get(user=user)
    assert account.balance == 0
    assert sorted(e.balance_after for e in succeeded) == [0, 1, 2, 3, 4]


def test_concurrent_first_access_creates_one_account_and_one_grant(transactional_db, user):
    results = run_in_threads(10, lambda i: services.credit_account_for(user=user).pk)

    assert len(set(results)) == 1, results
    assert CreditAccount.objects.filter(user=user).count() == 1
    grants = LedgerEntry.objects.for_user(user).filter(kind=LedgerKind.GRANT)
    assert grants.count() == 1
    assert services.credits_balance(user=user) == 5


def test_concurrent_refunds_of_one_job_refund_once(transactional_db, user):
    reserve(user=user, amount=1, reference="generation:1", reason="Image")

    results = run_in_threads(
        10,
        lambda i: services.credits_refund(user=user, reference="generation:1", reason="failed"),
    )

    assert len([r for r in results if isinstance(r, LedgerEntry)]) == 1, results
    assert services.credits_balance(user=user) == 5


def test_callback_and_webhooks_racing_for_one_payment_grant_once(transactional_db, razorpay, user):
    from billing.models import LedgerKind
    from testing.fake_razorpay import checkout_response, webhook_body

    payment = services.payment_start(user=user)
    callback = checkout_response(payment.razorpay_order_id)
    body = json.loads(
        webhook_body(
            "payment.captured",
            order_id=payment.razorpay_order_id,
            payment_id=callback["razorpay_payment_id"],
        )
    )

    def deliver(i):
        if i % 2:
            return services.gateway_event_receive(event_id=f"evt_{i}", payload=body)
        return services.payment_confirm_checkout(
            user=user,
            order_id=callback["razorpay_order_id"],
            payment_id=callback["razorpay_payment_id"],
            signature=callback["razorpay_signature"],
        )

    results = run_in_threads(8, deliver)

    assert not [r for r in results if isinstance(r, Exception)], results
    account = CreditAccount.objects.get(user=user)
    assert account.entries.filter(kind=LedgerKind.RESET).count() == 1
    assert (account.plan, account.balance) == ("premium", 1600)
