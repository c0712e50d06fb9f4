import pytest

from testing.fake_razorpay import WEBHOOK_SECRET, new_id, sign


@pytest.fixture
def post_webhook(client):
    def post(body: bytes, *, event_id: str | None = None, secret: str = WEBHOOK_SECRET):
        return client.post(
            "/webhooks/razorpay/",
            data=body,
            content_type="application/json",
            headers={
                "X-Razorpay-Signature": sign(body, secret),
                "X-Razorpay-Event-Id": event_id or f"evt_{new_id():06d}",
            },
        )

    return post
