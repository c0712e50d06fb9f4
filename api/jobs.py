"""Starting jobs and following them: the same services and limits as the generator page."""

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Header, Query, Status

from accounts.models import Preferences
from apikeys import services
from generation import services as generation
from generation.models import Generation, Kind, Output, OutputKind
from generation.models import Status as JobStatus
from generation.ratelimits import ENHANCE_GROUP, check_generation_rate
from generation.uploads import decode_base64_image
from webhooks import services as webhooks

from .errors import ERROR_RESPONSES, SUBMIT_ERROR_RESPONSES
from .router import router
from .schemas import EditIn, EnhanceIn, GenerationOut, GenerationPage, ImageIn, PageQuery, VideoIn
from .serializers import generation_json, page_json

TAGS = ["Generations"]

IDEMPOTENCY_HELP = (
    "Send the same key with the same body to retry safely: "
    "the first answer is replayed and charged once (24 h)."
)
SUBMITTED = {202: GenerationOut, **SUBMIT_ERROR_RESPONSES}


def _submit(request, response, idempotency_key, build, *, rate_group=None, rate=None):
    """Rate-limit, then run `build()` (which calls generation_submit) at most once per key."""
    fingerprint = services.request_fingerprint(
        method=request.method, path=request.path, body=request.body
    )
    if idempotency_key:
        stored = services.idempotent_replay(
            user=request.user, key=idempotency_key, fingerprint=fingerprint
        )
        if stored is not None:
            response["Idempotent-Replayed"] = "true"
            return Status(stored.status_code, stored.body)
    if rate_group:
        check_generation_rate(request, group=rate_group, rate=rate)
    else:
        check_generation_rate(request)

    def action():
        return services.StoredResponse(202, generation_json(request, build()))

    if not idempotency_key:
        stored = action()
    else:
        stored = services.idempotent_run(
            user=request.user,
            api_key=request.auth,
            key=idempotency_key,
            fingerprint=fingerprint,
            action=action,
        )
    response["Location"] = stored.body["url"]
    return Status(stored.status_code, stored.body)


WEBHOOK_FIELDS = {"webhook", "webhook_events"}


def _with_webhook(request, payload, submit):
    """`submit` attaching the request's webhook in its transaction (so the job cannot end
    before the webhook exists); the URL is checked first, before anything is charged."""
    if payload.webhook is None:
        return submit
    webhooks.webhook_check(url=payload.webhook)

    def submit_with_webhook():
        with transaction.atomic():
            job = submit()
            webhooks.job_webhook_attach(
                generation=job,
                url=payload.webhook,
                events=payload.webhook_events,
                site_url=request.build_absolute_uri("/"),
            )
        return job

    return submit_with_webhook


def _idempotency_header():
    return Header(None, alias="Idempotency-Key", max_length=255, description=IDEMPOTENCY_HELP)


@router.post("/images", tags=TAGS, response=SUBMITTED, summary="Generate images from a prompt")
def create_images(
    request,
    response: HttpResponse,
    payload: ImageIn,
    idempotency_key: str | None = _idempotency_header(),
):
    fields = Preferences.for_user(request.user).fill(payload.dict(exclude=WEBHOOK_FIELDS))
    reference_id = fields.pop("reference_image_id")
    reference = None
    if reference_id is not None:
        reference = get_object_or_404(
            Output, pk=reference_id, user=request.user, kind=OutputKind.IMAGE
        )
    req = generation.GenerationRequest(kind=Kind.IMAGE, **fields)
    return _submit(
        request,
        response,
        idempotency_key,
        _with_webhook(
            request,
            payload,
            lambda: generation.generation_submit(
                user=request.user, request=req, via="api", source_output=reference
            ),
        ),
    )


@router.post(
    "/images/{image_id}/edits", tags=TAGS, response=SUBMITTED, summary="Edit one of your images"
)
def create_edit(
    request,
    response: HttpResponse,
    image_id: int,
    payload: EditIn,
    idempotency_key: str | None = _idempotency_header(),
):
    source = get_object_or_404(Output, pk=image_id, user=request.user, kind=OutputKind.IMAGE)
    req = generation.GenerationRequest(
        kind=Kind.EDIT, prompt=payload.prompt, edit_operation=payload.operation
    )
    mask = decode_base64_image(payload.mask, field="mask") if payload.mask else None
    return _submit(
        request,
        response,
        idempotency_key,
        _with_webhook(
            request,
            payload,
            lambda: generation.generation_submit(
                user=request.user, request=req, via="api", source_output=source, mask_bytes=mask
            ),
        ),
    )


@router.post(
    "/videos", tags=TAGS, response=SUBMITTED, summary="Generate a short video from a prompt"
)
def create_video(
    request,
    response: HttpResponse,
    payload: VideoIn,
    idempotency_key: str | None = _idempotency_header(),
):
    fields = Preferences.for_user(request.user).fill(payload.dict(exclude=WEBHOOK_FIELDS))
    req = generation.GenerationRequest(kind=Kind.VIDEO, **fields)
    return _submit(
        request,
        response,
        idempotency_key,
        _with_webhook(
            request,
            payload,
            lambda: generation.generation_submit(user=request.user, request=req, via="api"),
        ),
    )


@router.post("/prompts/enhance", tags=TAGS, response=SUBMITTED, summary="Improve a prompt")
def enhance_prompt(
    request,
    response: HttpResponse,
    payload: EnhanceIn,
    idempotency_key: str | None = _idempotency_header(),
):
    req = generation.GenerationRequest(kind=Kind.ENHANCE, prompt=payload.prompt)
    return _submit(
        request,
        response,
        idempotency_key,
        lambda: generation.generation_submit(user=request.user, request=req, via="api"),
        rate_group=ENHANCE_GROUP,
        rate=settings.GENERATION_ENHANCE_RATE_LIMIT,
    )


@router.get(
    "/generations",
    tags=TAGS,
    response={200: GenerationPage, **ERROR_RESPONSES},
    summary="Your jobs, newest first",
)
def list_generations(
    request,
    page: Query[PageQuery],
    status: JobStatus | None = None,
    kind: Kind | None = None,
):
    jobs = Generation.objects.for_user(request.user).prefetch_related("outputs")
    if status:
        jobs = jobs.filter(status=status)
    if kind:
        jobs = jobs.filter(kind=kind)
    return page_json(request, jobs, page, item=generation_json)


@router.get(
    "/generations/{generation_id}",
    tags=TAGS,
    response={200: GenerationOut, **ERROR_RESPONSES},
    url_name="generation_get",
    summary="One job: status, error and outputs with download URLs",
)
def get_generation(request, generation_id: int):
    job = get_object_or_404(
        Generation.objects.prefetch_related("outputs"), pk=generation_id, user=request.user
    )
    return generation_json(request, job)


@router.post(
    "/generations/{generation_id}/cancel",
    tags=TAGS,
    response={200: GenerationOut, 409: ERROR_RESPONSES[404], **ERROR_RESPONSES},
    summary="Cancel a queued or running job; its credits come back",
)
def cancel_generation(request, generation_id: int):
    job = get_object_or_404(Generation, pk=generation_id, user=request.user)
    job = generation.generation_cancel(generation=job, by=request.user)
    return generation_json(request, job)
