"""A webhook and the poller (or two redelivered webhooks) finishing one job at the same
moment: real threads on real PostgreSQL connections, past the early "already finished"
checks, so the row lock is what is under test."""

import pytest

from billing.models import LedgerEntry, LedgerKind
from generation import services
from generation.models import Generation, Output, Status
from generation.providers import Outcome, OutputFile
from generation.tests.factories import GenerationFactory, png_bytes
from testing.credits import reserve
from testing.threads import run_in_threads

pytestmark = pytest.mark.django_db(transaction=True)

FINISHERS = 8


@pytest.fixture
def running_job(user):
    job = GenerationFactory(user=user, status=Status.RUNNING, count=2, credits_charged=2)
    reserve(user=user, amount=2, reference=job.reference, reason="Image")
    return job


def test_one_set_of_outputs_is_recorded(running_job):
    picture = OutputFile(png_bytes(), "image/png", "png", 64, 64)
    outcome = Outcome(status=Status.SUCCEEDED, files=(picture, picture))

    results = run_in_threads(
        FINISHERS,
        lambda i: services.generation_complete(generation_id=running_job.pk, outcome=outcome),
    )

    assert sorted(results, key=str) == [False] * (FINISHERS - 1) + [True]
    assert Output.objects.filter(generation=running_job).count() == 2
    assert Generation.objects.get(pk=running_job.pk).status == Status.SUCCEEDED


def test_a_failure_is_refunded_once(running_job):
    results = run_in_threads(
        FINISHERS,
        lambda i: services.generation_fail(generation_id=running_job.pk, reason="the model failed"),
    )

    assert sorted(results, key=str) == [False] * (FINISHERS - 1) + [True]
    refunds = LedgerEntry.objects.filter(reference=running_job.reference, kind=LedgerKind.REFUND)
    assert refunds.count() == 1
