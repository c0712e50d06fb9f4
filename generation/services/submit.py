"""Submitting a job: check the request, reserve its credits, queue it on commit."""

import logging
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from billing import services as billing

from .. import safety, uploads
from ..exceptions import InvalidRequest, JobStateConflict, UnsafePrompt
from ..models import Generation, Kind, Output, RefusedPrompt, Via
from ..options import (
    COLORS,
    DEFAULT_QUALITY,
    DEFAULT_SIZE,
    EDIT_OPERATIONS,
    MAX_COUNT,
    PROMPT_MAX_LENGTH,
    QUALITIES,
    SEED_MAX,
    SEED_MIN,
    SHAPES,
    SIZES,
    STYLES,
    dimensions,
    shape_of,
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
    size: int = DEFAULT_SIZE
    count: int = 1
    seed: int | None = None
    edit_operation: str = ""
    shape: str = "square"
    quality: str = DEFAULT_QUALITY

    @property
    def outputs(self) -> int:
        """How many outputs the job makes and is charged for: images and edits as
        many as asked, the other kinds one whatever the count."""
        return self.count if self.kind in (Kind.IMAGE, Kind.EDIT) else 1


def validate_request(request: GenerationRequest) -> None:
    prompt = request.prompt.strip()
    if request.kind not in Kind.values:
        raise InvalidRequest(f"Unknown kind “{request.kind}”.", field="kind")
    if request.kind != Kind.EDIT and not prompt:
        raise InvalidRequest("Write a prompt first.", field="prompt")
    if max(len(prompt), len(request.negative_prompt)) > PROMPT_MAX_LENGTH:
        message = f"Prompts are limited to {PROMPT_MAX_LENGTH} characters."
        raise InvalidRequest(message, field="prompt")
    if _has_control_characters(prompt + request.negative_prompt):
        raise InvalidRequest("The prompt contains characters we can't use.", field="prompt")
    if request.style not in STYLES:
        raise InvalidRequest(f"Unknown style “{request.style}”.", field="style")
    if request.color not in COLORS:
        raise InvalidRequest(f"Unknown colour “{request.color}”.", field="color")
    if request.shape not in SHAPES:
        raise InvalidRequest(f"Shape must be one of {', '.join(SHAPES)}.", field="shape")
    if request.quality not in QUALITIES:
        raise InvalidRequest(f"Quality must be one of {', '.join(QUALITIES)}.", field="quality")
    if request.size not in SIZES:
        raise InvalidRequest(f"Size must be one of {', '.join(map(str, SIZES))}.", field="size")
    if not 1 <= request.count <= MAX_COUNT:
        raise InvalidRequest(f"Count must be between 1 and {MAX_COUNT}.", field="count")
    if request.seed is not None and not SEED_MIN <= request.seed <= SEED_MAX:
        raise InvalidRequest(f"The seed must be between {SEED_MIN} and {SEED_MAX}.", field="seed")
    if request.kind == Kind.EDIT and request.edit_operation not in EDIT_OPERATIONS:
        raise InvalidRequest("Choose an edit operation.", field="edit_operation")
    if request.kind == Kind.EDIT and request.edit_operation == "inpaint" and not prompt:
        raise InvalidRequest("Describe what to paint in the masked area.", field="prompt")


def _has_control_characters(text: str) -> bool:
    """Control characters, and U+FFFD: what undecodable (non-UTF-8) input turns into."""
    return any(
        ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t") for ch in text
    )


def generation_submit(
    *,
    user,
    request: GenerationRequest,
    via: str = Via.WEB,
    source_output: Output | None = None,
    source_bytes: bytes | None = None,
    mask_bytes: bytes | None = None,
    retry_of: Generation | None = None,
    api_key=None,
) -> Generation:
    """Check, reserve the credits and create the job in one transaction; queue it on commit.

    An inpaint edit takes `mask_bytes` (a PNG of its image's size); other jobs ignore it.
    A job made with an API key (`api_key`) records it, and the key's `check_spend(cost=)`
    runs under the account lock, so concurrent jobs can't overrun the key's cap.
    An unsafe prompt is refused (UnsafePrompt) and recorded before anything is charged.
    """
    generation_request_check(user=user, request=request, via=via)
    return _submit_checked(
        user=user,
        request=request,
        via=via,
        source_output=source_output,
        source_bytes=source_bytes,
        mask_bytes=mask_bytes,
        retry_of=retry_of,
        api_key=api_key,
    )


def generation_request_check(*, user, request: GenerationRequest, via: str) -> None:
    """What generation_submit checks before charging anything: the request's fields, then
    its prompt's safety (a refusal is recorded).

    A caller that wraps the submit in a transaction of its own (an idempotent API call, a
    retry) calls this first, outside it: a refusal rolled back with that transaction would
    leave no record.
    """
    validate_request(request)
    check_prompt_safety(user=user, request=request, via=via)


def check_prompt_safety(*, user, request: GenerationRequest, via: str) -> None:
    """Raise UnsafePrompt for a prompt that breaks a safety rule, after recording it."""
    rule = safety.broken_rule(request.prompt, request.negative_prompt)
    if rule is None:
        return
    with transaction.atomic():
        RefusedPrompt.objects.create(user=user, rule=rule, via=via)
    raise UnsafePrompt(rule)


@transaction.atomic
def _submit_checked(
    *,
    user,
    request: GenerationRequest,
    via: str,
    source_output: Output | None,
    source_bytes: bytes | None,
    mask_bytes: bytes | None,
    retry_of: Generation | None,
    api_key,
) -> Generation:
    if request.kind == Kind.EDIT:
        _check_edit_source(user=user, source_output=source_output, source_bytes=source_bytes)
        mask_bytes = _checked_mask(
            request, source_output=source_output, source_bytes=source_bytes, mask=mask_bytes
        )
    else:
        _check_start_image(
            request, user=user, source_output=source_output, source_bytes=source_bytes
        )
        mask_bytes = None
    # Locked and settled first: the cost depends on the plan, and concurrent submits queue here.
    account = billing.credit_account_lock(user=user)
    billing.credits_settle_period(account=account)
    cost = billing.plan_cost(plan=account.plan, kind=request.kind, count=request.outputs)
    if api_key is not None:
        api_key.check_spend(cost=cost)
    width, height = dimensions(request.size, request.shape)
    generation = Generation.objects.create(
        user=user,
        kind=request.kind,
        via=via,
        prompt=request.prompt.strip(),
        negative_prompt=request.negative_prompt.strip(),
        style=request.style,
        color=request.color,
        width=width,
        height=height,
        quality=request.quality,
        count=request.outputs,
        seed=request.seed,
        edit_operation=request.edit_operation,
        source_output=source_output,
        started_from_output=source_output is not None,
        provider=settings.GENERATION_PROVIDER,
        credits_charged=cost,
        retry_of=retry_of,
        api_key=api_key,
    )
    billing.credits_reserve(
        account=account,
        amount=cost,
        reference=generation.reference,
        reason=generation.ledger_reason,
    )
    if source_bytes is not None:
        generation.source_file.save("source.png", ContentFile(source_bytes), save=True)
    if mask_bytes is not None:
        generation.mask_file.save("mask.png", ContentFile(mask_bytes), save=True)
    transaction.on_commit(lambda: enqueue(generation.pk))
    return generation


def _check_edit_source(*, user, source_output, source_bytes) -> None:
    if source_output is None and source_bytes is None:
        raise InvalidRequest("Choose an image to edit or upload one.", field="source_upload")
    _check_own_image(user=user, output=source_output)


def _check_start_image(request, *, user, source_output, source_bytes) -> None:
    """A picture may start from a reference image and a video from its first frame: one
    of the user's own images, or an upload."""
    if source_output is None and source_bytes is None:
        return
    if request.kind not in (Kind.IMAGE, Kind.VIDEO):
        raise InvalidRequest("A start image is for image and video requests.", field="reference")
    _check_own_image(user=user, output=source_output)


def _check_own_image(*, user, output) -> None:
    if output is None:
        return
    if output.user_id != user.pk:
        raise InvalidRequest("That image is not in your gallery.", field="source_output")
    if output.start_refusal:
        raise InvalidRequest(output.start_refusal, field="source_output")


def _checked_mask(request, *, source_output, source_bytes, mask) -> bytes | None:
    """An inpaint's mask, checked against its image before anything is charged."""
    if request.edit_operation != "inpaint":
        return None
    if not mask:
        raise InvalidRequest(
            "Inpainting needs a mask: a PNG, white where to repaint.", field="mask"
        )
    if source_output is not None:
        size = (source_output.width, source_output.height)
    else:
        size = uploads.check_image_bytes(source_bytes)
    uploads.check_mask_bytes(mask, image_size=size)
    return mask


def enqueue(generation_id: int, *, countdown: float = 0) -> None:
    from ..tasks import run_generation

    try:
        run_generation.apply_async((generation_id,), countdown=countdown or None)
    except Exception:
        # The job is committed and paid for; the sweeper sends queued jobs again.
        logger.exception("could not queue generation %s; left for the sweeper", generation_id)


def generation_retry(*, generation: Generation, via: str | None = None, api_key=None) -> Generation:
    """Run a failed or canceled job again as a new job of its owner, charged again.

    The new job is asked for `via` (the original's way by default); one asked for with an
    API key (`api_key`) counts against the key's cap, as any job it starts."""
    via = via or generation.via
    # Checked before the transaction below, so a refusal (the safety terms may have grown
    # since the job ran) stays recorded.
    generation_request_check(user=generation.user, request=request_from(generation), via=via)
    return _retry_locked(generation=generation, via=via, api_key=api_key)


@transaction.atomic
def _retry_locked(*, generation: Generation, via: str, api_key) -> Generation:
    # Re-read under the lock: a source image deleted meanwhile waits for us (its delete
    # clears `source_output` on this row), so the check below holds.
    original = Generation.objects.select_for_update().get(pk=generation.pk)
    if not original.can_retry:
        raise JobStateConflict(original.retry_refusal)
    source_bytes = None
    if original.source_output is None and original.source_file:
        source_bytes = original.source_file.read()
    mask_bytes = original.mask_file.read() if original.mask_file else None
    return generation_submit(
        user=generation.user,
        request=request_from(original),
        via=via,
        source_output=original.source_output,
        source_bytes=source_bytes,
        mask_bytes=mask_bytes,
        retry_of=original,
        api_key=api_key,
    )


def request_from(generation: Generation) -> GenerationRequest:
    """The settings of a past job, to run it again or prefill the form."""
    return GenerationRequest(
        kind=generation.kind,
        prompt=generation.prompt,
        negative_prompt=generation.negative_prompt,
        style=generation.style,
        color=generation.color,
        size=min(generation.width, generation.height),
        shape=shape_of(generation.width, generation.height),
        quality=generation.quality,
        count=generation.count,
        seed=generation.seed,
        edit_operation=generation.edit_operation,
    )
