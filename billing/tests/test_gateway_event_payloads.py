"""Any signed body gets a 2xx or 4xx, and every event type is verified and deduplicated
(issue 14, findings 6 and 13)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import WebhookEvent
from testing.fake_razorpay import webhook_body

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=10,
)
EVENTS = st.sampled_from(["payment.captured", "order.paid", "refund.processed"])
# Razorpay's shape with any value anywhere: the event name, the entity, its fields.
event_shaped = st.fixed_dictionaries(
    {
        "event": EVENTS | json_values,
        "payload": st.fixed_dictionaries(
            {
                "payment": st.fixed_dictionaries(
                    {
                        "entity": json_values
                        | st.fixed_dictionaries(
                            {
                                "id": json_values,
                                "order_id": json_values,
                                "status": st.just("captured") | json_values,
                                "amount": json_values,
                                "currency": json_values,
                            }
                        )
                    }
                )
            }
        )
        | json_values,
    }
)


@pytest.mark.parametrize("event", [["payment.captured"], 7, None, {"a": 1}])
def test_a_signed_event_whose_type_is_not_a_string_is_refused(post_webhook, razorpay, event):
    response = post_webhook(json.dumps({"event": event, "payload": {}}).encode())

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=json_values | event_shaped)
def test_any_signed_json_is_answered_without_a_server_error(post_webhook, razorpay, body):
    response = post_webhook(json.dumps(body).encode())

    assert 200 <= response.status_code < 500


@pytest.mark.parametrize("event", ["refund.processed", "payment.dispute.created"])
def test_refund_and_dispute_events_are_verified_like_payments(post_webhook, razorpay, event):
    body = webhook_body(event, order_id="order_x", payment_id="pay_x")

    response = post_webhook(body, secret="not-the-secret")

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("event", ["refund.processed", "payment.dispute.created"])
def test_refund_and_dispute_events_are_recorded_once(post_webhook, razorpay, event):
    body = webhook_body(event, order_id="order_x", payment_id="pay_x")

    first = post_webhook(body, event_id="evt_r")
    again = post_webhook(body, event_id="evt_r")

    assert first.status_code == again.status_code == 200
    assert again.content == b"duplicate"
    assert list(WebhookEvent.objects.values_list("event_id", "event_type")) == [("evt_r", event)]


def test_a_signed_event_with_a_nul_character_is_refused(post_webhook, razorpay):
    # Found by the test above: PostgreSQL cannot store "\u0000" in the recorded JSON.
    body = {"event": "payment.captured", "payload": {"payment": {"entity": {"currency": "\0"}}}}

    response = post_webhook(json.dumps(body).encode())

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_signed_event_with_an_overlong_event_id_is_refused(post_webhook, razorpay):
    body = webhook_body("payment.captured", order_id="order_x", payment_id="pay_x")

    response = post_webhook(body, event_id="e" * 101)

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_signed_body_with_nan_or_infinity_is_refused(post_webhook, razorpay):
    # Found by the fuzz test: Python's json reads them, PostgreSQL's JSON does not.
    body = b'{"event": "payment.captured", "payload": {"amount": Infinity}}'

    response = post_webhook(body)

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
