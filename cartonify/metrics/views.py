"""`/metrics`: for Prometheus inside the network, with a bearer token from settings."""

import hmac
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from .state import StateCollector


def metrics(request):
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404("Metrics are not enabled.")
    if not _bearer_matches(request, token):
        response = HttpResponse("A valid bearer token is required.", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body = generate_latest(_process_registry()) + generate_latest(_state_registry())
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def _bearer_matches(request, token: str) -> bool:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        presented.strip().encode(), token.encode()
    )


def _process_registry():
    """Every gunicorn and Celery process's values when they share a multiprocess directory."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)
    return registry


def _state_registry():
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StateCollector())
    return registry
