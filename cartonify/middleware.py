import re
import uuid

from django.core.signals import request_finished
from django.utils.cache import patch_cache_control

from . import health
from .logging import request_id_var

# A caller-supplied id is reused only if it is short and harmless to log.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        # Not reset on the way out: Django logs 4xx/5xx responses after the
        # middleware chain returns, and those lines need the id too.
        request_id_var.set(request.request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class HealthCheckMiddleware:
    """Answer /healthz before anything reads the Host header or redirects to HTTPS.

    A container or load balancer probes the address it knows (127.0.0.1, a pod IP), which
    ALLOWED_HOSTS rightly does not list; the answer names no host and holds no secret.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return health.healthz(request)
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Answers to a signed-in person or an API key are never kept by a shared cache.

    Without `Cache-Control: private` a proxy or CDN may store one user's gallery and serve
    it to the next. Pages holding a secret go further and set `no-store` themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cache_control = response.get("Cache-Control", "")
        if _has_credentials(request) and not (
            "private" in cache_control or "no-store" in cache_control
        ):
            patch_cache_control(response, private=True)
        return response


def _has_credentials(request) -> bool:
    if "Authorization" in request.headers or "X-API-Key" in request.headers:
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _forget_request_id(**kwargs):
    request_id_var.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="cartonify.forget_request_id")
