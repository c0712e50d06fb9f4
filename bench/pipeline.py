"""Benchmark 3: jobs through a real Celery worker and the fake Replicate server."""

import base64
import statistics
import time
from dataclasses import dataclass, field

from django.conf import settings

from generation import services
from generation.models import Generation
from generation.services import GenerationRequest
from testing.fake_replicate import FakeReplicate

JOB = GenerationRequest(kind="image", prompt="a paper boat on a pond", count=1)
API_TOKEN = "r8_bench"  # noqa: S105  (the fake's, loopback only)
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"bench-webhook-secret").decode()


@dataclass
class TimedFake(FakeReplicate):
    """Records how long the fake itself spent on each request, keyed by prediction id."""

    spent: dict[str, list[tuple[str, float, float]]] = field(default_factory=dict)

    def handle(self, method, path, headers, body):
        started = time.time()
        status, payload, extra = super().handle(method, path, headers, body)
        took = time.time() - started
        if isinstance(payload, dict) and payload.get("id") and method == "POST":
            prediction = payload["id"]
        else:
            prediction = next((p for p in path.split("/") if p in self.predictions), "")
        self.spent.setdefault(prediction, []).append((f"{method} {path}", started, took))
        return status, payload, extra


@dataclass(frozen=True)
class JobTiming:
    total_ms: float
    provider_ms: float
    polls: int
    before_create_ms: float  # pickup → the create request arrives
    poll_lag_ms: float  # poll task later than its countdown
    after_provider_ms: float  # last provider answer → outputs stored and `succeeded`

    @property
    def overhead_ms(self) -> float:
        return self.total_ms - self.provider_ms


def run_jobs(user, fake: TimedFake, count: int, timeout: float = 30.0) -> list[JobTiming]:
    """Submit `count` jobs one after another; time each from pickup to `succeeded`."""
    settings.GENERATION_PROVIDER = "replicate"
    interval_ms = settings.GENERATION_POLL_INTERVAL * 1000
    timings = []
    for _ in range(count):
        job = services.generation_submit(user=user, request=JOB)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.01)
        if job.status != "succeeded":
            raise RuntimeError(f"job {job.pk} ended {job.status!r}: {job.error}")
        timings.append(_timing(job, fake, interval_ms))
    return timings


def _timing(job: Generation, fake: TimedFake, interval_ms: float) -> JobTiming:
    calls = fake.spent.get(job.provider_job_id, [])
    polls = [start for what, start, _ in calls if what.startswith("GET /v1/predictions/")]
    # The provider's own time: serving our requests, and the model's run while we
    # wait one poll interval per poll (the fake finishes at the first poll).
    provider_ms = sum(took for _, _, took in calls) * 1000 + len(polls) * interval_ms
    total_ms = (job.finished_at - job.started_at).total_seconds() * 1000
    created_at, create_took = calls[0][1], calls[0][2]
    last_end = max(start + took for _, start, took in calls)
    return JobTiming(
        total_ms=total_ms,
        provider_ms=provider_ms,
        polls=len(polls),
        before_create_ms=(created_at - job.started_at.timestamp()) * 1000,
        poll_lag_ms=(polls[0] - created_at - create_took) * 1000 - interval_ms if polls else 0,
        after_provider_ms=(job.finished_at.timestamp() - last_end) * 1000,
    )


def summary(timings: list[JobTiming]) -> dict[str, float]:
    overhead = sorted(t.overhead_ms for t in timings)
    return {
        "jobs": len(timings),
        "p50_ms": statistics.median(overhead),
        "p90_ms": overhead[int(len(overhead) * 0.9) - 1],
        "max_ms": overhead[-1],
        "total_p50_ms": statistics.median(t.total_ms for t in timings),
        "provider_p50_ms": statistics.median(t.provider_ms for t in timings),
        "before_create_p50_ms": statistics.median(t.before_create_ms for t in timings),
        "poll_lag_p50_ms": statistics.median(t.poll_lag_ms for t in timings),
        "after_provider_p50_ms": statistics.median(t.after_provider_ms for t in timings),
    }


def new_fake() -> TimedFake:
    return TimedFake(api_token=API_TOKEN, webhook_secret=WEBHOOK_SECRET, output_size=(600, 600))
