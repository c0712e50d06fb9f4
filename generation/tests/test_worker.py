"""Jobs on a real Celery worker over the Redis broker, with the fake Replicate server."""

import time

import pytest

from billing import services as billing
from generation import services
from generation.models import Generation, Status
from generation.services import GenerationRequest
from testing.processes import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

IMAGE = GenerationRequest(kind="image", prompt="a paper boat", count=1)


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
