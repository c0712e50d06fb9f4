import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_ok() -> bool:
    probe = uuid.uuid4().hex
    cache.set("healthz:probe", probe, timeout=10)
    return cache.get("healthz:probe") == probe


def _checks() -> dict:
    """Named for what they talk to, so a 503 says which service is down."""
    cache_name = "redis" if "redis" in settings.CACHES["default"]["BACKEND"].lower() else "cache"
    return {connection.vendor: _database_ok, cache_name: _cache_ok}


def _run(check) -> bool:
    try:
        return check()
    except Exception:
        logger.exception("health check failed")
        return False


@never_cache
@require_GET
def healthz(request):
    results = {name: "ok" if _run(check) else "down" for name, check in _checks().items()}
    failing = [name for name, state in results.items() if state != "ok"]
    body = {"status": "ok" if not failing else "down", "checks": results, "failing": failing}
    return JsonResponse(body, status=503 if failing else 200)
