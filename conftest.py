"""Fixtures shared by every app's tests and the browser journeys."""

import base64
import os
import secrets

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from apikeys import services as apikeys
from testing.api_client import ApiClient
from testing.browsers import BROWSER_WAIT_MS, chromium_executable
from testing.fake_razorpay import KEY_ID, KEY_SECRET, WEBHOOK_SECRET, FakeRazorpay, new_id, sign
from testing.fake_replicate import FakeReplicate

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by browser tests themselves are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = chromium_executable(os.environ.get("CHROMIUM_PATH"))
expect.set_options(timeout=BROWSER_WAIT_MS)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config):
    from django.conf import settings

    # Argon2 takes about 0.3 s a password, and the suite signs users up and in thousands
    # of times. Processes the tests start keep the project's hashers: none checks a password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
def sign_in(client):
    """`sign_in(user)`: the test client with a session for `user`, made without the login
    form; `sign_in(user, password=...)` goes through allauth's login form as a person does."""

    def sign(user, *, password: str | None = None):
        if password is None:
            client.force_login(user)
            return client
        form = {"login": user.email, "password": password}
        response = client.post(reverse("account_login"), form)
        assert response.status_code == 302, "the login form did not sign the user in"
        return client

    return sign


@pytest.fixture
def signed_in(sign_in, user):
    """The test client signed in as `user`."""
    return sign_in(user)


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
    from testing.processes import PrivateRedis

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
    from testing.processes import current_database_url

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


# --- Fake outside services on loopback, and API clients ---


@pytest.fixture
def fake_replicate(settings, monkeypatch):
    """A fake Replicate API on loopback, with settings pointing the real client at it.

    Sets GENERATION_PROVIDER="replicate", REPLICATE_API_TOKEN, REPLICATE_BASE_URL (also
    the REPLICATE_BASE_URL environment variable the SDK reads) and a fresh
    REPLICATE_WEBHOOK_SECRET. Yields the FakeReplicate: set its scenario attributes
    (next_outcome, polls_before_done, output_status, api_status, ...) and read its
    records (created, canceled, requests, served). `fake.webhook_request(id)` gives a
    correctly signed (body, headers) pair for the prediction's final state.
    """
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    fake = FakeReplicate(api_token="r8_fake_" + secrets.token_hex(8), webhook_secret=secret)
    enhance_model = getattr(settings, "REPLICATE_MODELS", {}).get("enhance")
    if enhance_model:
        fake.text_models.add(enhance_model.split(":")[0])
    video_model = getattr(settings, "REPLICATE_MODELS", {}).get("video")
    if video_model:
        fake.video_models.add(video_model.split(":")[0])
    with fake.running():
        settings.GENERATION_PROVIDER = "replicate"
        settings.REPLICATE_API_TOKEN = fake.api_token
        settings.REPLICATE_BASE_URL = fake.base_url
        settings.REPLICATE_WEBHOOK_SECRET = secret
        monkeypatch.setenv("REPLICATE_BASE_URL", fake.base_url)
        monkeypatch.setenv("REPLICATE_API_TOKEN", fake.api_token)
        yield fake


@pytest.fixture
def fake_s3(settings):
    """An S3-compatible server on loopback (testing/fake_s3.py) holding this test's media:
    STORAGES["default"] points the real boto3 client at its fresh private bucket."""
    from core.object_storage import csp_allowing_storage, s3_storage
    from testing.fake_s3 import FakeS3

    fake = FakeS3()
    fake.start()
    fake.create_bucket()
    env = fake.env()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket=fake.bucket,
            endpoint_url=fake.url,
            region=env["AWS_S3_REGION_NAME"],
            addressing_style="path",
            access_key=env["AWS_ACCESS_KEY_ID"],
            secret_key=env["AWS_SECRET_ACCESS_KEY"],
            presign_seconds=settings.S3_PRESIGN_SECONDS,
        ),
    }
    settings.CONTENT_SECURITY_POLICY = csp_allowing_storage(
        settings.CONTENT_SECURITY_POLICY, settings.STORAGES["default"]
    )
    yield fake
    fake.stop()


@pytest.fixture
def razorpay(settings, httpserver):
    settings.RAZORPAY_KEY_ID = KEY_ID
    settings.RAZORPAY_KEY_SECRET = KEY_SECRET
    settings.RAZORPAY_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.RAZORPAY_BASE_URL = httpserver.url_for("").rstrip("/")
    settings.PREMIUM_PRICE_PAISE = 50000
    settings.PREMIUM_CURRENCY = "INR"
    settings.PREMIUM_CREDITS_PER_PERIOD = 1600
    settings.PREMIUM_PERIOD_DAYS = 30
    return FakeRazorpay(httpserver)


@pytest.fixture
def new_key(user):
    return apikeys.api_key_create(user=user, name="script")


@pytest.fixture
def api(new_key):
    return ApiClient(new_key.plaintext)


@pytest.fixture
def make_api():
    return ApiClient


@pytest.fixture
def post_webhook(client):
    def post(body: bytes, *, event_id: str | None = None, secret: str = WEBHOOK_SECRET):
        return client.post(
            "/webhooks/razorpay/",
            data=body,
            content_type="application/json",
            headers={
                "X-Razorpay-Signature": sign(body, secret),
                "X-Razorpay-Event-Id": event_id or f"evt_{new_id():06d}",
            },
        )

    return post


# --- Browser (Playwright driving Debian's Chromium against live_server) ---


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def app_page(browser, live_server, tmp_path):
    """A page in an ordinary on-disk profile: Chromium installs no web app in incognito."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=live_server.url
    )
    context.set_default_timeout(BROWSER_WAIT_MS)
    yield context.pages[0] if context.pages else context.new_page()
    context.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def status_history(transactional_db):
    """`status_history(job)`: every status the job was written with, in order."""
    from testing.status_log import recording_statuses

    with recording_statuses() as statuses:
        yield statuses
