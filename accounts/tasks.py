from celery import shared_task

from . import exports, services


@shared_task(name="accounts.clear_expired_sessions")
def clear_expired_sessions() -> None:
    services.sessions_clear_expired()


@shared_task
def build_export(export_id: int) -> None:
    exports.export_build(export_id=export_id)


@shared_task(name="accounts.delete_expired_exports")
def delete_expired_exports() -> int:
    return exports.exports_delete_expired()
