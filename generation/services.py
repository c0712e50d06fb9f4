"""Generation business operations: submit, run, complete, fail, cancel, retry, delete.

Providers are never called inside a transaction: claim the job, commit, call
out, then record the result in a new short transaction.
"""

import logging
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from billing import services as billing

from .exceptions import InvalidRequest, NotAllowed
from .gallery_cache import gallery_changed
from .models import Generation, Kind, Output, OutputKind, Status, Via, output_upload_to
from .providers import (
    COLORS,
    EDIT_OPERATIONS,
    MAX_COUNT,
    SIZES,
    STYLES,
    JobSpec,
    Outcome,
    OutputFile,
    ProviderError,
    get_provider,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GenerationRequest:
    """What a user asks for, from the web form or the API, before it is checked."""

    kind: str
    prompt: str
    negative_prompt: str = ""
    style: str = STYLES[0]
    color: str = COLORS[0]
    size: int = SIZES[0]
    count: int = 1
    seed: int | None = None
    edit_operation: str = ""


def validate_request(request: GenerationRequest) -> None:
    prompt = request.prompt.strip()
    limit = settings.GENERATION_PROMPT_MAX_LENGTH
    if request.kind not in Kind.values:
        raise InvalidRequest(f"Unknown kind “{request.kind}”.", field="kind")
    if request.kind != Kind.EDIT and not prompt:
        raise InvalidRequest("Write a prompt first.", field="prompt")
    if len(prompt) > limit or len(request.negative_prompt) > limit:
        raise InvalidRequest(f"Prompts are limited to {limit} characters.", field="prompt")
    if _has_control_characters(prompt + request.negative_prompt):
        raise InvalidRequest("The prompt contains characters we can't use.", field="prompt")
    if request.style not in STYLES:
        raise InvalidRequest(f"Unknown style “{request.style}”.", field="style")
    if request.color not in COLORS:
        raise InvalidRequest(f"Unknown colour “{request.color}”.", field="color")
    if request.size not in SIZES:
        raise InvalidRequest(f"Size must be one of {', '.join(map(str, SIZES))}.", field="size")
    if not 1 <= request.count <= MAX_COUNT:
        raise InvalidRequest(f"Count must be between 1 and {MAX_COUNT}.", field="count")
    if request.seed is not None and not 0 <= request.seed < 2**32:
        raise InvalidRequest("The seed must be between 0 and 4294967295.", field="seed")
    if request.kind == Kind.EDIT and request.edit_operation not in EDIT_OPERATIONS:
        raise InvalidRequest("Choose an edit operation.", field="edit_operation")


def _has_control_characters(text: str) -> bool:
    """Control characters, and U+FFFD: what undecodable (non-UTF-8) input turns into."""
    return any(
        ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t") for ch in text
    )


@transaction.atomic
def generation_submit(
    *,
    user,
    request: GenerationRequest,
    via: str = Via.WEB,
    source_output: Output | None = None,
    source_bytes: bytes | None = None,
    retry_of: Generation | None = None,
) -> Generation:
    """Check, reserve the credits and create the job in one transaction; queue it on commit."""
    validate_request(request)
    if request.kind == Kind.EDIT:
        _check_edit_source(user=user, source_output=source_output, source_bytes=source_bytes)
    outputs = request.count if request.kind in (Kind.IMAGE, Kind.EDIT) else 1
    # Locked first: the cost depends on the plan, and concurrent submits queue here.
    account = billing.credits_lock(user=user)
    cost = billing.plan_cost(plan=account.plan, kind=request.kind, count=outputs)
    generation = Generation.objects.create(
        user=user,
        kind=request.kind,
        via=via,
        prompt=request.prompt.strip(),
        negative_prompt=request.negative_prompt.strip(),
        style=request.style,
        color=request.color,
        width=request.size,
        height=request.size,
        count=outputs,
        seed=request.seed,
        edit_operation=request.edit_operation,
        source_output=source_output,
        provider=settings.GENERATION_PROVIDER,
        credits_charged=cost,
        retry_of=retry_of,
    )
    billing.credits_reserve_locked(
        account=account,
        amount=cost,
        reference=generation.reference,
        reason=f"{generation.get_kind_display()} #{generation.pk}",
    )
    if source_bytes is not None:
        generation.source_file.save("source.png", ContentFile(source_bytes), save=True)
    transaction.on_commit(lambda: _enqueue(generation.pk))
    return generation


def _check_edit_source(*, user, source_output, source_bytes) -> None:
    if source_output is None and source_bytes is None:
        raise InvalidRequest("Choose an image to edit or upload one.", field="source_upload")
    if source_output is not None and (
        source_output.user_id != user.pk or source_output.kind != OutputKind.IMAGE
    ):
        raise InvalidRequest("That image is not in your gallery.", field="source_output")


def _enqueue(generation_id: int) -> None:
    from .tasks import run_generation

    try:
        run_generation.delay(generation_id)
    except Exception:
        # The job is committed and paid for; the sweeper sends queued jobs again.
        logger.exception("could not queue generation %s; left for the sweeper", generation_id)


def generation_claim(*, generation_id: int, attempt_id: str = "") -> bool:
    """Move a queued job to running; exactly one caller wins.

    A redelivered task (same `attempt_id`, its first worker killed mid-job) may take
    over the running job it had claimed: the job has recorded nothing yet.
    """
    claimable = Q(status=Status.QUEUED)
    if attempt_id:
        claimable |= Q(status=Status.RUNNING, claimed_by=attempt_id)
    claimed = Generation.objects.filter(claimable, pk=generation_id).update(
        status=Status.RUNNING, started_at=timezone.now(), claimed_by=attempt_id
    )
    return claimed == 1


def generation_run(*, generation_id: int, attempt_id: str = "") -> None:
    """The worker's entry point. Raises ProviderError when a retry is worthwhile."""
    if not generation_claim(generation_id=generation_id, attempt_id=attempt_id):
        return
    generation = Generation.objects.get(pk=generation_id)
    if generation.provider_job_id:
        schedule_poll(generation_id)  # started remotely before a crash: wait for it there
        return
    provider = get_provider(generation.provider)
    try:
        started = provider.start(_spec_for(generation), webhook_url=_webhook_url(generation))
    except ProviderError as error:
        if error.permanent:
            generation_fail(generation_id=generation_id, reason=str(error))
            return
        Generation.objects.filter(pk=generation_id, status=Status.RUNNING).update(
            status=Status.QUEUED
        )
        raise
    if started.outcome is not None:
        generation_complete(generation_id=generation_id, outcome=started.outcome)
        return
    Generation.objects.filter(pk=generation_id).update(provider_job_id=started.provider_job_id)
    schedule_poll(generation_id)


def schedule_poll(generation_id: int) -> None:
    from .tasks import poll_generation

    poll_generation.apply_async((generation_id,), countdown=settings.GENERATION_POLL_INTERVAL)


def generation_finish_from_webhook(*, generation_id: int, payload: dict) -> None:
    generation = Generation.objects.get(pk=generation_id)
    if generation.is_finished or payload.get("id") != generation.provider_job_id:
        return
    try:
        outcome = get_provider(generation.provider).outcome_from_webhook(payload)
    except ProviderError as error:
        if error.permanent:
            generation_fail(generation_id=generation_id, reason=str(error))
        return  # a transient failure is left to the poller
    if outcome is not None:
        generation_complete(generation_id=generation_id, outcome=outcome)


def generation_poll(*, generation_id: int) -> bool:
    """Ask the provider how a remote job is doing. Returns True when it should ask again."""
    generation = Generation.objects.get(pk=generation_id)
    if generation.is_finished or not generation.provider_job_id:
        return False
    provider = get_provider(generation.provider)
    if _timed_out(generation):
        _cancel_remote(provider, generation.provider_job_id)
        generation_fail(generation_id=generation_id, reason="The model took too long to answer.")
        return False
    try:
        outcome = provider.poll(generation.provider_job_id)
    except ProviderError as error:
        if error.permanent:
            generation_fail(generation_id=generation_id, reason=str(error))
            return False
        return True
    if outcome is None:
        return True
    generation_complete(generation_id=generation_id, outcome=outcome)
    return False


def _timed_out(generation: Generation) -> bool:
    started = generation.started_at or generation.created_at
    return (timezone.now() - started).total_seconds() > settings.GENERATION_TIMEOUT


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
    outputs = [_store(generation, file) for file in outcome.files]
    recorded = _record_success(generation_id, outputs, outcome.text)
    if not recorded:
        for output in outputs:
            default_storage.delete(output.file.name)
    return recorded


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
    generation.result_text = text[: settings.GENERATION_PROMPT_MAX_LENGTH]
    generation.finished_at = timezone.now()
    generation.save(update_fields=["status", "result_text", "finished_at"])
    return True


@transaction.atomic
def generation_fail(*, generation_id: int, reason: str, status: str = Status.FAILED) -> bool:
    """End a job without outputs and give its credits back, once."""
    generation = Generation.objects.select_for_update().get(pk=generation_id)
    if generation.is_finished:
        return False
    generation.status = status
    generation.error = reason[:1000]
    generation.finished_at = timezone.now()
    generation.save(update_fields=["status", "error", "finished_at"])
    billing.credits_refund(
        user=generation.user,
        reference=generation.reference,
        reason=f"Refund: {generation.get_kind_display()} #{generation.pk} {status}",
    )
    return True


def generation_cancel(*, user, generation_id: int) -> Generation:
    generation = Generation.objects.get(pk=generation_id, user=user)
    if generation.is_finished:
        raise NotAllowed("This job has already finished.")
    generation_fail(generation_id=generation.pk, reason="Canceled by you.", status=Status.CANCELED)
    if generation.provider_job_id:
        _cancel_remote(get_provider(generation.provider), generation.provider_job_id)
    generation.refresh_from_db()
    return generation


def _cancel_remote(provider, provider_job_id: str) -> None:
    try:
        provider.cancel(provider_job_id)
    except ProviderError:
        logger.warning("could not cancel remote job %s", provider_job_id)


def generation_retry(*, user, generation_id: int) -> Generation:
    original = Generation.objects.get(pk=generation_id, user=user)
    if original.status not in (Status.FAILED, Status.CANCELED):
        raise NotAllowed("Only failed or canceled jobs can be retried.")
    source_bytes = None
    if original.kind == Kind.EDIT and original.source_output is None:
        if not original.source_file:
            raise NotAllowed("The image this edit started from is gone.")
        source_bytes = original.source_file.read()
    return generation_submit(
        user=user,
        request=request_from(original),
        via=original.via,
        source_output=original.source_output,
        source_bytes=source_bytes,
        retry_of=original,
    )


def request_from(generation: Generation) -> GenerationRequest:
    """The settings of a past job, to run it again or prefill the form."""
    return GenerationRequest(
        kind=generation.kind,
        prompt=generation.prompt,
        negative_prompt=generation.negative_prompt,
        style=generation.style,
        color=generation.color,
        size=generation.width,
        count=generation.count,
        seed=generation.seed,
        edit_operation=generation.edit_operation,
    )


def _spec_for(generation: Generation) -> JobSpec:
    source = None
    if generation.source_output_id:
        with generation.source_output.file.open("rb") as handle:
            source = handle.read()
    elif generation.source_file:
        with generation.source_file.open("rb") as handle:
            source = handle.read()
    return JobSpec(
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
        edit_operation=generation.edit_operation or "cartoonify",
    )


def _webhook_url(generation: Generation) -> str | None:
    base = settings.REPLICATE_WEBHOOK_BASE_URL
    if not (base and settings.REPLICATE_WEBHOOK_SECRET):
        return None
    return f"{base.rstrip('/')}/webhooks/replicate/{generation.pk}/"


def output_set_favorite(*, user, output_id: int, favorite: bool) -> Output:
    output = Output.objects.get(pk=output_id, user=user)
    output.favorite = favorite
    output.save(update_fields=["favorite"])
    transaction.on_commit(lambda: gallery_changed(user.pk))
    return output


def output_delete(*, user, output_id: int) -> None:
    """Delete an output and, once that commits, its file (see signals.py for cascades)."""
    Output.objects.get(pk=output_id, user=user).delete()


def generation_sweep(*, now=None) -> dict[str, int]:
    """Recover jobs that a lost broker message or a killed worker left behind.

    Queued jobs older than a minute are sent again (claiming makes a duplicate
    harmless); running jobs past the timeout are failed and refunded.
    """
    now = now or timezone.now()
    stale_queued = Generation.objects.filter(
        status=Status.QUEUED, created_at__lt=now - timedelta(seconds=60)
    ).values_list("pk", flat=True)
    requeued = 0
    for generation_id in stale_queued:
        _enqueue(generation_id)
        requeued += 1
    overdue = Generation.objects.filter(
        status=Status.RUNNING,
        started_at__lt=now - timedelta(seconds=settings.GENERATION_TIMEOUT + 60),
    ).values_list("pk", flat=True)
    failed = sum(
        generation_fail(generation_id=pk, reason="The job was interrupted. Your credits are back.")
        for pk in overdue
    )
    return {"requeued": requeued, "failed": failed}
