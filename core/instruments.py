"""Counters and histograms recorded by the process doing the work.

Under gunicorn and Celery each process writes its own values into PROMETHEUS_MULTIPROC_DIR
(set before the first import of prometheus_client) and a scrape adds them up.
"""

import functools
import time

from django.http import Http404
from prometheus_client import Counter, Histogram

REQUEST_SECONDS = Histogram(
    "cartonify_http_request_duration_seconds",
    "Time to answer a request, by the URL pattern's name.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PROVIDER_SECONDS = Histogram(
    "cartonify_provider_call_duration_seconds",
    "Time a generation provider took to answer one call.",
    ["provider", "operation"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
PROVIDER_ERRORS = Counter(
    "cartonify_provider_errors",
    "Calls to a generation provider that raised, by whether a retry may help.",
    ["provider", "operation", "permanent"],
)
REPLICATE_WEBHOOKS = Counter(
    "cartonify_replicate_webhooks",
    "Inbound Replicate webhooks by what became of them.",
    ["outcome"],
)


class InstrumentedProvider:
    """Times every call to a provider and counts the ones that raise, whatever its methods."""

    def __init__(self, provider, *, name: str) -> None:
        self._provider = provider
        self._name = name

    def __getattr__(self, attribute):
        value = getattr(self._provider, attribute)
        if not callable(value) or attribute.startswith("_"):
            return value
        return self._timed(value, attribute)

    def _timed(self, call, operation: str):
        @functools.wraps(call)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return call(*args, **kwargs)
            except Exception as error:
                permanent = str(getattr(error, "permanent", "unknown")).lower()
                PROVIDER_ERRORS.labels(self._name, operation, permanent).inc()
                raise
            finally:
                PROVIDER_SECONDS.labels(self._name, operation).observe(
                    time.perf_counter() - started
                )

        return timed


def webhook_outcome(response) -> str:
    if response.status_code == 200:
        return "duplicate" if response.content == b"duplicate" else "accepted"
    return "rejected"


def counts_replicate_webhooks(view):
    """Counts each answer of the Replicate webhook view by outcome."""

    @functools.wraps(view)
    def counted(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            REPLICATE_WEBHOOKS.labels("not_found").inc()
            raise
        except Exception:
            REPLICATE_WEBHOOKS.labels("error").inc()
            raise
        REPLICATE_WEBHOOKS.labels(webhook_outcome(response)).inc()
        return response

    return counted
