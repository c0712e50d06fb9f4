"""The original service's `POST /api/transform`, kept for its clients: its fields and its
answers, with a bounded wait that never holds the web tier for a model's whole time."""

import json

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apikeys.models import Scope
from billing import services as billing
from billing.exceptions import QuotaExceeded
from billing.models import Plan
from core.exceptions import ApplicationError
from generation import services as generation
from generation.exceptions import InvalidRequest
from generation.models import Kind, Output, Status, Via
from generation.options import FREE_TEXT_MAX_LENGTH, SIZES, nearest_color, nearest_style
from generation.ratelimits import check_generation_rate
from generation.responses import output_file_response

from .auth import authenticate_key
from .errors import ApiError, request_too_large_message
from .waiting import budget, job_wait

FILE_SALT = "api.transform.file"
ORIGINAL_COUNT = 2  # the original made two images per request


@csrf_exempt
@require_POST
def transform(request):
    try:
        _authenticate(request)
        job_request = _job_request(_fields(request))
        check_generation_rate(request)
        job = generation.generation_submit(
            user=request.user, request=job_request, via=Via.API, api_key=request.api_key
        )
    except InvalidRequest as invalid:  # the original's 400, naming the field
        return _error(400, invalid.message, field=invalid.field)
    except QuotaExceeded:  # the original's answer, kept for its clients
        return _answer(request, {"quota_exceeded": True}, status=403)
    except ApplicationError as refused:
        return _error(refused.status, refused.message, headers=refused.headers)
    except RequestDataTooBig:
        return _error(413, request_too_large_message())
    with budget.slot() as may_wait:
        if may_wait:
            job_wait(job, seconds=settings.TRANSFORM_WAIT_SECONDS)
    return _job_answer(request, job)


@require_GET
def transform_file(request, token: str):
    """An output by the signed, expiring link /api/transform handed out: no key needed."""
    try:
        output_id = signing.loads(
            token, salt=FILE_SALT, max_age=settings.TRANSFORM_FILE_URL_MAX_AGE
        )
    except signing.BadSignature as refused:  # expired links too
        raise Http404("This link is not valid, or it has expired.") from refused
    output = get_object_or_404(Output, pk=output_id)
    return output_file_response(output, download=False)


def _authenticate(request) -> None:
    key = request.headers.get("X-API-Key", "")
    if not key and request.headers.get("Authorization", "").startswith("Bearer "):
        key = request.headers["Authorization"].removeprefix("Bearer ")
    if not key:
        raise ApiError(401, "missing_api_key", "Send your API key in the X-API-Key header.")
    if authenticate_key(request, key, scope=Scope.GENERATE) is None:
        raise ApiError(401, "invalid_api_key", "This API key is not valid.")


def _fields(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except ValueError as error:
            raise InvalidRequest("The body is not valid JSON.") from error
        if not isinstance(data, dict):
            raise InvalidRequest("The body must be a JSON object.")
        return data
    return request.POST.dict()


def _job_request(fields: dict) -> generation.GenerationRequest:
    prompt = _text(fields, "prompt", "")
    style = _text(fields, "style", "art style")
    color = _text(fields, "color", "vibrant colors")
    for name, value in (("style", style), ("color", color)):
        if len(value) > FREE_TEXT_MAX_LENGTH:
            raise InvalidRequest(
                f"{name} is limited to {FREE_TEXT_MAX_LENGTH} characters.", field=name
            )
    if not prompt.strip():
        raise InvalidRequest("Write a prompt first.", field="prompt")
    return generation.GenerationRequest(
        kind=Kind.IMAGE,
        # What the original sent its model; our nearest look styles the offline renderer.
        prompt=f"{prompt.strip()}, {style}, {color}",
        style=nearest_style(style),
        color=nearest_color(color),
        size=_image_size(fields.get("image_size", 512)),
        count=ORIGINAL_COUNT,
    )


def _text(fields: dict, name: str, default: str) -> str:
    value = fields.get(name, default)
    if not isinstance(value, str):
        raise InvalidRequest(f"{name} must be text.", field=name)
    return value


def _image_size(value) -> int:
    try:
        size = int(value)
    except (TypeError, ValueError):
        size = None
    if size not in SIZES:
        sizes = ", ".join(map(str, SIZES))
        raise InvalidRequest(f"image_size must be one of {sizes}.", field="image_size")
    return size


def _job_answer(request, job):
    job.refresh_from_db()
    if job.status == Status.SUCCEEDED:
        urls = [_file_url(request, output) for output in job.outputs.order_by("pk")]
        body = {"image_urls": urls, "generated_count": len(urls), "quota_exceeded": False}
        return _answer(request, body, status=200)
    status_url = request.build_absolute_uri(reverse("api-v1:generation_get", args=[job.pk]))
    body = {"image_urls": [], "generated_count": 0, "quota_exceeded": False}
    body |= {"status": job.status, "status_url": status_url}
    if job.is_finished:
        return _answer(request, body | {"error": job.error}, status=502)
    return _answer(request, body, status=202)


def _file_url(request, output) -> str:
    token = signing.dumps(output.pk, salt=FILE_SALT)
    return request.build_absolute_uri(reverse("api_transform_file", args=[token]))


def _answer(request, body: dict, *, status: int) -> JsonResponse:
    is_premium = billing.credit_account_for(user=request.user).plan == Plan.PREMIUM
    return JsonResponse({**body, "is_premium": is_premium}, status=status)


def _error(status: int, message: str, *, field=None, headers=None) -> JsonResponse:
    return JsonResponse({"error": message, "field": field}, status=status, headers=headers)
