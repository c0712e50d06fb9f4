"""The webhook signing secret and delivery log on a phone, in Chromium, under the CSP."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import log_in
from e2e.phone import overflow
from generation.models import Via
from generation.tests.factories import GenerationFactory
from webhooks import services as webhooks
from webhooks.models import Delivery, DeliveryAttempt, DeliveryState


def a_job_whose_webhook_is_being_retried(user):
    job = GenerationFactory(user=user, via=Via.API)
    hook = webhooks.job_webhook_attach(
        generation=job,
        url="https://hooks.example.com/cartonify/" + "a-long-path/" * 8,
        events=["completed"],
        site_url="http://testserver/",
    )
    retry_at = timezone.now() + timedelta(minutes=1)
    delivery = Delivery.objects.create(
        webhook=hook,
        event="completed",
        event_id="msg_0123456789abcdef0123456789abcdef",
        body="{}",
        state=DeliveryState.PENDING,
        attempts=1,
        last_status_code=500,
        last_error="Answered 500.",
        next_attempt_at=retry_at,
    )
    DeliveryAttempt.objects.create(
        delivery=delivery,
        status_code=500,
        latency_ms=87,
        error="Answered 500.",
        next_attempt_at=retry_at,
    )


def test_a_user_shows_rotates_and_follows_webhooks_on_a_phone(phone, user, password):
    a_job_whose_webhook_is_being_retried(user)
    policy_breaks = []
    phone.on(
        "console",
        lambda m: policy_breaks.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(phone, user.email, password)

    phone.goto(reverse("apikeys:key_list"))
    card = phone.get_by_test_id("webhook-secret")
    secret = phone.get_by_test_id("webhook-secret-value")
    expect(secret).to_be_hidden()
    card.get_by_text("Show secret").click()
    expect(secret).to_be_visible()
    before = secret.inner_text()
    assert before.startswith("whsec_")
    assert overflow(phone, "webhook-secret") is None

    phone.get_by_test_id("webhook-secret-rotate").click()
    expect(phone.get_by_text("Your webhook signing secret is new.")).to_be_visible()
    card.get_by_text("Show secret").click()
    assert secret.inner_text() not in (before, "")

    phone.goto(reverse("apikeys:usage"))
    row = phone.get_by_test_id("webhook-delivery-row")
    expect(row).to_contain_text("500")
    expect(row).to_contain_text("87 ms")
    assert overflow(phone, "webhook-usage") is None

    phone.goto(reverse("generation:jobs"))
    expect(phone.get_by_test_id("job-webhook")).to_contain_text(
        "Webhook “Completed”: pending (500), 1 attempt, next at"
    )
    assert overflow(phone, "webhook-jobs") is None
    assert policy_breaks == []
