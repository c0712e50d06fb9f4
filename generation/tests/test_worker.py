"""Jobs on a real Celery worker over the Redis broker, with the fake Replicate server."""

import time

import pytest
from django.db import transaction

from billing import services as billing
from generation import services
from generation.models import Generation, Kind, Status
from generation.services import GenerationRequest
from generation.tests.factories import OutputFactory
from testing.processes import wait_until
from testing.remote_generations import running_remote_generation

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

IMAGE = GenerationRequest(kind="image", prompt="a paper boat", count=1)
ANIMATE = GenerationRequest(kind=Kind.VIDEO, prompt="the clouds drift by")


def status_of(job):
    return Generation.objects.values_list("status", flat=True).get(pk=job.pk)


def test_a_worker_polls_a_remote_job_to_success(user, fake_replicate, settings, celery_worker):
    settings.GENERATION_POLL_INTERVAL = 0.05
    fake_replicate.polls_before_done = 3

    job = services.generation_submit(user=user, request=IMAGE)

    assert wait_until(lambda: status_of(job) == Status.SUCCEEDED)
    assert job.outputs.count() == 1


def test_canceling_a_running_remote_job_cancels_it_there_and_refunds(
    user, fake_replicate, settings, celery_worker
):
    settings.GENERATION_POLL_INTERVAL = 0.05
    fake_replicate.polls_before_done = 10_000
    job = services.generation_submit(user=user, request=IMAGE)
    assert wait_until(lambda: Generation.objects.get(pk=job.pk).provider_job_id)
    job.refresh_from_db()

    services.generation_cancel(generation=job, by=user)

    assert status_of(job) == Status.CANCELED
    assert fake_replicate.canceled == [job.provider_job_id]
    assert billing.credits_balance(user=user) == 5
    polls = len(fake_replicate.requests)
    time.sleep(0.5)
    assert len(fake_replicate.requests) <= polls + 1  # polling stopped


def test_a_result_already_made_is_stored_ahead_of_a_backlog_of_new_jobs(
    user, fake_replicate, settings, celery_worker
):
    billing.credits_grant(user=user, amount=30, reason="backlog", reference="test")
    settings.GENERATION_POLL_INTERVAL = 0.05
    done_remotely = running_remote_generation(user)  # Replicate answers "succeeded" when asked
    settings.GENERATION_PROVIDER, settings.GENERATION_SIMULATED_LATENCY = "local", 0.3
    backlog = [services.generation_submit(user=user, request=IMAGE).pk for _ in range(20)]

    services.poller_wake()

    assert wait_until(lambda: status_of(done_remotely) == Status.SUCCEEDED, timeout=15)
    still_queued = Generation.objects.filter(pk__in=backlog, status=Status.QUEUED).count()
    assert still_queued >= 15  # six seconds of new jobs did not go first


def test_a_worker_fails_and_refunds_an_animation_whose_image_was_deleted_while_queued(
    user, fake_replicate, celery_worker
):
    still = OutputFactory(generation__user=user)
    with transaction.atomic():  # the job's task is sent as this commits, the still gone by then
        job = services.generation_submit(user=user, request=ANIMATE, source_output=still)
        services.output_delete(output=still)

    assert wait_until(lambda: status_of(job) == Status.FAILED)
    job.refresh_from_db()
    assert job.error == "The image this video was made from has been deleted."
    assert billing.credits_balance(user=user) == 5
    assert fake_replicate.created == []
