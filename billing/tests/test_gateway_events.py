import pytest

from billing import services
from billing.models import Payment, PaymentStatus, Plan, WebhookEvent
from testing.credits import reserve
from testing.fake_razorpay import webhook_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(razorpay, user):
    return services.payment_start(user=user)


def test_payment_captured_activates_premium(order, user, post_webhook):
    body = webhook_body("payment.captured", order_id=order.razorpay_order_id, payment_id="pay_1")
    response = post_webhook(body, event_id="evt_1")
    assert (response.status_code, response.content) == (200, b"activated")
    assert services.credit_account_for(user=user).plan == Plan.PREMIUM
    order.refresh_from_db()
    assert order.razorpay_payment_id == "pay_1"
    assert order.payload["event"] == "payment.captured"


def test_duplicate_event_id_is_processed_once(order, user, post_webhook):
    body = webhook_body("payment.captured", order_id=order.razorpay_order_id, payment_id="pay_1")
    post_webhook(body, event_id="evt_1")
    reserve(user=user, amount=5, reference="generation:1", reason="x")
    response = post_webhook(body, event_id="evt_1")
    assert (response.status_code, response.content) == (200, b"duplicate")
    assert WebhookEvent.objects.count() == 1
    assert services.credits_balance(user=user) == 1595


def test_order_paid_after_payment_captured_grants_once(order, user, post_webhook):
    for event in ("payment.captured", "order.paid"):
        body = webhook_body(event, order_id=order.razorpay_order_id, payment_id="pay_1")
        post_webhook(body)
    assert WebhookEvent.objects.count() == 2
    assert user.credit_account.entries.filter(kind="reset").count() == 1


def test_forged_signature_is_rejected(order, user, post_webhook):
    body = webhook_body("payment.captured", order_id=order.razorpay_order_id, payment_id="pay_1")
    response = post_webhook(body, secret="not-the-secret")
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
    assert services.credit_account_for(user=user).plan == Plan.FREE


def test_tampered_amount_grants_nothing(order, user, post_webhook):
    body = webhook_body(
        "payment.captured", order_id=order.razorpay_order_id, payment_id="pay_1", amount=100
    )
    response = post_webhook(body, event_id="evt_cheap")
    assert response.status_code == 200
    assert response.content.startswith(b"rejected")
    assert WebhookEvent.objects.get(event_id="evt_cheap").outcome.startswith("rejected")
    assert services.credit_account_for(user=user).plan == Plan.FREE
    assert Payment.objects.get(pk=order.pk).status == PaymentStatus.CREATED


def test_wrong_currency_grants_nothing(order, user, post_webhook):
    body = webhook_body(
        "payment.captured", order_id=order.razorpay_order_id, payment_id="pay_1", currency="USD"
    )
    assert post_webhook(body).content.startswith(b"rejected")
    assert services.credit_account_for(user=user).plan == Plan.FREE


def test_unknown_order_is_recorded_and_ignored(razorpay, post_webhook):
    body = webhook_body("payment.captured", order_id="order_elsewhere", payment_id="pay_9")
    assert post_webhook(body).content.startswith(b"rejected")
    assert not Payment.objects.exists()


def test_other_events_are_recorded_and_ignored(razorpay, post_webhook):
    body = webhook_body("payment.failed", order_id="order_x", payment_id="pay_9")
    assert post_webhook(body).content == b"ignored"


def test_missing_event_id_is_rejected(razorpay, client):
    from testing.fake_razorpay import WEBHOOK_SECRET, sign

    body = webhook_body("payment.captured", order_id="order_x", payment_id="pay_9")
    response = client.post(
        "/webhooks/razorpay/",
        data=body,
        content_type="application/json",
        headers={"X-Razorpay-Signature": sign(body, WEBHOOK_SECRET)},
    )
    assert response.status_code == 400


def test_event_without_a_payment_is_rejected_not_crashed(razorpay, post_webhook):
    body = b'{"event": "payment.captured", "payload": {}}'
    response = post_webhook(body)
    assert response.status_code == 200
    assert response.content.startswith(b"rejected")
