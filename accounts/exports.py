"""A user's own copy of everything: their outputs, byte for byte, and their jobs, credit
ledger and payments as JSON and CSV, zipped in the background with progress."""

import csv
import io
import json
import logging
import tempfile
import uuid
import zipfile
from datetime import datetime

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from billing.models import LedgerEntry, Payment
from generation.models import Generation, Output

from .models import DataExport, ExportStatus

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 10  # outputs between progress updates


def export_request(*, user) -> DataExport:
    """Start an export, or give back the one already under way."""
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
    except IntegrityError:
        return DataExport.objects.get(user=user, status__in=DataExport.IN_PROGRESS)
    from .tasks import build_export

    transaction.on_commit(lambda: build_export.delay(export.pk))
    return export


def export_build(*, export_id: int) -> None:
    """The worker's part; claimed once, so a redelivered task does nothing."""
    claimed = DataExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    )
    if not claimed:
        return
    export = DataExport.objects.select_related("user").get(pk=export_id)
    try:
        with tempfile.TemporaryFile() as scratch:
            _write_zip(scratch, export)
            export.file.save(f"{export.user_id}/{uuid.uuid4().hex}.zip", File(scratch), save=False)
    except Exception as error:
        logger.exception("export %s failed", export_id)
        _finish(export, status=ExportStatus.FAILED, error=f"The export failed: {error}")
        return
    with transaction.atomic():
        _finish(export, status=ExportStatus.READY)
        # One export per account: the new one replaces the older ones now it is ready.
        older = DataExport.objects.filter(user_id=export.user_id).exclude(pk=export.pk)
        exports_delete(exports=older.exclude(status__in=DataExport.IN_PROGRESS))


def exports_delete(*, exports: QuerySet) -> int:
    """Delete these exports, and their files once that is committed. Returns how many."""
    with transaction.atomic():
        for export in exports.exclude(file=""):
            name, storage = export.file.name, export.file.storage
            transaction.on_commit(
                lambda name=name, storage=storage: storage.delete(name), robust=True
            )
        deleted, _ = exports.delete()
    return deleted


def exports_delete_expired(*, now: datetime | None = None) -> int:
    """Delete the exports older than EXPORT_KEEP_DAYS (the beat runs this hourly)."""
    return exports_delete(exports=DataExport.objects.expired(now=now or timezone.now()))


def _finish(export: DataExport, *, status: str, error: str = "") -> None:
    export.status, export.error, export.finished_at = status, error, timezone.now()
    export.progress = 100 if status == ExportStatus.READY else export.progress
    export.save(update_fields=["status", "error", "finished_at", "progress", "file"])


def _write_zip(target, export: DataExport) -> None:
    user = export.user
    outputs = list(Output.objects.for_user(user).order_by("pk"))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, output in enumerate(outputs, start=1):
            with output.file.open("rb") as handle:
                archive.writestr(f"outputs/{output.filename}", handle.read())
            if done % PROGRESS_EVERY == 0:
                percent = int(90 * done / len(outputs))
                DataExport.objects.filter(pk=export.pk).update(progress=percent)
        archive.writestr("account.json", _json(_account(user)))
        archive.writestr("generations.json", _json(_generations(user)))
        archive.writestr("ledger.csv", _ledger_csv(user))
        archive.writestr("payments.json", _json(_payments(user)))


def _json(data) -> str:
    return json.dumps(data, indent=2, default=str)


def _account(user) -> dict:
    return {"email": user.email, "joined": user.date_joined, "exported": timezone.now()}


def _generations(user) -> list[dict]:
    jobs = Generation.objects.for_user(user).prefetch_related("outputs").order_by("pk")
    fields = ["id", "kind", "via", "prompt", "negative_prompt", "style", "color", "width"]
    fields += ["height", "count", "seed", "edit_operation", "status", "error", "result_text"]
    fields += ["credits_charged", "created_at", "finished_at"]
    return [
        {
            **{name: getattr(job, name) for name in fields},
            "outputs": [f"outputs/{output.filename}" for output in job.outputs.all()],
        }
        for job in jobs
    ]


def _ledger_csv(user) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["time", "kind", "amount", "balance_after", "reason", "reference"])
    for entry in LedgerEntry.objects.for_user(user).order_by("pk"):
        writer.writerow(
            [
                entry.created_at.isoformat(),
                entry.kind,
                entry.amount,
                entry.balance_after,
                entry.reason,
                entry.reference,
            ]
        )
    return buffer.getvalue()


def _payments(user) -> list[dict]:
    fields = ["razorpay_order_id", "razorpay_payment_id", "amount_paise", "currency", "status"]
    fields += ["refunded_paise", "created_at", "activated_at"]
    return list(Payment.objects.filter(user=user).order_by("pk").values(*fields))
