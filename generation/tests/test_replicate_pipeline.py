"""The whole job pipeline on the `replicate` provider: the real SDK against a fake server."""

import time

import pytest
from django.urls import reverse

from billing import services as billing
from generation import services
from generation.models import Output, Status
from generation.services import GenerationRequest
from testing.remote_generations import running_remote_generation

pytestmark = pytest.mark.django_db

IMAGES = GenerationRequest(kind="image", prompt="a heron in the rain", count=2)


@pytest.fixture
def replicate(fake_replicate, settings):
    settings.GENERATION_POLL_INTERVAL = 0
    settings.REPLICATE_WEBHOOK_FALLBACK_POLL = 0
    return fake_replicate


def submit_and_run(user, django_capture_on_commit_callbacks, request=IMAGES):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.generation_submit(user=user, request=request)
    job.refresh_from_db()
    return job


def test_success_downloads_the_outputs_into_our_storage(
    user, replicate, django_capture_on_commit_callbacks
):
    replicate.polls_before_done = 2

    job = submit_and_run(user, django_capture_on_commit_callbacks)

    assert job.status == Status.SUCCEEDED
    assert job.provider == "replicate"
    stored = [o.file.read() for o in job.outputs.order_by("pk")]
    assert stored == replicate.outputs(job.provider_job_id)
    assert billing.credits_balance(user=user) == 4


def test_without_a_public_url_no_webhook_is_requested(
    user, replicate, django_capture_on_commit_callbacks
):
    submit_and_run(user, django_capture_on_commit_callbacks)

    assert "webhook" not in replicate.created[0]


def test_with_a_public_url_the_prediction_asks_for_a_completed_webhook(
    user, replicate, settings, django_capture_on_commit_callbacks
):
    settings.REPLICATE_WEBHOOK_BASE_URL = "https://cartonify.example"

    job = submit_and_run(user, django_capture_on_commit_callbacks)

    created = replicate.created[0]
    assert created["webhook"] == f"https://cartonify.example/webhooks/replicate/{job.pk}/"
    assert created["webhook_events_filter"] == ["logs", "completed"]


@pytest.mark.parametrize(
    "outcome,status",
    [("failed", "failed"), ("aborted", "failed"), ("canceled", "canceled"), ("exploded", "failed")],
)
def test_unsuccessful_predictions_end_the_job_and_refund(
    user, replicate, django_capture_on_commit_callbacks, outcome, status
):
    replicate.next_outcome = outcome

    job = submit_and_run(user, django_capture_on_commit_callbacks)

    assert job.status == status
    assert job.error
    assert not job.outputs.exists()
    assert billing.credits_balance(user=user) == 5


def test_an_output_that_cannot_be_downloaded_fails_the_job_and_refunds(
    user, replicate, django_capture_on_commit_callbacks
):
    replicate.output_status = 404

    job = submit_and_run(user, django_capture_on_commit_callbacks)

    assert job.status == Status.FAILED
    assert "downloaded" in job.error
    assert billing.credits_balance(user=user) == 5


def test_a_job_past_the_timeout_is_canceled_remotely_failed_and_refunded(
    user, replicate, settings, django_capture_on_commit_callbacks
):
    settings.GENERATION_TIMEOUT = 0
    replicate.polls_before_done = 10_000

    job = submit_and_run(user, django_capture_on_commit_callbacks)

    assert job.status == Status.FAILED
    assert "too long" in job.error
    assert replicate.canceled == [job.provider_job_id]
    assert billing.credits_balance(user=user) == 5


@pytest.fixture
def post_webhook(client, django_capture_on_commit_callbacks):
    def post(job, body, headers):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("generation:replicate_webhook", args=[job.pk]),
                body,
                content_type="application/json",
                headers=headers,
            )

    return post


def test_a_signed_webhook_completes_the_job(post_webhook, user, replicate):
    job = running_remote_generation(user)
    body, headers = replicate.webhook_request(job.provider_job_id)

    response = post_webhook(job, body, headers)

    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    assert job.outputs.count() == 2


def test_a_duplicate_webhook_changes_nothing(post_webhook, user, replicate):
    job = running_remote_generation(user)
    body, headers = replicate.webhook_request(job.provider_job_id)

    first = post_webhook(job, body, headers)
    second = post_webhook(job, body, headers)
    redelivered = replicate.sign(body)  # same event, new delivery id, job already done
    third = post_webhook(job, body, redelivered)

    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 200)
    assert Output.objects.filter(generation=job).count() == 2


def test_a_forged_webhook_is_rejected(post_webhook, user, replicate):
    job = running_remote_generation(user)
    body, headers = replicate.webhook_request(job.provider_job_id)
    forged = body.replace(b"succeeded", b"failed")

    response = post_webhook(job, forged, headers)

    assert response.status_code == 400
    job.refresh_from_db()
    assert job.status == Status.RUNNING


def test_a_replayed_old_webhook_is_rejected(post_webhook, user, replicate):
    job = running_remote_generation(user)
    body, headers = replicate.webhook_request(
        job.provider_job_id, timestamp=int(time.time()) - 3600
    )

    response = post_webhook(job, body, headers)

    assert response.status_code == 400
    job.refresh_from_db()
    assert job.status == Status.RUNNING


def test_a_webhook_for_another_prediction_is_ignored(post_webhook, user, replicate):
    job = running_remote_generation(user)
    other = running_remote_generation(user)
    body, headers = replicate.webhook_request(other.provider_job_id)

    post_webhook(job, body, headers)

    job.refresh_from_db()
    assert job.status == Status.RUNNING


def test_webhooks_are_off_without_a_signing_secret(post_webhook, user, replicate, settings):
    job = running_remote_generation(user)
    body, headers = replicate.webhook_request(job.provider_job_id)
    settings.REPLICATE_WEBHOOK_SECRET = ""

    response = post_webhook(job, body, headers)

    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == Status.RUNNING


def test_without_a_signing_secret_no_webhook_is_requested(
    user, replicate, settings, django_capture_on_commit_callbacks
):
    settings.REPLICATE_WEBHOOK_BASE_URL = "https://cartonify.example"
    settings.REPLICATE_WEBHOOK_SECRET = ""

    submit_and_run(user, django_capture_on_commit_callbacks)

    assert "webhook" not in replicate.created[0]
