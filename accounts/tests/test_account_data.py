"""Users take their data away, and close their account leaving nothing of theirs behind."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import DataExport, User
from apikeys import services as apikeys
from billing.models import Payment, WebhookEvent
from generation.models import Generation, Status
from generation.tests.factories import GenerationFactory, OutputFactory
from testing.fake_razorpay import pay, webhook_body
from testing.mfa import log_in_as_staff
from testing.threads import run_in_threads


def media_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


@pytest.mark.django_db(transaction=True)
def test_the_export_holds_every_output_byte_for_byte_and_the_records(signed_in, user):
    outputs = OutputFactory.create_batch(12, generation__user=user)
    signed_in.post(reverse("accounts:export_start"))

    export = DataExport.objects.get(user=user)
    assert (export.status, export.progress) == ("ready", 100)
    page = signed_in.get(reverse("accounts:account")).content.decode()
    assert 'data-testid="export-download"' in page
    response = signed_in.get(reverse("accounts:export_download", args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    for output in outputs:
        output.file.open("rb")
        assert archive.read(f"outputs/{output.filename}") == output.file.read()
    jobs = json.loads(archive.read("generations.json"))
    assert sorted(job["id"] for job in jobs) == sorted(o.generation_id for o in outputs)
    assert archive.read("ledger.csv").decode().startswith("time,kind,amount")
    assert json.loads(archive.read("account.json"))["email"] == user.email


@pytest.mark.django_db(transaction=True)
def test_an_export_asked_for_twice_at_once_is_one_export(user, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from cartonify.celery import app

    app.conf.task_always_eager = False  # leave both requests' export queued
    try:
        from accounts import exports

        made = run_in_threads(2, lambda _: exports.export_request(user=user).pk)
    finally:
        app.conf.task_always_eager = True
    assert made[0] == made[1]
    assert DataExport.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_someone_elses_export_is_not_found(signed_in, make_user):
    other = DataExport.objects.create(user=make_user(), status="ready")
    for name in ("accounts:export_status", "accounts:export_download"):
        assert signed_in.get(reverse(name, args=[other.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_closing_leaves_no_file_key_or_personal_field_and_keeps_the_payment_anonymously(
    signed_in, user, razorpay, post_webhook
):
    OutputFactory.create_batch(2, generation__user=user)
    running = GenerationFactory(user=user, status=Status.RUNNING)
    key = apikeys.api_key_create(user=user, name="script").plaintext
    pay(user)
    payment = Payment.objects.get(user=user)
    body = webhook_body(
        "payment.captured", order_id=payment.razorpay_order_id, payment_id="pay_closing"
    )
    post_webhook(body)
    signed_in.post(reverse("accounts:export_start"))
    assert media_files()
    email = user.email

    response = signed_in.post(reverse("accounts:close"), {"email": email.upper()})

    assert response.status_code == 302
    assert not User.objects.filter(email=email).exists()
    assert not Generation.objects.filter(pk=running.pk).exists()
    assert media_files() == []
    assert signed_in.get(reverse("generation:gallery")).status_code == 302  # signed out
    assert signed_in.get("/api/v1/me", headers={"X-API-Key": key}).status_code == 401
    payment.refresh_from_db()
    assert payment.user is None and payment.amount_paise == 50000
    assert email not in json.dumps(payment.payload)
    assert all(email not in json.dumps(event.payload) for event in WebhookEvent.objects.all())


@pytest.mark.django_db
def test_closing_needs_the_email_typed(signed_in, user):
    response = signed_in.post(reverse("accounts:close"), {"email": "someone@else.example"})

    assert response.status_code == 200
    assert b"That is not your email address." in response.content
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_staff_can_delete_a_user_who_has_paid(client, make_user, user, razorpay):
    pay(user)
    log_in_as_staff(client, make_user(is_staff=True, is_superuser=True))
    url = reverse("admin:accounts_user_delete", args=[user.pk])

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert Payment.objects.get().user is None
