from celery import shared_task

from . import exports


@shared_task
def build_export(export_id: int) -> None:
    exports.export_build(export_id=export_id)
