import re
import uuid

from django.core.signals import request_finished

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


def _forget_request_id(**kwargs):
    request_id_var.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="cartonify.forget_request_id")
