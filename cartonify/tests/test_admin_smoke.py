"""Every admin page of every registered model renders, and changelists cost the same
number of queries for 3 rows as for 100."""

import datetime
import itertools

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from accounts.tests.factories import UserFactory
from apikeys.models import ApiKey, DailyUsage, IdempotencyRecord
from billing import services as billing
from billing.models import Payment, Subscription, WebhookEvent
from generation.models import OutputKind, RefusedPrompt, ReplicateWebhookEvent
from generation.tests.factories import GenerationFactory, OutputFactory
from sharing.models import Share
from testing.mfa import log_in_as_staff
from webhooks import services as webhooks
from webhooks.models import Delivery, DeliveryAttempt

pytestmark = pytest.mark.django_db

serial = itertools.count()


def new_user():
    return UserFactory(password=None)  # an unusable password: no slow hashing


def new_job():
    return GenerationFactory(user=new_user())


def new_user_with_history():
    user = new_user()
    billing.credit_account_for(user=user)
    GenerationFactory(user=user)
    return user


def new_api_key():
    n = next(serial)
    return ApiKey.objects.create(user=new_user(), name=f"key {n}", prefix=f"p{n:07d}", digest="0")


def new_periodic_task():
    interval = IntervalSchedule.objects.create(every=next(serial) + 1, period="minutes")
    return PeriodicTask.objects.create(name=f"task {next(serial)}", task="x", interval=interval)


def new_subscription():
    now = timezone.now()
    return Subscription.objects.create(
        user=new_user(), current_period_start=now, current_period_end=now
    )


def new_job_webhook():
    return webhooks.job_webhook_attach(
        generation=new_job(),
        url="https://hooks.example.com/x",
        events=["completed"],
        site_url="https://cartonify.example/",
    )


def new_delivery():
    n = next(serial)
    return Delivery.objects.create(
        webhook=new_job_webhook(), event="completed", event_id=f"msg_{n}", body="{}"
    )


MAKERS = {
    "accounts.User": new_user_with_history,
    "auth.Group": lambda: Group.objects.create(name=f"group {next(serial)}"),
    "account.EmailAddress": new_user,
    "mfa.Authenticator": lambda: TOTP.activate(new_user(), generate_totp_secret()),
    "generation.Generation": new_job,
    "generation.Image": lambda: OutputFactory(generation=new_job()),
    "generation.Video": lambda: OutputFactory(
        generation=new_job(), kind=OutputKind.VIDEO, content_type="video/mp4"
    ),
    "generation.ReplicateWebhookEvent": lambda: ReplicateWebhookEvent.objects.create(
        webhook_id=f"msg_{next(serial)}", generation=new_job()
    ),
    "generation.RefusedPrompt": lambda: RefusedPrompt.objects.create(
        user=new_user(), rule="sexual content"
    ),
    "sharing.Share": lambda: Share.objects.create(output=OutputFactory(generation=new_job())),
    "billing.CreditAccount": lambda: billing.credit_account_for(user=new_user()),
    "billing.LedgerEntry": lambda: billing.credit_account_for(user=new_user()),
    "billing.Subscription": new_subscription,
    "billing.Payment": lambda: Payment.objects.create(
        user=new_user(),
        razorpay_order_id=f"order_{next(serial)}",
        amount_paise=50000,
        currency="INR",
    ),
    "billing.WebhookEvent": lambda: WebhookEvent.objects.create(
        event_id=f"evt_{next(serial)}", event_type="payment.captured", payload={}
    ),
    "apikeys.ApiKey": new_api_key,
    "apikeys.DailyUsage": lambda: DailyUsage.objects.create(
        api_key=new_api_key(), day=datetime.date(2026, 1, 1), endpoint="images", count=3
    ),
    "apikeys.IdempotencyRecord": lambda: IdempotencyRecord.objects.create(
        user=new_user(), key=f"k{next(serial)}", fingerprint="f", status_code=202, response={}
    ),
    "webhooks.SigningSecret": lambda: webhooks.signing_secret_for(user=new_user()),
    "webhooks.JobWebhook": new_job_webhook,
    "webhooks.Delivery": new_delivery,
    "webhooks.DeliveryAttempt": lambda: DeliveryAttempt.objects.create(
        delivery=new_delivery(), status_code=500, latency_ms=12
    ),
    "django_celery_beat.PeriodicTask": new_periodic_task,
    "django_celery_beat.IntervalSchedule": lambda: IntervalSchedule.objects.create(
        every=next(serial) + 1, period="seconds"
    ),
    "django_celery_beat.CrontabSchedule": lambda: CrontabSchedule.objects.create(
        minute=str(next(serial) % 60), hour=str(next(serial) % 24)
    ),
    "django_celery_beat.SolarSchedule": lambda: SolarSchedule.objects.create(
        event="sunrise", latitude=(next(serial) % 80000) / 1000, longitude=0
    ),
    "django_celery_beat.ClockedSchedule": lambda: ClockedSchedule.objects.create(
        clocked_time=timezone.now() + datetime.timedelta(minutes=next(serial))
    ),
}


def model_admin(label):
    return next(ma for m, ma in admin.site._registry.items() if m._meta.label == label)


@pytest.fixture
def superuser_client(client):
    log_in_as_staff(client, UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    return client


def test_every_registered_model_has_a_row_maker():
    assert {m._meta.label for m in admin.site._registry} == set(MAKERS)


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_admin_pages_render(superuser_client, label):
    MAKERS[label]()
    ma = model_admin(label)
    opts = ma.model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    obj = ma.model._default_manager.order_by("-pk").first()

    assert superuser_client.get(reverse(f"{name}_changelist")).status_code == 200
    add = superuser_client.get(reverse(f"{name}_add")).status_code
    change = superuser_client.get(reverse(f"{name}_change", args=[obj.pk])).status_code
    delete = superuser_client.get(reverse(f"{name}_delete", args=[obj.pk])).status_code
    assert add in (200, 403) and change == 200 and delete in (200, 403)


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_changelist_queries_do_not_grow_with_rows(superuser_client, label):
    opts = model_admin(label).model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    for _ in range(3):
        MAKERS[label]()
    superuser_client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        assert superuser_client.get(url).status_code == 200
    for _ in range(97):
        MAKERS[label]()
    with CaptureQueriesContext(connection) as many:
        response = superuser_client.get(url)
    assert response.context["cl"].result_count >= 100
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
