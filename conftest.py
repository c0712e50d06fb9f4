"""Fixtures shared by every app's tests and the browser journeys."""

import os

import pytest
from django.core.cache import cache

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    """Each test starts with empty Redis counters (rate limits, codes) and its own media dir."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def user(db, password):
    return UserFactory(password=password)


@pytest.fixture
def make_user(db, password):
    def make(**kwargs):
        kwargs.setdefault("password", password)
        return UserFactory(**kwargs)

    return make


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker, in a thread, consuming from the Redis broker."""
    from celery.contrib.testing.worker import start_worker

    from cartonify.celery import app

    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING") as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def private_redis():
    """A redis-server of this test's own, free to stop and start again."""
    from cartonify.tests.processes import PrivateRedis

    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def private_broker(private_redis, settings):
    """Point this process's Celery producer at the private Redis (tasks really sent)."""
    from cartonify.celery import app

    def use(url):
        # Celery caches its connection and producer pools; drop them to switch brokers.
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    app.conf.task_always_eager = False
    use(private_redis.url)
    yield private_redis
    use(previous)
    app.conf.task_always_eager = True


@pytest.fixture
def worker_env(transactional_db, private_broker, settings):
    """Environment for a `celery worker` subprocess sharing this test's database and media."""
    from django.db import connection

    database_url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=private_broker.url,
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_VISIBILITY_TIMEOUT="3",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        GENERATION_PROVIDER="local",
    )
    return env
