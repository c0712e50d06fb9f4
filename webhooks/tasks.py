from celery import shared_task

from . import services


@shared_task
def deliver_webhook(delivery_id: int) -> None:
    # Retries are queued by the service when it records a failed attempt.
    services.delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.sweep")
def sweep_deliveries() -> int:
    return services.delivery_sweep()
