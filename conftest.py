"""Fixtures shared by every app's tests and the browser journeys."""

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
