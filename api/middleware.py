"""Every answer under /api/ is JSON in the API's error shape, whoever produced it."""

from django.http import JsonResponse

# Errors raised outside the API's own handlers: Django's URL resolver (404), ninja's
# method check (405), the outage and crash pages (503, 500), request parsing (400, 413).
CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    500: "server_error",
    503: "unavailable",
}
MESSAGES = {
    404: "Not found.",
    405: "This method is not allowed here.",
    500: "Something went wrong on our side. Try again later.",
    503: "The service is briefly unavailable. Try again after Retry-After seconds.",
}
KEPT_HEADERS = ("Allow", "Retry-After", "X-Request-ID", "WWW-Authenticate")


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        return _as_json(response)


def _as_json(response) -> JsonResponse:
    status = response.status_code
    body = {
        "code": CODES.get(status, "error"),
        "message": MESSAGES.get(status, response.reason_phrase or "Error."),
    }
    converted = JsonResponse(body, status=status)
    for name in KEPT_HEADERS:
        if name in response:
            converted[name] = response[name]
    return converted
