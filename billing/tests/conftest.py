import hashlib
import hmac
import itertools
import json

import pytest
from werkzeug.wrappers import Response

KEY_ID = "rzp_test_cartonify"
KEY_SECRET = "test-key-secret"
WEBHOOK_SECRET = "test-webhook-secret"

_ids = itertools.count(1)


def sign(message: str | bytes, secret: str) -> str:
    data = message.encode() if isinstance(message, str) else message
    return hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()


def checkout_response(order_id: str, payment_id: str | None = None) -> dict:
    """What Razorpay Checkout hands the page's handler, signed as Razorpay signs it."""
    payment_id = payment_id or f"pay_{next(_ids):06d}"
    return {
        "razorpay_order_id": order_id,
        "razorpay_payment_id": payment_id,
        "razorpay_signature": sign(f"{order_id}|{payment_id}", KEY_SECRET),
    }


def webhook_body(event: str, *, order_id: str, payment_id: str, amount=50000, currency="INR"):
    payment = {
        "id": payment_id,
        "entity": "payment",
        "amount": amount,
        "currency": currency,
        "status": "captured",
        "order_id": order_id,
        "method": "upi",
        "captured": True,
    }
    payload = {"payment": {"entity": payment}}
    if event == "order.paid":
        payload["order"] = {
            "entity": {"id": order_id, "amount": amount, "currency": currency, "status": "paid"}
        }
    body = {
        "entity": "event",
        "account_id": "acc_test",
        "event": event,
        "contains": list(payload),
        "payload": payload,
        "created_at": 1764000000,
    }
    return json.dumps(body).encode()


@pytest.fixture
def post_webhook(client):
    def post(body: bytes, *, event_id: str | None = None, secret: str = WEBHOOK_SECRET):
        return client.post(
            "/webhooks/razorpay/",
            data=body,
            content_type="application/json",
            headers={
                "X-Razorpay-Signature": sign(body, secret),
                "X-Razorpay-Event-Id": event_id or f"evt_{next(_ids):06d}",
            },
        )

    return post


class FakeRazorpay:
    """Answers POST /v1/orders like Razorpay does, and remembers what it was sent."""

    def __init__(self, server):
        self.server = server
        self.orders: list[dict] = []
        self.auth: list = []
        server.expect_request("/v1/orders", method="POST").respond_with_handler(self.create)

    def create(self, request):
        data = json.loads(request.data)
        self.auth.append(request.authorization)
        order = {
            "id": f"order_{next(_ids):06d}",
            "entity": "order",
            "amount": data["amount"],
            "amount_paid": 0,
            "amount_due": data["amount"],
            "currency": data["currency"],
            "receipt": data.get("receipt"),
            "status": "created",
            "notes": data.get("notes", {}),
        }
        self.orders.append(order)
        return Response(json.dumps(order), status=200, content_type="application/json")


@pytest.fixture
def razorpay(settings, httpserver):
    settings.RAZORPAY_KEY_ID = KEY_ID
    settings.RAZORPAY_KEY_SECRET = KEY_SECRET
    settings.RAZORPAY_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.RAZORPAY_BASE_URL = httpserver.url_for("").rstrip("/")
    settings.PREMIUM_PRICE_PAISE = 50000
    settings.PREMIUM_CURRENCY = "INR"
    settings.PREMIUM_CREDITS_PER_PERIOD = 1600
    settings.PREMIUM_PERIOD_DAYS = 30
    return FakeRazorpay(httpserver)
