"""Starting jobs and following them: the same services and limits as the generator page."""

from functools import partial

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Header, Query, Status

from apikeys import services
from apikeys.models import Scope
from generation import services as generation
from generation.exceptions import InvalidRequest
from generation.models import Generation, Kind, Output, OutputKind, Preferences
from generation.models import Status as JobStatus
from generation.ratelimits import check_generation_rate
from generation.uploads import check_image_bytes, decode_base64_image
from webhooks import services as webhooks

from .auth import scoped
from .errors import ERROR_RESPONSES, SUBMIT_ERROR_RESPONSES, ApiError
from .router import router
from .schemas import EditIn, EnhanceIn, GenerationOut, GenerationPage, ImageIn, PageQuery, VideoIn
from .serializers import generation_json, page_json
from .waiting import budget, job_wait, preferred_wait

TAGS = ["Generations"]

IDEMPOTENCY_HELP = (
    "Send the same key with the same body to retry safely: "
    "the first answer is replayed and charged once (24 h)."
)
PREFER_HELP = (
    "`wait=N` (RFC 7240, N in seconds, more than 60 is taken as 60): answer `200` with the "
    "finished job if it ends within N seconds, else `202` as usual. `Preference-Applied: "
    "wait=N` says it waited; when too many requests are waiting it answers `202` at once."
)
SUBMITTED = {200: GenerationOut, 202: GenerationOut, **SUBMIT_ERROR_RESPONSES}
_TEXT = {"schema": {"type": "string"}}
SUBMITTED_HEADERS = {
    "Location": {"description": "The job's URL (`GET /generations/{id}`).", **_TEXT},
    "Preference-Applied": {"description": "`wait=N` when the request waited.", **_TEXT},
    "Idempotent-Replayed": {"description": "`true` on a replayed first answer.", **_TEXT},
}
SUBMITTED_EXTRA = {"responses": {status: {"headers": SUBMITTED_HEADERS} for status in (200, 202)}}


def _creates_job(path: str, *, summary: str):
    """The route of an operation that starts a job: the `generate` scope, the job in a 202
    (or a 200 after `Prefer: wait`) with its headers, and the refusals a submit can give."""
    return router.post(
        path,
        tags=TAGS,
        response=SUBMITTED,
        auth=scoped(Scope.GENERATE),
        openapi_extra=SUBMITTED_EXTRA,
        summary=summary,
    )


def _idempotency_header():
    return Header(None, alias="Idempotency-Key", max_length=255, description=IDEMPOTENCY_HELP)


def _prefer_header():
    return Header(None, alias="Prefer", max_length=200, description=PREFER_HELP)


def _submit(request, response, job, *, payload, idempotency_key, prefer, **sources):
    """Submit the GenerationRequest `job` with its `sources` (source_output, mask_bytes,
    source_bytes) at most once per Idempotency-Key, with the webhook the payload asks for;
    then wait for the job as `prefer` asks."""
    webhook = _checked_webhook(payload)  # before anything is counted or charged
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
    check_generation_rate(request, kind=job.kind)
    start = partial(_start, request, job, webhook=webhook, sources=sources)
    if idempotency_key:
        # Checked before the key's transaction: rolled back with it, a refusal's record would go.
        generation.generation_request_check(user=request.user, request=job, via="api")
        stored = services.idempotent_run(
            user=request.user,
            api_key=request.auth,
            key=idempotency_key,
            fingerprint=fingerprint,
            action=start,
        )
    else:
        stored = start()
    response["Location"] = stored.body["url"]
    seconds = preferred_wait(prefer)
    if seconds is None or stored.status_code != 202:
        return Status(stored.status_code, stored.body)
    return _waited(request, response, stored.body, seconds=seconds)


def _checked_webhook(payload):
    """The payload when it asks for a webhook (EnhanceIn has none), after checking its URL;
    else None."""
    if getattr(payload, "webhook", None) is None:
        return None
    webhooks.webhook_check(url=payload.webhook)
    return payload


def _start(request, job, *, webhook, sources) -> services.StoredResponse:
    """Submit the job; a webhook is attached in its transaction, so that the job cannot end
    before the webhook exists."""
    if webhook is None:
        started = _submit_job(request, job, sources)
    else:
        with transaction.atomic():
            started = _submit_job(request, job, sources)
            webhooks.job_webhook_attach(
                generation=started,
                url=webhook.webhook,
                events=webhook.webhook_events,
                site_url=request.build_absolute_uri("/"),
            )
    return services.StoredResponse(202, generation_json(request, started))


def _submit_job(request, job, sources) -> Generation:
    return generation.generation_submit(
        user=request.user, request=job, via="api", api_key=request.auth, **sources
    )


def _waited(request, response, submitted: dict, *, seconds: int):
    """The job after waiting up to `seconds` for it, if this process has a waiting slot;
    else the answer as submitted."""
    jobs = Generation.objects.for_user(request.user).prefetch_related("outputs")
    with budget.slot() as may_wait:
        if not may_wait:
            return Status(202, submitted)
        job_wait(jobs.get(pk=submitted["id"]), seconds=seconds)
    response["Preference-Applied"] = f"wait={seconds}"
    job = jobs.get(pk=submitted["id"])
    return Status(200 if job.is_finished else 202, generation_json(request, job))


WEBHOOK_FIELDS = {"webhook", "webhook_events"}


@_creates_job("/images", summary="Generate images from a prompt")
def create_images(
    request,
    response: HttpResponse,
    payload: ImageIn,
    idempotency_key: str | None = _idempotency_header(),
    prefer: str | None = _prefer_header(),
):
    fields = Preferences.for_user(request.user).fill(payload.dict(exclude=WEBHOOK_FIELDS))
    reference_id = fields.pop("reference_image_id")
    reference = None
    if reference_id is not None:
        reference = get_object_or_404(
            Output, pk=reference_id, user=request.user, kind=OutputKind.IMAGE
        )
    job = generation.GenerationRequest(kind=Kind.IMAGE, **fields)
    return _submit(
        request,
        response,
        job,
        payload=payload,
        idempotency_key=idempotency_key,
        prefer=prefer,
        source_output=reference,
    )


@_creates_job("/images/{image_id}/edits", summary="Edit one of your images")
def create_edit(
    request,
    response: HttpResponse,
    image_id: int,
    payload: EditIn,
    idempotency_key: str | None = _idempotency_header(),
    prefer: str | None = _prefer_header(),
):
    source = get_object_or_404(Output, pk=image_id, user=request.user, kind=OutputKind.IMAGE)
    job = generation.GenerationRequest(
        kind=Kind.EDIT, prompt=payload.prompt, edit_operation=payload.operation
    )
    mask = decode_base64_image(payload.mask, field="mask") if payload.mask else None
    return _submit(
        request,
        response,
        job,
        payload=payload,
        idempotency_key=idempotency_key,
        prefer=prefer,
        source_output=source,
        mask_bytes=mask,
    )


@_creates_job("/videos", summary="Generate a short video from a prompt")
def create_video(
    request,
    response: HttpResponse,
    payload: VideoIn,
    idempotency_key: str | None = _idempotency_header(),
    prefer: str | None = _prefer_header(),
):
    fields = Preferences.for_user(request.user).fill(payload.dict(exclude=WEBHOOK_FIELDS))
    source_id, source_text = fields.pop("source_image_id"), fields.pop("source_image")
    if source_id is not None and source_text is not None:
        raise InvalidRequest(
            "Send source_image_id or source_image, not both.", field="source_image"
        )
    source = _start_image(request, source_id) if source_id is not None else None
    source_bytes = _image_from_base64(source_text) if source_text is not None else None
    job = generation.GenerationRequest(kind=Kind.VIDEO, **fields)
    return _submit(
        request,
        response,
        job,
        payload=payload,
        idempotency_key=idempotency_key,
        prefer=prefer,
        source_output=source,
        source_bytes=source_bytes,
    )


def _start_image(request, output_id: int) -> Output:
    """One of the caller's images; any other id is a 404 saying so, a video a 422."""
    output = Output.objects.for_user(request.user).filter(pk=output_id).first()
    if output is None:
        raise ApiError(404, "not_found", f"There is no image {output_id} in your gallery.")
    if output.start_refusal:
        raise InvalidRequest(output.start_refusal, field="source_image_id")
    return output


def _image_from_base64(text: str) -> bytes:
    content = decode_base64_image(text, field="source_image")
    check_image_bytes(content, field="source_image")
    return content


@_creates_job("/prompts/enhance", summary="Improve a prompt")
def enhance_prompt(
    request,
    response: HttpResponse,
    payload: EnhanceIn,
    idempotency_key: str | None = _idempotency_header(),
    prefer: str | None = _prefer_header(),
):
    job = generation.GenerationRequest(kind=Kind.ENHANCE, prompt=payload.prompt)
    return _submit(
        request,
        response,
        job,
        payload=payload,
        idempotency_key=idempotency_key,
        prefer=prefer,
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
    auth=scoped(Scope.MANAGE),
    summary="Cancel a queued or running job; its credits come back",
)
def cancel_generation(request, generation_id: int):
    job = get_object_or_404(Generation, pk=generation_id, user=request.user)
    job = generation.generation_cancel(generation=job, by=request.user)
    return generation_json(request, job)


@router.post(
    "/generations/{generation_id}/retry",
    tags=TAGS,
    response={202: GenerationOut, **SUBMIT_ERROR_RESPONSES},
    auth=scoped(Scope.GENERATE),
    summary="Run a failed or canceled job again as a new job, charged again",
)
def retry_generation(request, response: HttpResponse, generation_id: int):
    job = get_object_or_404(Generation, pk=generation_id, user=request.user)
    check_generation_rate(request)
    retried = generation.generation_retry(generation=job, via="api", api_key=request.auth)
    retried.refresh_from_db()  # with an inline worker it has run already
    body = generation_json(request, retried)
    response["Location"] = body["url"]
    return Status(202, body)
