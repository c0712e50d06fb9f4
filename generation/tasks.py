from celery import shared_task

from . import services
from .exceptions import StorageUnavailable
from .providers import ProviderError


@shared_task(bind=True, max_retries=3)
def run_generation(self, generation_id: int) -> None:
    try:
        services.generation_run(generation_id=generation_id, attempt_id=self.request.id or "")
    except (ProviderError, StorageUnavailable) as error:
        if self.request.retries >= self.max_retries:
            services.generation_fail(generation_id=generation_id, reason=str(error))
            return
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error


# The name queued messages carry and the queue routes in settings match on.
@shared_task(name="generation.check_remote_jobs")
def check_remote_generations(loop: str = "") -> None:
    services.remote_generations_poll(loop=loop)


@shared_task
def finish_generation(generation_id: int, payload: dict) -> None:
    services.generation_finish_from_prediction(generation_id=generation_id, payload=payload)


# The names earlier releases queued; kept so messages in the broker during a deploy run.
@shared_task
def poll_generation(generation_id: int) -> None:
    services.poller_wake()


@shared_task
def finish_generation_from_webhook(generation_id: int, payload: dict) -> None:
    finish_generation(generation_id, payload)


@shared_task(name="generation.sweep")
def sweep_generations() -> dict[str, int]:
    return services.generation_sweep()
