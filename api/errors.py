"""Every API error is JSON `{"code": ..., "message": ...}` with a stable code."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.http import Http404
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from core.exceptions import ApplicationError


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


class ApiError(ApplicationError):
    """A refusal of the API's own (a key, a scope, an id): status and code given when raised."""

    def __init__(self, status: int, code: str, message: str, **answer):
        super().__init__(message, **answer)
        self.status = status
        self.code = code


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
    # `spend_cap_reached` (the key's cap) or `quota_exhausted` (the account's credits).
    402: SpendCapOut | ErrorOut,
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


# Each answer below is (status, body, headers) for one kind of exception.


def _refused(request, exc: ApplicationError):
    """Every refusal we raise: the exception carries its status, code, extra fields, headers."""
    return exc.status, _body(exc.code, exc.message) | exc.extra, exc.headers


def _unauthenticated(request, exc):
    if "Authorization" not in request.headers:
        body = _body("missing_api_key", "Send your key as `Authorization: Bearer <key>`.")
    else:
        body = _body("invalid_api_key", "This API key is not valid or has been revoked.")
    return 401, body, {"WWW-Authenticate": "Bearer"}


def _invalid_input(request, exc):
    errors = [
        {"field": _field_name(error.get("loc", ())), "message": error.get("msg", "Invalid.")}
        for error in exc.errors
    ]
    message = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "Invalid request."
    return 422, _body("invalid_request", message, errors), {}


def _request_too_large(request, exc):
    return 413, _body("request_too_large", request_too_large_message()), {}


def _not_found(request, exc):
    return 404, _body("not_found", "Not found."), {}


def _http_error(request, exc):
    code = "bad_request" if exc.status_code == 400 else "error"
    return exc.status_code, _body(code, str(exc)), {}


ANSWERS = {
    ApplicationError: _refused,
    AuthenticationError: _unauthenticated,
    ValidationError: _invalid_input,
    # Django raises it when the view first reads the body; left to Django, it would be a 400.
    RequestDataTooBig: _request_too_large,
    Http404: _not_found,
    ObjectDoesNotExist: _not_found,
    HttpError: _http_error,
}


def register(api) -> None:
    """Answer each exception of ANSWERS (and its subclasses) in the API's JSON shape."""
    for exception, answer in ANSWERS.items():
        api.add_exception_handler(exception, _handler(api, answer))


def _handler(api, answer):
    def handle(request, exc):
        status, body, headers = answer(request, exc)
        response = api.create_response(request, body, status=status)
        for name, value in headers.items():
            response[name] = value
        return response

    return handle
