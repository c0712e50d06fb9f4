"""Give each pytest-xdist worker a Redis database of its own.

Loaded with `-p testing.pytest_workers` (pytest.ini) so it runs before pytest-env and
Django read REDIS_URL. pytest-django already gives each worker its own PostgreSQL test
database (`test_cartonify_gw0`, ...); the cache, sessions, rate-limit counters and the
Celery broker all live in REDIS_URL, and every test flushes its database, so workers
sharing one would erase each other's state.
"""

import os
from urllib.parse import urlsplit, urlunsplit

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"


def redis_url_for_worker(base: str, worker: str) -> str:
    """`base` with its database number moved up by the worker's index (gw0 keeps it)."""
    parts = urlsplit(base)
    database = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{database}"))


_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    os.environ["REDIS_URL"] = redis_url_for_worker(
        os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL, _worker
    )
