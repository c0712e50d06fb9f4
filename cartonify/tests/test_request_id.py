import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_each_response_carries_a_fresh_request_id(client):
    first = client.get(reverse("home"))["X-Request-ID"]
    second = client.get(reverse("home"))["X-Request-ID"]

    assert len(first) == 32
    assert first != second


def test_a_safe_incoming_request_id_is_kept(client):
    response = client.get(reverse("home"), headers={"X-Request-ID": "lb-abc.123"})

    assert response["X-Request-ID"] == "lb-abc.123"


def test_an_unsafe_incoming_request_id_is_replaced(client):
    response = client.get(reverse("home"), headers={"X-Request-ID": "evil\nlog line"})

    assert "\n" not in response["X-Request-ID"]


def test_log_lines_during_a_request_carry_its_id(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")

    response = client.get("/no-such-page/")

    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.request_id == response["X-Request-ID"]
