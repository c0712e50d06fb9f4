from celery import shared_task

from . import services


# A receiver trickling its answer a byte at a time resets httpx's per-read timeout; the
# soft limit ends such an attempt (recorded as a failure, see transport.post).
@shared_task(soft_time_limit=30, time_limit=60)
def deliver_webhook(delivery_id: int) -> None:
    # Retries are queued by the service when it records a failed attempt.
    services.delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.sweep")
def sweep_deliveries() -> int:
    return services.delivery_sweep()
