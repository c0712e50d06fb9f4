import uuid

import pytest
from django.core.cache import cache

from cartonify.celery import ping


@pytest.mark.worker
def test_ping_runs_on_a_real_worker_over_the_redis_broker(celery_worker, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    token = uuid.uuid4().hex

    ping.delay(token)

    assert _wait_for(lambda: cache.get(f"celery:ping:{token}") == "pong")


def _wait_for(condition, timeout=10.0, interval=0.05):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
