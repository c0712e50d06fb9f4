"""Generation announces state changes after commit; a failing listener never fails a job."""

import pytest

from generation import services
from generation.models import Generation, Status
from generation.services import GenerationRequest
from generation.signals import generation_finished, generation_started
from generation.tests.factories import GenerationFactory

pytestmark = pytest.mark.django_db(transaction=True)

IMAGE = GenerationRequest(kind="image", prompt="a paper boat", count=1)


@pytest.fixture
def heard():
    events = []

    def started(sender, *, generation_id, **kwargs):
        events.append(("started", Generation.objects.get(pk=generation_id).status))

    def finished(sender, *, generation_id, **kwargs):
        events.append(("finished", Generation.objects.get(pk=generation_id).status))
        raise RuntimeError("a broken listener")

    generation_started.connect(started, dispatch_uid="test-started")
    generation_finished.connect(finished, dispatch_uid="test-finished")
    yield events
    generation_started.disconnect(dispatch_uid="test-started")
    generation_finished.disconnect(dispatch_uid="test-finished")


def test_listeners_hear_committed_states_and_a_failing_one_does_not_fail_the_job(user, heard):
    job = services.generation_submit(user=user, request=IMAGE)  # eager Celery: runs now

    assert Generation.objects.get(pk=job.pk).status == Status.SUCCEEDED
    assert heard == [("started", Status.RUNNING), ("finished", Status.SUCCEEDED)]


def test_a_canceled_job_is_announced_as_finished(user, heard):
    job = GenerationFactory(user=user, status=Status.QUEUED)

    services.generation_cancel(generation=job, by=user)

    assert heard == [("finished", Status.CANCELED)]
