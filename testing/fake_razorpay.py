"""A fake Razorpay on loopback for the real client, and payloads signed as Razorpay signs them."""

import hashlib
import hmac
import itertools
import json

from werkzeug.wrappers import Response

KEY_ID = "rzp_test_cartonify"
KEY_SECRET = "test-key-secret"
WEBHOOK_SECRET = "test-webhook-secret"

_ids = itertools.count(1)


def new_id() -> int:
    """A number unique in this test run, for order, payment and event ids."""
    return next(_ids)


def sign(message: str | bytes, secret: str) -> str:
    data = message.encode() if isinstance(message, str) else message
    return hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()


def checkout_response(order_id: str, payment_id: str | None = None) -> dict:
    """What Razorpay Checkout hands the page's handler, signed as Razorpay signs it."""
    payment_id = payment_id or f"pay_{new_id():06d}"
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
    return _event_body(event, payload)


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
            "id": f"order_{new_id():06d}",
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


def pay(user):
    """Buy premium for `user` as the browser does: an order, then Checkout's signed callback.
    Needs the `razorpay` fixture."""
    from billing import services

    payment = services.payment_start(user=user)
    callback = checkout_response(payment.razorpay_order_id)
    services.payment_confirm_checkout(
        user=user,
        order_id=callback["razorpay_order_id"],
        payment_id=callback["razorpay_payment_id"],
        signature=callback["razorpay_signature"],
    )


def refund_webhook_body(
    payment_id: str, *, amount: int, refund_id: str, event="refund.processed", status="processed"
) -> bytes:
    refund = {
        "id": refund_id,
        "entity": "refund",
        "amount": amount,
        "currency": "INR",
        "payment_id": payment_id,
        "status": status,
    }
    payload = {"refund": {"entity": refund}, "payment": {"entity": {"id": payment_id}}}
    return _event_body(event, payload)


def dispute_webhook_body(event: str, payment_id: str, *, amount: int = 50000) -> bytes:
    dispute = {
        "id": f"disp_{payment_id}",
        "entity": "dispute",
        "payment_id": payment_id,
        "amount": amount,
        "currency": "INR",
        "status": event.rsplit(".", 1)[-1],
    }
    payload = {"dispute": {"entity": dispute}, "payment": {"entity": {"id": payment_id}}}
    return _event_body(event, payload)


def _event_body(event: str, payload: dict) -> bytes:
    body = {
        "entity": "event",
        "account_id": "acc_test",
        "event": event,
        "contains": list(payload),
        "payload": payload,
        "created_at": 1764000000,
    }
    return json.dumps(body).encode()
