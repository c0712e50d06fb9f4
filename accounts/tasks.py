from celery import shared_task

from . import services


@shared_task(name="accounts.clear_expired_sessions")
def clear_expired_sessions() -> None:
    services.sessions_clear_expired()
