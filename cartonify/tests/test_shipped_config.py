"""The shipped docker-compose.yml and .env.example are safe as shipped (issue 14, finding 4).

Docker does not run here, so the compose file is read the way compose reads it: the app
services' `environment`, with `${VAR:-default}` / `${VAR:?error}` filled from a `.env`,
over the `env_file` values. The real `manage.py check --deploy` then runs on the result.
"""

import os
import re
import secrets
import subprocess
import sys

import pytest
import yaml
from django.urls import reverse

from testing.processes import ROOT

pytestmark = pytest.mark.django_db

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
_VARIABLE = re.compile(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}")

REQUIRED = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "cartonify.example",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "AWS_ACCESS_KEY_ID": "AKIAFAKES3TESTKEY000",  # testing.fake_s3's, for check --deploy
    "AWS_SECRET_ACCESS_KEY": "fake-s3-secret-key-for-tests-only",
}


class ComposeRefuses(Exception):
    """compose would stop with this message (a `${VAR:?message}` left unset)."""


def _interpolate(value: str, dotenv: dict) -> str:
    def one(match):
        name, operator, argument = match.groups()
        if dotenv.get(name):
            return dotenv[name]
        if operator == ":?":
            raise ComposeRefuses(argument)
        return argument if operator == ":-" else ""

    return _VARIABLE.sub(one, str(value))


def container_env(dotenv: dict) -> dict:
    """What a web/worker/beat container sees, given this project `.env`."""
    service = COMPOSE["x-app"]
    explicit = {k: _interpolate(v, dotenv) for k, v in service["environment"].items()}
    # env_file is the same .env; `environment` wins over it, as in compose.
    return {**dotenv, **explicit}


def read_env_example() -> dict:
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


def env_example_filled_in() -> dict:
    """.env.example with what it marks REQUIRED for production, and DEBUG off as it says."""
    dotenv = read_env_example()
    dotenv.update(REQUIRED, DEBUG="false", CSRF_TRUSTED_ORIGINS="https://cartonify.example")
    return dotenv


def check_deploy(env: dict) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_compose_refuses_to_start_without_a_required_value(name):
    dotenv = {k: v for k, v in REQUIRED.items() if k != name}

    with pytest.raises(ComposeRefuses, match=name):
        container_env(dotenv)


def test_compose_falls_back_to_nothing_insecure():
    # A .env with DEBUG=true for `make run`, copied as it is, must not reach compose.
    env = container_env({**REQUIRED, "DEBUG": "true"})

    assert env["DEBUG"] == "false"
    assert "SECURE_SSL_REDIRECT" not in env  # the settings' default: redirect
    assert env["EMAIL_URL"] == REQUIRED["EMAIL_URL"]
    assert env["ALLOWED_HOSTS"] == REQUIRED["ALLOWED_HOSTS"]


def test_the_web_container_checks_the_deployment_before_anything_else():
    command = COMPOSE["services"]["web"]["command"]

    assert "manage.py check --deploy --fail-level WARNING &&" in command
    assert command.index("check --deploy") < command.index("migrate")


def with_fake_store(env: dict, fake_s3) -> dict:
    """The compose environment with its MinIO replaced by the loopback fake."""
    return {**env, "AWS_S3_ENDPOINT_URL": fake_s3.url, "AWS_STORAGE_BUCKET_NAME": fake_s3.bucket}


def test_check_deploy_is_clean_with_the_compose_environment(fake_s3):
    result = check_deploy(with_fake_store(container_env(REQUIRED), fake_s3))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_with_env_example_filled_in_as_documented(fake_s3):
    result = check_deploy(with_fake_store(container_env(env_example_filled_in()), fake_s3))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"EMAIL_URL": "consolemail://"}, "EMAIL_URL"),
        ({"EMAIL_URL": None}, "EMAIL_URL"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
    ],
)
def test_with_debug_off_the_site_refuses_to_start_without(change, named):
    env = {**container_env(REQUIRED), **change}
    env = {k: v for k, v in env.items() if v is not None}

    result = check_deploy(env)

    assert result.returncode != 0
    assert named in result.stderr


def test_check_deploy_refuses_a_store_without_the_bucket(fake_s3):
    env = {**with_fake_store(container_env(REQUIRED), fake_s3), "AWS_STORAGE_BUCKET_NAME": "nope"}

    result = check_deploy(env)

    assert result.returncode != 0
    assert "bucket 'nope'" in result.stderr and "does not exist" in result.stderr


def test_the_worker_checks_its_bucket_before_it_starts():
    command = COMPOSE["services"]["worker"]["command"]

    assert "manage.py check --deploy --fail-level WARNING && celery" in command


def test_health_check_answers_whatever_the_allowed_hosts(client, settings):
    settings.ALLOWED_HOSTS = ["cartonify.example"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(reverse("healthz"), HTTP_HOST="127.0.0.1:8000")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
