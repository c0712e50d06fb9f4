import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

UNREACHABLE = {
    "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens there
    "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
}


def test_healthz_reports_database_and_cache_up(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"postgresql": "ok", "redis": "ok"},
        "failing": [],
    }


def test_healthz_names_the_cache_when_it_is_down(client, settings):
    settings.CACHES = {alias: {**cfg, **UNREACHABLE} for alias, cfg in settings.CACHES.items()}

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
    assert response.json()["checks"]["postgresql"] == "ok"


def test_healthz_is_not_cached(client):
    response = client.get(reverse("healthz"))

    assert "no-cache" in response["Cache-Control"]
