from celery import shared_task

from . import services, usage


@shared_task(name="apikeys.flush_usage")
def flush_usage() -> int:
    return usage.usage_flush()


@shared_task(name="apikeys.purge_idempotency_records")
def purge_idempotency_records() -> int:
    return services.idempotency_purge()
