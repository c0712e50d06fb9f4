"""Starting jobs and following them: the same services and limits as the generator page."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Header, Query, Status

from accounts.models import Preferences
from apikeys import services
from generation import services as generation
from generation.exceptions import InvalidRequest
from generation.models import Generation, Kind, Output, OutputKind
from generation.models import Status as JobStatus
from generation.ratelimits import ENHANCE_GROUP, check_generation_rate
from generation.uploads import check_image_bytes, decode_base64_image

from .errors import ERROR_RESPONSES, SUBMIT_ERROR_RESPONSES, ApiError
from .router import router
from .schemas import EditIn, EnhanceIn, GenerationOut, GenerationPage, ImageIn, PageQuery, VideoIn
from .serializers import generation_json, page_json

TAGS = ["Generations"]

IDEMPOTENCY_HELP = (
    "Send the same key with the same body to retry safely: "
    "the first answer is replayed and charged once (24 h)."
)
SUBMITTED = {202: GenerationOut, **SUBMIT_ERROR_RESPONSES}


def _submit(request, response, idempotency_key, job, build, *, rate_group=None, rate=None):
    """Rate-limit, then run `build()` (which calls generation_submit for the GenerationRequest
    `job`) at most once per key."""
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
        # Checked before the key's transaction: rolled back with it, a refusal's record would go.
        generation.generation_request_check(user=request.user, request=job, via="api")
        stored = services.idempotent_run(
            user=request.user,
            api_key=request.auth,
            key=idempotency_key,
            fingerprint=fingerprint,
            action=action,
        )
    response["Location"] = stored.body["url"]
    return Status(stored.status_code, stored.body)


def _idempotency_header():
    return Header(None, alias="Idempotency-Key", max_length=255, description=IDEMPOTENCY_HELP)


@router.post("/images", tags=TAGS, response=SUBMITTED, summary="Generate images from a prompt")
def create_images(
    request,
    response: HttpResponse,
    payload: ImageIn,
    idempotency_key: str | None = _idempotency_header(),
):
    fields = Preferences.for_user(request.user).fill(payload.dict())
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
        req,
        lambda: generation.generation_submit(
            user=request.user, request=req, via="api", source_output=reference
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
        req,
        lambda: generation.generation_submit(
            user=request.user, request=req, via="api", source_output=source, mask_bytes=mask
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
    fields = Preferences.for_user(request.user).fill(payload.dict())
    source_id, source_text = fields.pop("source_image_id"), fields.pop("source_image")
    if source_id is not None and source_text is not None:
        raise InvalidRequest(
            "Send source_image_id or source_image, not both.", field="source_image"
        )
    source = _start_image(request, source_id) if source_id is not None else None
    source_bytes = _image_from_base64(source_text) if source_text is not None else None
    req = generation.GenerationRequest(kind=Kind.VIDEO, **fields)
    return _submit(
        request,
        response,
        idempotency_key,
        req,
        lambda: generation.generation_submit(
            user=request.user,
            request=req,
            via="api",
            source_output=source,
            source_bytes=source_bytes,
        ),
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
        req,
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
