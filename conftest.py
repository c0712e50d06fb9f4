"""Fixtures shared by every app's tests and the browser journeys."""

import os

import pytest
from django.core.cache import cache
from playwright.sync_api import sync_playwright

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by browser tests themselves are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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
    from cartonify.tests.processes import current_database_url

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=current_database_url(),
        CELERY_BROKER_URL=private_broker.url,
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_VISIBILITY_TIMEOUT="3",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        GENERATION_PROVIDER="local",
    )
    return env


# --- Browser (Playwright driving Debian's Chromium against live_server) ---


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
