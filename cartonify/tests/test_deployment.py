"""The production configuration, checked by running the real commands in subprocesses."""

import os
import signal
import subprocess
import sys

import httpx
import pytest

from testing.processes import ROOT, current_database_url, gunicorn_process, wait_for_http


@pytest.fixture
def production_env(tmp_path, db):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DATABASE_URL=current_database_url(),
        DEBUG="false",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="cartonify.example",  # health checks answer on any address
        EMAIL_URL="smtp+tls://mailer:secret@127.0.0.1:587",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_MANIFEST="true",
        CELERY_TASK_ALWAYS_EAGER="false",
    )
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings(production_env):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(production_env):
    del production_env["SECRET_KEY"]

    result = manage("check", env=production_env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_migrations_are_complete():
    result = manage("makemigrations", "--check", "--dry-run", env=dict(os.environ))

    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_serves_health_and_collected_static_files(production_env):
    collected = manage("collectstatic", "--noinput", env=production_env)
    assert collected.returncode == 0, collected.stderr
    server, base = gunicorn_process({**production_env, "WEB_CONCURRENCY": "1"})
    try:
        health = wait_for_http(f"{base}/healthz")
        stylesheet = httpx.get(
            f"{base}/static/css/site.css",
            headers={"X-Forwarded-Proto": "https"},
            timeout=30,
        )
        home = httpx.get(f"{base}/", headers={"Host": "cartonify.example"}, timeout=30)
    finally:
        server.send_signal(signal.SIGTERM)
        exit_code = server.wait(timeout=30)

    assert health.status_code == 200, health.text
    assert stylesheet.status_code == 200
    assert "--accent" in stylesheet.text
    assert home.status_code == 301  # plain HTTP is redirected to HTTPS
    assert home.headers["Location"].startswith("https://cartonify.example/")
    assert exit_code == 0


def test_trusted_proxies_are_configured_from_the_environment(production_env):
    production_env.update(TRUSTED_PROXY_COUNT="1", TRUSTED_CLIENT_IP_HEADER="X-Real-IP")
    show = (
        "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT,"
        " s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, s.RATELIMIT_IP_META_KEY)"
    )

    result = manage("shell", "-c", show, env=production_env)

    assert result.stdout.splitlines()[-1].split() == [
        "1",
        "X-Real-IP",
        "core.client_ip.client_ip",
    ]
