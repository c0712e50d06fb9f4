"""Benchmark: how soon an API job's `completed` webhook reaches its receiver after the
job ends, through a real Celery worker, to a receiver on loopback."""

import statistics
import time

from django.db import transaction

from generation import services
from generation.services import GenerationRequest
from testing.webhook_receiver import WebhookReceiver
from webhooks import services as webhooks

JOB = GenerationRequest(kind="image", prompt="a paper boat with a bell", count=1)


def run_jobs(user, count: int, timeout: float = 30.0) -> list[float]:
    """Submit `count` jobs with a webhook, one after another; for each, the milliseconds
    from `finished_at` to the receiver reading the request."""
    latencies = []
    with WebhookReceiver().running() as receiver:
        for _ in range(count):
            with transaction.atomic():
                job = services.generation_submit(user=user, request=JOB, via="api")
                webhooks.job_webhook_attach(
                    generation=job,
                    url=receiver.url(f"/{job.pk}"),
                    events=["completed"],
                    site_url="http://127.0.0.1/",
                )
            deadline = time.monotonic() + timeout
            while not receiver.requests_to(f"/{job.pk}"):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no webhook for job {job.pk}")
                time.sleep(0.005)
            job.refresh_from_db()
            received = receiver.requests_to(f"/{job.pk}")[0]
            latencies.append((received.at - job.finished_at.timestamp()) * 1000)
    return latencies


def summary(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "p50_ms": statistics.median(ordered),
        "p90_ms": ordered[int(len(ordered) * 0.9) - 1],
        "max_ms": ordered[-1],
    }
