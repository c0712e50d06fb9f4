"""Refunds and disputes end what their payment bought, once; unpaid orders expire and a
repeated Upgrade click reuses the open order."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from billing import services
from billing.models import (
    DisputeStatus,
    LedgerKind,
    Payment,
    PaymentStatus,
    Plan,
    Subscription,
    SubscriptionStatus,
)
from testing.credits import reserve
from testing.fake_razorpay import (
    checkout_response,
    dispute_webhook_body,
    pay,
    refund_webhook_body,
    webhook_body,
)
from testing.mfa import log_in_as_staff

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
PRICE = 50000


@pytest.fixture
def paid(razorpay, user):
    with time_machine.travel(START, tick=False):
        pay(user)
    return Payment.objects.get(user=user)


def refund(post_webhook, payment, amount=PRICE, refund_id="rfnd_1", **kwargs):
    body = refund_webhook_body(
        payment.razorpay_payment_id, amount=amount, refund_id=refund_id, **kwargs
    )
    return post_webhook(body)


def test_a_full_refund_ends_premium_once_however_often_it_arrives(paid, user, post_webhook):
    with time_machine.travel(START + dt.timedelta(days=3), tick=False):
        reserve(user=user, amount=100, reference="g:1")
        answers = [
            refund(post_webhook, paid, event="refund.created").content,
            refund(post_webhook, paid).content,
            refund(post_webhook, paid).content,
        ]

    assert answers[0].startswith(b"refunded") and answers[1:] == [b"duplicate refund"] * 2
    account = user.credit_account
    account.refresh_from_db()
    assert (account.plan, account.balance) == (Plan.FREE, 5)  # the kept free generations
    assert Subscription.objects.get(user=user).status == SubscriptionStatus.EXPIRED
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_paise) == (PaymentStatus.REFUNDED, PRICE)
    assert account.entries.filter(kind=LedgerKind.EXPIRY).count() == 1


def test_refunding_a_renewal_takes_back_its_period_and_credits(paid, user, post_webhook):
    with time_machine.travel(START + dt.timedelta(days=10), tick=False):
        pay(user)
        renewal = Payment.objects.exclude(pk=paid.pk).get()
        reserve(user=user, amount=2000, reference="g:1")
        refund(post_webhook, renewal)

    subscription = Subscription.objects.get(user=user)
    assert subscription.current_period_end == START + dt.timedelta(days=30)
    account = user.credit_account
    account.refresh_from_db()
    assert (account.plan, account.balance) == (Plan.PREMIUM, 1200 - 1200)
    taken = account.entries.get(kind=LedgerKind.REVOCATION)
    assert (taken.amount, taken.reference) == (-1200, renewal.reference)  # never below zero
    assert account.period_end == subscription.current_period_end


def test_a_partial_refund_is_recorded_and_shown_to_staff(
    paid, user, post_webhook, client, make_user
):
    log_in_as_staff(client, make_user(is_staff=True, is_superuser=True))
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        assert refund(post_webhook, paid, amount=20000).content == b"partial refund recorded"

    paid.refresh_from_db()
    assert (paid.status, paid.refunded_paise) == (PaymentStatus.PAID, 20000)
    assert services.credit_account_for(user=user).plan == Plan.PREMIUM
    page = client.get(reverse("admin:billing_payment_changelist")).content.decode()
    assert '<td class="field-refunded_paise">20000</td>' in page


@pytest.mark.parametrize("amount", [PRICE + 1, 0, -5])
def test_a_refund_that_does_not_fit_the_payment_changes_nothing(paid, user, post_webhook, amount):
    response = refund(post_webhook, paid, amount=amount)

    assert response.status_code == 200 and response.content.startswith(b"rejected")
    paid.refresh_from_db()
    assert paid.refunded_paise == 0 and paid.revoked_at is None
    assert services.credit_account_for(user=user).plan == Plan.PREMIUM


def test_a_refund_for_an_unknown_payment_is_recorded_and_refused(razorpay, post_webhook):
    body = refund_webhook_body("pay_nobody", amount=100, refund_id="rfnd_9")
    response = post_webhook(body)
    assert response.status_code == 200 and response.content.startswith(b"rejected")


def test_a_dispute_is_flagged_and_a_lost_one_ends_premium(paid, user, post_webhook):
    with time_machine.travel(START + dt.timedelta(days=2), tick=False):
        opened = post_webhook(
            dispute_webhook_body("payment.dispute.created", paid.razorpay_payment_id)
        )
        paid.refresh_from_db()
        assert (opened.content, paid.dispute_status) == (b"dispute open", DisputeStatus.OPEN)
        assert services.credit_account_for(user=user).plan == Plan.PREMIUM
        post_webhook(dispute_webhook_body("payment.dispute.lost", paid.razorpay_payment_id))

    paid.refresh_from_db()
    assert paid.dispute_status == DisputeStatus.LOST and paid.revoked_at is not None
    assert services.credit_account_for(user=user).plan == Plan.FREE


def test_a_won_dispute_takes_nothing(paid, user, post_webhook):
    with time_machine.travel(START + dt.timedelta(days=2), tick=False):
        post_webhook(dispute_webhook_body("payment.dispute.won", paid.razorpay_payment_id))
    assert services.credit_account_for(user=user).plan == Plan.PREMIUM


def test_repeated_upgrade_clicks_reuse_the_open_order(razorpay, user):
    with time_machine.travel(START, tick=False):
        first = services.payment_start(user=user)
        assert services.payment_start(user=user) == first
    with time_machine.travel(START + dt.timedelta(hours=13), tick=False):
        later = services.payment_start(user=user)
    assert later != first
    assert len(razorpay.orders) == 2


def test_unpaid_orders_expire_and_a_late_payment_is_still_honoured(razorpay, user, post_webhook):
    with time_machine.travel(START, tick=False):
        order = services.payment_start(user=user)
    with time_machine.travel(START + dt.timedelta(hours=23), tick=False):
        assert services.payments_expire_unpaid() == 0
    with time_machine.travel(START + dt.timedelta(hours=25), tick=False):
        assert services.payments_expire_unpaid() == 1
        order.refresh_from_db()
        assert order.status == PaymentStatus.EXPIRED
        body = webhook_body(
            "payment.captured", order_id=order.razorpay_order_id, payment_id="pay_late"
        )
        assert post_webhook(body).content == b"activated"
    assert services.credit_account_for(user=user).plan == Plan.PREMIUM


def webhook_paid(post_webhook, payment, payment_id="pay_replayed"):
    body = webhook_body("order.paid", order_id=payment.razorpay_order_id, payment_id=payment_id)
    assert post_webhook(body).content == b"activated"
    payment.refresh_from_db()
    return payment


def test_a_checkout_callback_replayed_after_a_refund_changes_nothing(
    razorpay, client, user, post_webhook
):
    order = services.payment_start(user=user)
    callback = checkout_response(order.razorpay_order_id, payment_id="pay_replayed")
    paid = webhook_paid(post_webhook, order)
    refund(post_webhook, paid)
    client.force_login(user)

    response = client.post(reverse("billing:payment_verify"), callback, follow=True)

    assert "cannot be paid again" in response.content.decode()
    order.refresh_from_db()
    assert (order.status, order.payload) == (PaymentStatus.REFUNDED, paid.payload)
    account = services.credit_account_for(user=user)
    assert (account.plan, account.balance) == (Plan.FREE, 5)


def test_a_payment_event_arriving_after_the_refund_leaves_the_payment_refunded(
    razorpay, user, post_webhook
):
    paid = webhook_paid(post_webhook, services.payment_start(user=user))
    refund(post_webhook, paid)

    late = webhook_body(
        "payment.captured", order_id=paid.razorpay_order_id, payment_id="pay_replayed"
    )
    answer = post_webhook(late)

    assert answer.status_code == 200 and answer.content.startswith(b"rejected")
    refunded = Payment.objects.get(pk=paid.pk)
    assert (refunded.status, refunded.payload) == (PaymentStatus.REFUNDED, paid.payload)
