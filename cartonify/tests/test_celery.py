import uuid

import pytest
from django.core.cache import cache

from cartonify.celery import ping
from testing.processes import wait_until


@pytest.mark.worker
def test_ping_runs_on_a_real_worker_over_the_redis_broker(celery_worker, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    token = uuid.uuid4().hex

    ping.delay(token)

    assert wait_until(lambda: cache.get(f"celery:ping:{token}") == "pong")
