from datetime import timedelta

import pytest
from django.urls import reverse

from billing import services
from billing.exceptions import PaymentRejected
from billing.models import LedgerKind, Payment, PaymentStatus, Plan, Subscription
from testing.credits import reserve
from testing.fake_razorpay import KEY_ID, checkout_response, pay, sign, webhook_body

pytestmark = pytest.mark.django_db


def premium_grants(user) -> int:
    return user.credit_account.entries.filter(
        kind=LedgerKind.RESET, reason__startswith="Premium activated"
    ).count()


@pytest.fixture
def order(razorpay, user):
    return services.payment_start(user=user)


def test_order_is_created_at_the_price_in_settings(razorpay, user):
    payment = services.payment_start(user=user)
    sent = razorpay.orders[0]
    assert (sent["amount"], sent["currency"]) == (50000, "INR")
    assert razorpay.auth[0].username == KEY_ID
    assert payment.razorpay_order_id == sent["id"]
    assert (payment.amount_paise, payment.status) == (50000, PaymentStatus.CREATED)


def test_order_view_returns_checkout_options(razorpay, client, user):
    client.force_login(user)
    response = client.post(reverse("billing:order_create"), {"amount": 1})
    assert response.status_code == 200
    data = response.json()
    assert data["amount"] == 50000  # the browser's amount is ignored
    assert data["key"] == KEY_ID
    assert Payment.objects.get(user=user).razorpay_order_id == data["order_id"]


def test_callback_activates_premium(order, client, user):
    client.force_login(user)
    response = client.post(
        reverse("billing:payment_verify"), checkout_response(order.razorpay_order_id)
    )
    assert response.status_code == 302
    user.credit_account.refresh_from_db()
    assert user.credit_account.plan == Plan.PREMIUM
    assert user.credit_account.balance == 1600
    assert Subscription.objects.get(user=user).status == "active"
    order.refresh_from_db()
    assert order.status == PaymentStatus.PAID and order.activated_at is not None


def test_callback_then_webhook_grants_once(order, client, user, post_webhook):
    client.force_login(user)
    callback = checkout_response(order.razorpay_order_id)
    client.post(reverse("billing:payment_verify"), callback)
    body = webhook_body(
        "payment.captured",
        order_id=order.razorpay_order_id,
        payment_id=callback["razorpay_payment_id"],
    )
    assert post_webhook(body).status_code == 200
    assert premium_grants(user) == 1
    assert services.credits_balance(user=user) == 1600


def test_webhook_then_callback_grants_once(order, client, user, post_webhook):
    callback = checkout_response(order.razorpay_order_id)
    body = webhook_body(
        "order.paid", order_id=order.razorpay_order_id, payment_id=callback["razorpay_payment_id"]
    )
    assert post_webhook(body).content == b"activated"
    reserve(user=user, amount=3, reference="generation:1", reason="Image")
    client.force_login(user)
    client.post(reverse("billing:payment_verify"), callback)
    assert premium_grants(user) == 1
    assert services.credits_balance(user=user) == 1597


def test_forged_callback_signature_grants_nothing(order, client, user):
    client.force_login(user)
    forged = checkout_response(order.razorpay_order_id)
    forged["razorpay_signature"] = sign(f"{order.razorpay_order_id}|x", "wrong")
    response = client.post(reverse("billing:payment_verify"), forged, follow=True)
    assert "could not be verified" in response.content.decode()
    assert services.credit_account_for(user=user).plan == Plan.FREE
    order.refresh_from_db()
    assert order.status == PaymentStatus.CREATED


def test_callback_for_another_users_order_is_rejected(razorpay, make_user):
    owner, other = make_user(), make_user()
    payment = services.payment_start(user=owner)
    with pytest.raises(PaymentRejected):
        services.payment_confirm_checkout(
            user=other, **_as_kwargs(checkout_response(payment.razorpay_order_id))
        )
    assert services.credit_account_for(user=other).plan == Plan.FREE
    assert services.credit_account_for(user=owner).plan == Plan.FREE


def test_callback_for_an_unknown_order_is_rejected(razorpay, user):
    with pytest.raises(PaymentRejected):
        services.payment_confirm_checkout(
            user=user, **_as_kwargs(checkout_response("order_not_ours"))
        )


def test_a_payment_while_premium_adds_a_period_of_credits_at_once(razorpay, user):
    first = services.payment_start(user=user)
    services.payment_confirm_checkout(
        user=user, **_as_kwargs(checkout_response(first.razorpay_order_id))
    )
    end = Subscription.objects.get(user=user).current_period_end
    reserve(user=user, amount=100, reference="generation:1", reason="Video")
    second = services.payment_start(user=user)
    services.payment_confirm_checkout(
        user=user, **_as_kwargs(checkout_response(second.razorpay_order_id))
    )
    subscription = Subscription.objects.get(user=user)
    assert (subscription.current_period_end - end).days == 30
    assert subscription.latest_payment == second
    # This period's credits are kept and the paid period's credits arrive at once.
    assert services.credits_balance(user=user) == 1500 + 1600
    assert subscription.user.credit_account.period_end == subscription.current_period_end


def test_premium_page_offers_the_upgrade(razorpay, client, user, settings):
    settings.RAZORPAY_CHECKOUT_JS_URL = "http://127.0.0.1:9/checkout.js"
    client.force_login(user)
    page = client.get(reverse("billing:premium")).content.decode()
    assert 'data-testid="upgrade"' in page
    assert 'src="http://127.0.0.1:9/checkout.js"' in page
    assert "Free plan: 5 generations" in page


def test_premium_page_says_what_a_payment_will_do(razorpay, client, user):
    client.force_login(user)
    reserve(user=user, amount=1, reference="generation:1", reason="Image")
    page = client.get(reverse("billing:premium")).content.decode()
    assert "starts premium at once with 1,600 credits" in page
    assert "Your 4 free generations wait for you and come back when premium ends" in page

    pay(user)
    end = Subscription.objects.get(user=user).current_period_end
    page = client.get(reverse("billing:premium")).content.decode()
    assert "adds 1,600 credits at once and extends premium to" in page
    assert f"{end + timedelta(days=30):%-d %b %Y}" in page


def test_premium_page_without_keys_says_payments_are_not_configured(client, user, settings):
    settings.RAZORPAY_KEY_ID = ""
    settings.RAZORPAY_KEY_SECRET = ""
    client.force_login(user)
    page = client.get(reverse("billing:premium")).content.decode()
    assert "Payments are not configured" in page
    assert "checkout.js" not in page


def test_order_view_without_keys_answers_503(client, user, settings):
    settings.RAZORPAY_KEY_ID = ""
    client.force_login(user)
    response = client.post(reverse("billing:order_create"))
    assert response.status_code == 503
    assert "not configured" in response.json()["error"]


def _as_kwargs(callback: dict) -> dict:
    return {
        "order_id": callback["razorpay_order_id"],
        "payment_id": callback["razorpay_payment_id"],
        "signature": callback["razorpay_signature"],
    }


def test_order_creation_is_limited_per_user(razorpay, client, user, make_user, settings):
    settings.PAYMENT_ORDER_RATE_LIMIT = "2/h"
    client.force_login(user)
    answers = [client.post(reverse("billing:order_create")) for _ in range(2)]
    orders_before = (len(razorpay.orders), Payment.objects.count())

    refused = client.post(reverse("billing:order_create"))

    assert [a.status_code for a in answers] == [200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert (len(razorpay.orders), Payment.objects.count()) == orders_before
    client.force_login(make_user())
    assert client.post(reverse("billing:order_create")).status_code == 200
