"""A job's life after submission: claim, run, poll or hear back, then succeed or fail once.

Providers are never called inside a transaction: claim the job, commit, call
out, then record the result in a new short transaction.
"""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from billing import services as billing
from core.object_storage import STORAGE_ERRORS

from ..exceptions import JobStateConflict, StorageUnavailable
from ..gallery_cache import gallery_changed
from ..models import Generation, Kind, Output, OutputKind, Status, output_upload_to
from ..options import COLORS, PROMPT_MAX_LENGTH, STYLES
from ..providers import (
    GenerationSpec,
    Outcome,
    OutputFile,
    ProviderError,
    Throttled,
    get_provider,
)
from ..signals import announce, generation_finished, generation_started
from .poller import poller_wake
from .submit import enqueue

logger = logging.getLogger(__name__)


def generation_claim(*, generation_id: int, attempt_id: str = "") -> bool:
    """Move a queued job to running; exactly one caller wins.

    A redelivered task (same `attempt_id`, its first worker killed mid-job) may take
    over the running job it had claimed: the job has recorded nothing yet. A job waiting
    for its turn after a 429 is claimed only from its turn on, so an early duplicate of
    its task (the sweeper's) ends here instead of doubling the attempts.
    """
    now = timezone.now()
    its_turn = Q(next_check_at__isnull=True) | Q(next_check_at__lte=now + CLOCK_SKEW)
    claimable = Q(status=Status.QUEUED) & its_turn
    if attempt_id:
        claimable |= Q(status=Status.RUNNING, claimed_by=attempt_id)
    job = Generation.objects.filter(claimable, pk=generation_id)
    running = {
        "status": Status.RUNNING,
        "started_at": now,
        "claimed_by": attempt_id,
        "next_check_at": None,
    }
    # Announced once per job, however often claimed: the throttle (`_wait_for_turn`), a
    # retried task and a redelivered one put the job back or take it over with its
    # `started_at` kept, and nothing clears it. So only the claim that first sets it
    # announces; every claim sets it anew, as the sweeper times a run from its last claim.
    if job.filter(started_at__isnull=True).update(**running):
        announce(generation_started, generation_id=generation_id)
        return True
    return job.update(**running) == 1


# Workers' clocks differ a little: a task due at its turn may run just before it.
CLOCK_SKEW = timedelta(seconds=1)


def generation_run(*, generation_id: int, attempt_id: str = "") -> None:
    """The worker's entry point. Raises ProviderError when a retry is worthwhile."""
    if not generation_claim(generation_id=generation_id, attempt_id=attempt_id):
        return
    # The source image's row is loaded with the job: if its owner deletes it from now on,
    # either its file is still read for the spec, or the read fails like a store that is
    # down and the task's retry finds the image gone (below).
    generation = Generation.objects.select_related("source_output").get(pk=generation_id)
    if generation.provider_job_id:
        poller_wake()  # started remotely before a crash: wait for it there
        return
    if generation.run_refusal:
        generation_fail(generation_id=generation_id, reason=generation.run_refusal)
        return
    provider = get_provider(generation.provider)
    try:
        started = provider.start(
            spec_for(generation),
            webhook_url=_webhook_url(generation),
            report=_progress_recorder(generation_id),
        )
        if started.outcome is not None:
            generation_complete(generation_id=generation_id, outcome=started.outcome)
            return
    except Throttled as throttled:
        _wait_for_turn(generation, seconds=throttled.retry_after)
        return
    except (ProviderError, StorageUnavailable) as error:
        if isinstance(error, ProviderError) and error.permanent:
            generation_fail(generation_id=generation_id, reason=str(error))
            return
        Generation.objects.filter(pk=generation_id, status=Status.RUNNING).update(
            status=Status.QUEUED
        )
        raise
    Generation.objects.filter(pk=generation_id).update(
        provider_job_id=started.provider_job_id,
        next_check_at=timezone.now() + timedelta(seconds=check_interval()),
    )
    poller_wake()


def check_interval() -> float:
    """Seconds between checks on a running remote job: webhooks make polling a fallback."""
    if _webhooks_on():
        return max(settings.GENERATION_POLL_INTERVAL, settings.REPLICATE_WEBHOOK_FALLBACK_POLL)
    return settings.GENERATION_POLL_INTERVAL


def _progress_recorder(generation_id: int):
    def record(percent: int, stage: str) -> None:
        Generation.objects.filter(pk=generation_id).record_progress(percent, stage)

    return record


def _wait_for_turn(generation: Generation, *, seconds: float) -> None:
    """The provider is throttling new jobs: put this one back in the queue for later,
    uncharged by the provider and still paid for here, until GENERATION_QUEUE_TIMEOUT
    has passed since it was submitted; then end it and give its credits back."""
    waited = (timezone.now() - generation.created_at).total_seconds()
    if waited + seconds > settings.GENERATION_QUEUE_TIMEOUT:
        generation_fail(
            generation_id=generation.pk,
            reason="The model's provider stayed too busy to take this job. Your credits are back.",
        )
        return
    # Spread out: jobs told to wait the same time would all come back at once.
    delay = seconds + random.uniform(0, min(seconds, 1.0))
    requeued = Generation.objects.filter(pk=generation.pk, status=Status.RUNNING).update(
        status=Status.QUEUED,
        next_check_at=timezone.now() + timedelta(seconds=delay),
        logs_excerpt="Waiting for the provider to take new jobs",
    )
    if requeued:
        enqueue(generation.pk, countdown=delay)


def generation_complete(*, generation_id: int, outcome: Outcome) -> bool:
    """Record a provider's final answer once. Returns False if the job had already ended."""
    if outcome.status != Status.SUCCEEDED:
        status = Status.CANCELED if outcome.status == Status.CANCELED else Status.FAILED
        reason = outcome.error or "The model could not make this."
        return generation_fail(generation_id=generation_id, reason=reason, status=status)
    generation = Generation.objects.get(pk=generation_id)
    if generation.is_finished:
        return False
    if generation.kind != Kind.ENHANCE and not outcome.files:
        return generation_fail(generation_id=generation_id, reason="The model returned nothing.")
    outputs = _store_all(generation, outcome.files)
    recorded = _record_success(generation_id, outputs, outcome.text)
    if not recorded:
        _discard(outputs)
    return recorded


def _store_all(generation: Generation, files) -> list[Output]:
    """Every file stored, or none: a job never succeeds with some of its pictures."""
    outputs = []
    try:
        for file in files:
            outputs.append(_store(generation, file))
    except STORAGE_ERRORS as error:
        logger.warning("job %s: could not store its outputs: %s", generation.pk, error)
        _discard(outputs)
        raise StorageUnavailable("The file store is unavailable.") from error
    return outputs


def _discard(outputs: list[Output]) -> None:
    for output in outputs:
        try:
            default_storage.delete(output.file.name)
        except STORAGE_ERRORS:
            logger.warning("could not delete unrecorded output file %s", output.file.name)


def _store(generation: Generation, file: OutputFile) -> Output:
    """Write the bytes into our storage now: provider URLs expire within the hour."""
    kind = OutputKind.VIDEO if generation.kind == Kind.VIDEO else OutputKind.IMAGE
    output = Output(
        user_id=generation.user_id,
        generation=generation,
        kind=kind,
        content_type=file.content_type,
        width=file.width,
        height=file.height,
        bytes=len(file.content),
    )
    name = default_storage.save(
        output_upload_to(output, f"x.{file.extension}"), ContentFile(file.content)
    )
    output.file.name = name
    return output


@transaction.atomic
def _record_success(generation_id: int, outputs: list[Output], text: str) -> bool:
    # Locked so a webhook and the poller finishing together record one set of outputs.
    generation = Generation.objects.select_for_update().get(pk=generation_id)
    if generation.is_finished:
        return False
    Output.objects.bulk_create(outputs)
    transaction.on_commit(lambda: gallery_changed(generation.user_id))
    generation.status = Status.SUCCEEDED
    generation.result_text = text[:PROMPT_MAX_LENGTH]
    generation.finished_at = timezone.now()
    generation.progress = 100
    generation.save(update_fields=["status", "result_text", "finished_at", "progress"])
    announce(generation_finished, generation_id=generation_id)
    return True


@transaction.atomic
def generation_fail(*, generation_id: int, reason: str, status: str = Status.FAILED) -> bool:
    """End a job without outputs and give its credits back, once. False if it had ended."""
    # Locked so the worker, a webhook and a cancel ending the job together end it once.
    generation = Generation.objects.select_for_update().get(pk=generation_id)
    if generation.is_finished:
        return False
    _end_without_outputs(generation, reason=reason, status=status)
    return True


def _end_without_outputs(generation: Generation, *, reason: str, status: str) -> None:
    """The caller holds the row lock and has checked that the job is unfinished."""
    generation.status = status
    generation.error = reason[:1000]
    generation.finished_at = timezone.now()
    generation.save(update_fields=["status", "error", "finished_at"])
    announce(generation_finished, generation_id=generation.pk)
    billing.credits_refund(
        user=generation.user,
        reference=generation.reference,
        reason=f"Refund, {status}: {generation.ledger_reason}",
    )


def generation_cancel(*, generation: Generation, by) -> Generation:
    """Cancel a queued or running job for its owner or a staff member `by`, and refund it."""
    with transaction.atomic():
        # Re-read under the lock: the worker may have finished the job since it was loaded.
        locked = Generation.objects.select_for_update().get(pk=generation.pk)
        if not locked.can_cancel:
            raise JobStateConflict(locked.cancel_refusal)
        reason = "Canceled by you." if by.pk == locked.user_id else "Canceled by support."
        _end_without_outputs(locked, reason=reason, status=Status.CANCELED)
    if locked.provider_job_id:  # after the commit: never call a provider inside a transaction
        cancel_remote(get_provider(locked.provider), locked.provider_job_id)
    return locked


def cancel_remote(provider, provider_job_id: str) -> None:
    """Ask the provider to stop a job; a provider that cannot is only logged."""
    try:
        provider.cancel(provider_job_id)
    except ProviderError:
        logger.warning("could not cancel remote job %s", provider_job_id)


def spec_for(generation: Generation) -> GenerationSpec:
    source = None
    if generation.source_output_id:
        source = _read(generation.source_output.file)
    elif generation.source_file:
        source = _read(generation.source_file)
    mask = _read(generation.mask_file) if generation.mask_file else None
    return GenerationSpec(
        kind=generation.kind,
        prompt=generation.prompt,
        negative_prompt=generation.negative_prompt,
        style=generation.style or STYLES[0],
        color=generation.color or COLORS[0],
        width=generation.width,
        height=generation.height,
        count=generation.count,
        seed=generation.seed,
        source_image=source,
        mask_image=mask,
        edit_operation=generation.edit_operation or "cartoonify",
        quality=generation.quality,
    )


def _read(file) -> bytes:
    try:
        with file.open("rb") as handle:
            return handle.read()
    except STORAGE_ERRORS as error:
        raise StorageUnavailable("The file store is unavailable.") from error


def _webhook_url(generation: Generation) -> str | None:
    if not _webhooks_on():
        return None
    base = settings.REPLICATE_WEBHOOK_BASE_URL.rstrip("/")
    return f"{base}/webhooks/replicate/{generation.pk}/"


def _webhooks_on() -> bool:
    return bool(settings.REPLICATE_WEBHOOK_BASE_URL and settings.REPLICATE_WEBHOOK_SECRET)


def generation_sweep(*, now=None) -> dict[str, int]:
    """Recover jobs that a lost broker message or a killed worker left behind.

    Queued jobs older than a minute are sent again (claiming makes a duplicate
    harmless) unless they wait for a turn the provider gave them; running jobs past the
    timeout are failed and refunded; the remote-job poller is woken if it was lost.
    """
    now = now or timezone.now()
    a_minute_ago = now - timedelta(seconds=60)
    stale_queued = (
        Generation.objects.filter(status=Status.QUEUED, created_at__lt=a_minute_ago)
        .filter(Q(next_check_at__isnull=True) | Q(next_check_at__lt=a_minute_ago))
        .values_list("pk", flat=True)
    )
    requeued = 0
    for generation_id in stale_queued:
        enqueue(generation_id)
        requeued += 1
    overdue = Generation.objects.filter(
        status=Status.RUNNING,
        started_at__lt=now - timedelta(seconds=settings.GENERATION_TIMEOUT + 60),
    ).values_list("pk", flat=True)
    failed = sum(
        generation_fail(generation_id=pk, reason="The job was interrupted. Your credits are back.")
        for pk in overdue
    )
    if Generation.objects.awaiting_provider().exists():
        poller_wake()
    return {"requeued": requeued, "failed": failed}
