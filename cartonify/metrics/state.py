"""Gauges read at scrape time from PostgreSQL and Redis, so every web process reports the
same numbers for the whole site and nobody else's code needs a counter sprinkled in it."""

import logging

import redis
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from billing import services as billing
from generation.models import Generation, Kind, Status

logger = logging.getLogger(__name__)

# kombu's Redis transport keeps one list per priority step beside the plain queue name.
KOMBU_PRIORITY_SEPARATOR = "\x06\x16"
KOMBU_PRIORITY_STEPS = (3, 6, 9)


class StateCollector:
    def collect(self):
        for section in (generation_gauges, broker_queue_depth, ledger_counters, payment_gauges):
            try:
                yield from section()
            except Exception:
                # One store being down must not hide what the others can still tell.
                logger.exception("metrics: %s could not be read", section.__name__)


def generation_gauges():
    by_status = GaugeMetricFamily(
        "cartonify_jobs", "Generation jobs by status and kind.", labels=["status", "kind"]
    )
    counts = dict.fromkeys(((status, kind) for status in Status for kind in Kind), 0)
    rows = Generation.objects.order_by().values("status", "kind").annotate(n=Count("id"))
    counts.update({(row["status"], row["kind"]): row["n"] for row in rows})
    for (status, kind), n in counts.items():
        by_status.add_metric([status, kind], n)
    yield by_status

    oldest = Generation.objects.filter(status=Status.QUEUED).aggregate(at=Min("created_at"))["at"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0
    yield GaugeMetricFamily(
        "cartonify_oldest_queued_job_age_seconds",
        "How long the oldest job still queued has waited (0 when none is).",
        value=age,
    )


def broker_queue_depth():
    from cartonify.celery import app

    broker_url = app.conf.broker_url or ""
    if not broker_url.startswith(("redis://", "rediss://")):
        return
    depth = GaugeMetricFamily(
        "cartonify_queue_depth", "Celery messages waiting in the broker.", labels=["queue"]
    )
    client = redis.Redis.from_url(broker_url, socket_timeout=2, socket_connect_timeout=2)
    try:
        for name in _queue_names(app):
            keys = [name] + [f"{name}{KOMBU_PRIORITY_SEPARATOR}{s}" for s in KOMBU_PRIORITY_STEPS]
            depth.add_metric([name], sum(client.llen(key) for key in keys))
    finally:
        client.close()
    yield depth


def _queue_names(app) -> list[str]:
    queues = app.conf.task_queues or ()
    return sorted({app.conf.task_default_queue, *(getattr(q, "name", q) for q in queues)})


def ledger_counters():
    credits = CounterMetricFamily(
        "cartonify_ledger_credits", "Credits moved by the ledger, by kind.", labels=["kind"]
    )
    entries = CounterMetricFamily(
        "cartonify_ledger_entries", "Ledger entries appended, by kind.", labels=["kind"]
    )
    for kind, total in sorted(billing.ledger_totals_by_kind().items()):
        credits.add_metric([kind], total.amount)
        entries.add_metric([kind], total.rows)
    yield credits
    yield entries


def payment_gauges():
    count = GaugeMetricFamily(
        "cartonify_payments", "Payments by status.", labels=["status", "currency"]
    )
    amount = GaugeMetricFamily(
        "cartonify_payments_amount_paise",
        "Sum of payment amounts by status, in the currency's smallest unit.",
        labels=["status", "currency"],
    )
    for (status, currency), total in sorted(billing.payment_totals_by_status().items()):
        count.add_metric([status, currency], total.rows)
        amount.add_metric([status, currency], total.amount)
    yield count
    yield amount
