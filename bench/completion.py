"""Benchmark 5: how many Replicate jobs a pair of worker processes finishes per second."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from generation import services
from generation.models import Generation, Status
from generation.providers.replicate.ceiling import CREATIONS_KEY, PAUSE_KEY

from .pipeline import JOB, TimedFake

MODEL_SECONDS = 5.0


@dataclass(frozen=True)
class Completion:
    jobs: int
    seconds: float  # first submission → last job succeeded
    most_created_per_minute: int
    result_lags: list[float]  # per job: the model done at the provider → `succeeded` here

    @property
    def rate(self) -> float:
        return self.jobs / self.seconds

    def result_lag(self, quantile: float) -> float:
        lags = sorted(self.result_lags)
        return lags[min(int(len(lags) * quantile), len(lags) - 1)]


def ceiling_reset() -> None:
    """Forget the creations of earlier rounds, as a quiet minute would."""
    cache.delete_many([CREATIONS_KEY, PAUSE_KEY])


def run_batch(user, fake: TimedFake, count: int, timeout: float = 600.0) -> Completion:
    """Submit `count` jobs at once and wait for all of them to succeed."""
    settings.GENERATION_PROVIDER = "replicate"
    fake.model_seconds = MODEL_SECONDS
    fake.creation_times.clear()
    started = timezone.now()
    ids = [services.generation_submit(user=user, request=JOB).pk for _ in range(count)]
    jobs = Generation.objects.filter(pk__in=ids)
    deadline = time.monotonic() + timeout
    while jobs.exclude(status__in=Generation.FINISHED).exists():
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"{jobs.filter(status__in=Generation.UNFINISHED).count()} unfinished"
            )
        time.sleep(0.2)
    if failed := jobs.exclude(status=Status.SUCCEEDED).first():
        raise RuntimeError(f"job {failed.pk} ended {failed.status!r}: {failed.error}")
    ended = dict(jobs.values_list("provider_job_id", "finished_at"))
    return Completion(
        jobs=count,
        seconds=(max(ended.values()) - started).total_seconds(),
        most_created_per_minute=fake.most_created_within(60.0),
        result_lags=[
            finished_at.timestamp() - (fake.predictions[remote_id]["created"] + MODEL_SECONDS)
            for remote_id, finished_at in ended.items()
        ],
    )
