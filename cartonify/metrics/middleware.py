import functools
import time

from core.instruments import REQUEST_SECONDS

from .views import metrics

METRICS_PATH = "/metrics"
# Any other method is counted as "other": a label must not take values from the client.
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class RequestMetricsMiddleware:
    """Times each request under its URL pattern's name (never the raw path, which holds ids).

    Also answers /metrics before host checks and the HTTPS redirect, like /healthz: Prometheus
    scrapes each process by its private address over plain HTTP, with a bearer token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == METRICS_PATH:
            return metrics(request)
        started = time.perf_counter()
        response = self.get_response(request)
        _timer(
            _view_name(request),
            request.method if request.method in KNOWN_METHODS else "other",
            response.status_code // 100,
        ).observe(time.perf_counter() - started)
        return response


@functools.cache
def _timer(view: str, method: str, status_class: int):
    """The histogram child of one label set, looked up once: the sets are few (named views
    times known methods times five classes), and `labels()` checks and locks on every call."""
    return REQUEST_SECONDS.labels(view, method, f"{status_class}xx")


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match else "") or "unmatched"
