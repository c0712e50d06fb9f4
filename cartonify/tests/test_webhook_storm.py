"""1,000 Replicate and Razorpay webhooks, duplicated, out of order and partly forged,
at concurrency 20 against the live server: no 5xx, nothing granted twice."""

import json
import random
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest
from django.conf import settings
from django.db.models import Sum

from billing.models import LedgerEntry, LedgerKind, Payment, Subscription
from billing.services.payments import payment_start
from generation.models import Generation, Output, Status
from testing.fake_razorpay import WEBHOOK_SECRET, sign, webhook_body
from testing.remote_generations import running_remote_generation

pytestmark = pytest.mark.django_db(transaction=True)

USERS = 8
JOBS_PER_USER = 3
TOTAL = 1000


def razorpay_deliveries(payment, rng):
    order, pay_id = payment.razorpay_order_id, f"pay_{payment.pk:06d}"
    events = []
    for n, event in enumerate(["payment.captured", "order.paid"]):
        body = webhook_body(event, order_id=order, payment_id=pay_id)
        headers = {
            "X-Razorpay-Signature": sign(body, WEBHOOK_SECRET),
            "X-Razorpay-Event-Id": f"evt_{payment.pk}_{n}",
        }
        events.append(("/webhooks/razorpay/", body, headers))
    tampered = webhook_body("payment.captured", order_id=order, payment_id=pay_id, amount=100)
    events.append(
        (
            "/webhooks/razorpay/",
            tampered,
            {
                "X-Razorpay-Signature": sign(tampered, WEBHOOK_SECRET),
                "X-Razorpay-Event-Id": f"evt_{payment.pk}_tampered",
            },
        )
    )
    forged = webhook_body("order.paid", order_id=order, payment_id=pay_id)
    events.append(
        (
            "/webhooks/razorpay/",
            forged,
            {
                "X-Razorpay-Signature": sign(forged, "not-the-secret"),
                "X-Razorpay-Event-Id": f"evt_{payment.pk}_forged",
            },
        )
    )
    return events


def replicate_deliveries(job, fake, rng):
    fake.finish(job.provider_job_id, rng.choice(["succeeded", "succeeded", "failed"]))
    path = f"/webhooks/replicate/{job.pk}/"
    body, headers = fake.webhook_request(job.provider_job_id)
    prediction = json.loads(body)
    forged = json.dumps({**prediction, "status": "canceled"}).encode()
    stale_body, stale = fake.webhook_request(job.provider_job_id, timestamp=int(time.time()) - 7200)
    return [
        (path, body, headers),
        (path, body, fake.sign(body)),  # the same event delivered again under a new id
        (path, forged, headers),
        (path, stale_body, stale),
    ]


def test_a_webhook_storm_grants_nothing_twice(live_server, fake_replicate, razorpay, make_user):
    rng = random.Random(20261125)
    users = [make_user() for _ in range(USERS)]
    payments = [payment_start(user=user) for user in users]
    jobs = [running_remote_generation(user) for user in users for _ in range(JOBS_PER_USER)]
    distinct = [d for p in payments for d in razorpay_deliveries(p, rng)]
    distinct += [d for job in jobs for d in replicate_deliveries(job, fake_replicate, rng)]
    storm = distinct + [rng.choice(distinct) for _ in range(TOTAL - len(distinct))]
    rng.shuffle(storm)

    with httpx.Client(base_url=live_server.url, timeout=30) as http, ThreadPoolExecutor(20) as pool:
        statuses = list(
            pool.map(
                lambda d: (
                    http.post(
                        d[0], content=d[1], headers={**d[2], "Content-Type": "application/json"}
                    ).status_code
                ),
                storm,
            )
        )

    assert len(statuses) == TOTAL
    assert not [s for s in statuses if s >= 500]
    one_period = timedelta(days=settings.PREMIUM_PERIOD_DAYS)
    for payment in Payment.objects.all():
        grants = LedgerEntry.objects.filter(reference=payment.reference, kind=LedgerKind.RESET)
        assert grants.count() == 1, payment
        subscription = Subscription.objects.get(user=payment.user)
        # A second activation of one payment would extend the paid time instead.
        assert subscription.current_period_end - subscription.current_period_start == one_period
    for job in Generation.objects.all():
        assert job.status in (Status.SUCCEEDED, Status.FAILED)
        expected = 2 if job.status == Status.SUCCEEDED else 0
        assert Output.objects.filter(generation=job).count() == expected
        refunds = LedgerEntry.objects.filter(reference=job.reference, kind=LedgerKind.REFUND)
        assert refunds.count() == (1 if job.status == Status.FAILED else 0)
    for user in users:
        account = user.credit_account
        account.refresh_from_db()
        total = LedgerEntry.objects.filter(account=account).aggregate(Sum("amount"))["amount__sum"]
        assert total == account.balance
