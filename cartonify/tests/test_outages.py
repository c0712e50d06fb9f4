"""Redis and PostgreSQL going away: clear 503s, never a traceback, and recovery on return."""

import signal
import subprocess
import sys
import threading

import httpx
import pytest
from django.test import Client
from django.urls import reverse

from testing.forms import generator_form
from testing.processes import (
    ROOT,
    PrivatePostgres,
    gunicorn_process,
    wait_for_http,
    wait_until,
)

FORM = generator_form(prompt="a lamp")


@pytest.fixture
def redis_cache(private_redis, settings):
    fast = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
    settings.CACHES = {
        alias: {**config, "LOCATION": private_redis.url, "OPTIONS": {**config["OPTIONS"], **fast}}
        for alias, config in settings.CACHES.items()
    }
    return private_redis


@pytest.mark.django_db
def test_with_redis_down_pages_answer_503_and_recover_when_it_returns(user, redis_cache):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    redis_cache.stop()

    gallery = client.get(reverse("generation:gallery"))
    generate = client.post(reverse("generation:generate"), FORM)
    health = client.get(reverse("healthz"))

    assert gallery.status_code == 200  # sessions fall back to the database
    assert generate.status_code == 503
    assert "Back in a moment" in generate.content.decode()
    assert generate["Retry-After"]
    assert health.status_code == 503
    assert health.json()["failing"] == ["redis"]

    redis_cache.start()
    assert client.post(reverse("generation:generate"), FORM).status_code == 302
    assert client.get(reverse("healthz")).status_code == 200


@pytest.fixture
def private_postgres():
    cluster = PrivatePostgres()
    cluster.init()
    cluster.start()
    yield cluster
    cluster.destroy()


def gunicorn_on(database_url, tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "smtp://127.0.0.1:25",  # never used: no mail is sent
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
        "MEDIA_ROOT": str(tmp_path),
        "CONN_MAX_AGE": "600",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    return gunicorn_process({**env, "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "4"})


def test_postgresql_restarted_under_load_fails_cleanly_then_recovers(private_postgres, tmp_path):
    server, base = gunicorn_on(private_postgres.url, tmp_path)
    statuses: list[int] = []
    stop = threading.Event()

    def load():
        with httpx.Client(base_url=base, timeout=5) as http:
            while not stop.is_set():
                try:
                    statuses.append(http.get("/healthz").status_code)
                except httpx.TransportError:
                    statuses.append(0)

    try:
        assert wait_for_http(f"{base}/healthz").status_code == 200
        workers = [threading.Thread(target=load) for _ in range(4)]
        for worker in workers:
            worker.start()
        wait_until(lambda: len(statuses) > 50, timeout=10)
        private_postgres.stop()
        wait_until(lambda: statuses.count(503) > 5, timeout=10)
        private_postgres.start()
        during = len(statuses)
        wait_until(lambda: len(statuses) > during + 100, timeout=20)
        stop.set()
        for worker in workers:
            worker.join(timeout=10)
        # Restarted while nobody asks: every connection the server holds is dead, and
        # CONN_HEALTH_CHECKS replaces each before a request uses it.
        private_postgres.stop()
        private_postgres.start()
        after_quiet_restart = [httpx.get(f"{base}/healthz").status_code for _ in range(40)]
    finally:
        stop.set()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    assert 503 in statuses, "the outage was not seen"
    assert set(statuses) <= {200, 503}
    assert statuses[-20:] == [200] * 20
    assert after_quiet_restart == [200] * 40
