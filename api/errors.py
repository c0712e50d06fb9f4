"""Every API error is JSON `{"code": ..., "message": ...}` with a stable code."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.http import Http404
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from apikeys.exceptions import SpendCapReached
from apikeys.services import IdempotencyConflict
from billing.exceptions import QuotaExceeded
from generation.exceptions import InvalidRequest, JobStateConflict, UnsafePrompt
from generation.ratelimits import RateLimited
from webhooks.guard import WebhookRefused


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[FieldError] | None = None


class ForbiddenOut(ErrorOut):
    required_scope: str | None = Field(
        None, description="With `insufficient_scope`: the scope the key lacks."
    )


class SpendCapOut(ErrorOut):
    cap: int = Field(..., description="The key's monthly credit cap.")
    spent: int = Field(..., description="Credits the key's jobs spent this month.")
    resets_at: datetime = Field(..., description="When the cap resets: next month, 00:00 UTC.")


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        retry_after: int | None = None,
        headers: dict | None = None,
        details: dict | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.headers = headers or {}
        self.details = details or {}


# Documented on every operation, so clients and the schema checker know them.
ERROR_RESPONSES = {
    401: ErrorOut,
    403: ForbiddenOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}
# Operations that read a body also refuse one past DATA_UPLOAD_MAX_MEMORY_SIZE (413).
SUBMIT_ERROR_RESPONSES = {
    **ERROR_RESPONSES,
    400: ErrorOut,
    402: SpendCapOut,
    409: ErrorOut,
    413: ErrorOut,
}


def request_too_large_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return (
        f"The request body is larger than this API accepts: at most {limit:,} bytes "
        f"({round(limit / 2**20, 1):g} MB)."
    )


def _body(code: str, message: str, errors: list | None = None) -> dict:
    body = {"code": code, "message": message}
    if errors is not None:
        body["errors"] = errors
    return body


def _field_name(location) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header")]
    if parts[:1] == ["payload"]:
        parts = parts[1:]
    return ".".join(parts) or "body"


def register(api) -> None:
    def respond(request, status, body, retry_after=None, headers=None):
        response = api.create_response(request, body, status=status)
        if retry_after is not None:
            response["Retry-After"] = str(retry_after)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        body = _body(exc.code, exc.message) | exc.details
        return respond(request, exc.status, body, exc.retry_after, exc.headers)

    @api.exception_handler(SpendCapReached)
    def spend_cap_reached(request, exc):
        body = _body("spend_cap_reached", str(exc))
        body |= {"cap": exc.cap, "spent": exc.spent, "resets_at": exc.resets_at.isoformat()}
        return respond(request, 402, body)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        if "Authorization" not in request.headers:
            body = _body("missing_api_key", "Send your key as `Authorization: Bearer <key>`.")
        else:
            body = _body("invalid_api_key", "This API key is not valid or has been revoked.")
        return respond(request, 401, body, headers={"WWW-Authenticate": "Bearer"})

    @api.exception_handler(ValidationError)
    def invalid_input(request, exc):
        errors = [
            {"field": _field_name(error.get("loc", ())), "message": error.get("msg", "Invalid.")}
            for error in exc.errors
        ]
        message = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "Invalid request."
        return respond(request, 422, _body("invalid_request", message, errors))

    @api.exception_handler(InvalidRequest)
    def invalid_request(request, exc):
        errors = [{"field": exc.field or "body", "message": exc.message}]
        return respond(request, 422, _body("invalid_request", exc.message, errors))

    @api.exception_handler(UnsafePrompt)
    def unsafe_prompt(request, exc):
        errors = [{"field": exc.field, "message": exc.message}]
        return respond(request, 422, _body("prompt_refused", exc.message, errors))

    @api.exception_handler(WebhookRefused)
    def webhook_refused(request, exc):
        errors = [{"field": "webhook", "message": exc.message}]
        return respond(request, 422, _body("webhook_refused", exc.message, errors))

    # Django raises it when the view first reads the body; left to Django, it would be a 400.
    @api.exception_handler(RequestDataTooBig)
    def request_too_large(request, exc):
        return respond(request, 413, _body("request_too_large", request_too_large_message()))

    @api.exception_handler(QuotaExceeded)
    def quota_exhausted(request, exc):
        return respond(request, 403, _body("quota_exhausted", str(exc)))

    @api.exception_handler(RateLimited)
    def rate_limited(request, exc):
        return respond(request, 429, _body("rate_limited", exc.message), exc.retry_after)

    @api.exception_handler(JobStateConflict)
    def job_state_conflict(request, exc):
        # The code predates the exception's name; clients match on "not_allowed".
        return respond(request, 409, _body("not_allowed", exc.message))

    @api.exception_handler(IdempotencyConflict)
    def idempotency_conflict(request, exc):
        return respond(request, 409, _body("idempotency_conflict", str(exc)))

    def not_found(request, exc):
        return respond(request, 404, _body("not_found", "Not found."))

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        code = "bad_request" if exc.status_code == 400 else "error"
        return respond(request, exc.status_code, _body(code, str(exc)))
