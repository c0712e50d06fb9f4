"""Errors reach Sentry only when SENTRY_DSN is set; here the real SDK posts to a loopback
server standing in for Sentry."""

import gzip
import json
import os
import subprocess
import sys

import pytest
import sentry_sdk
from django.test import Client
from django.urls import path

from cartonify.sentry import sentry_init


def explode(request):
    raise RuntimeError("the kettle boiled dry")


urlpatterns = [path("explode/", explode)]

SENTRY_IS_ACTIVE = """
import django
django.setup()
import sentry_sdk
print(sentry_sdk.get_client().is_active())
"""


def test_without_a_dsn_sentry_is_not_initialised():
    env = {k: v for k, v in os.environ.items() if k != "SENTRY_DSN"}

    result = subprocess.run(
        [sys.executable, "-c", SENTRY_IS_ACTIVE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "False"


@pytest.fixture
def sentry(httpserver):
    httpserver.expect_request("/api/1/envelope/", method="POST").respond_with_data("{}")
    sentry_init(dsn=f"http://public@127.0.0.1:{httpserver.port}/1", environment="test")
    yield httpserver
    sentry_sdk.init()  # no DSN: the client goes quiet again


def envelopes(server) -> list[str]:
    bodies = []
    for request, _ in server.log:
        body = request.get_data()
        if request.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        bodies.append(body.decode())
    return bodies


@pytest.mark.django_db
def test_an_error_in_a_view_reaches_sentry(sentry, settings):
    settings.ROOT_URLCONF = __name__

    response = Client(raise_request_exception=False).get("/explode/")
    sentry_sdk.flush(timeout=5)

    assert response.status_code == 500
    events = [
        json.loads(line)
        for body in envelopes(sentry)
        for line in body.splitlines()
        if '"exception"' in line
    ]
    assert len(events) == 1
    (exception,) = events[0]["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "the kettle boiled dry"
    assert events[0]["transaction"] == "/explode/"
