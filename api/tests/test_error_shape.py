"""Every error under /api/ is JSON in the API's shape (issue 14, finding 10)."""

import pytest

from billing import services as billing
from generation.models import Generation
from testing.processes import free_port

pytestmark = pytest.mark.django_db


def assert_api_error(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == code
    assert response.json()["message"]


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/", "/api/v2/images"])
def test_unknown_api_addresses_answer_json_404(client, path):
    assert_api_error(client.get(path), 404, "not_found")


def test_a_wrong_method_answers_json_405_with_allow(api):
    response = api.client.put("/api/v1/me", headers=api.headers)

    assert_api_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


@pytest.mark.urls("api.tests.urls_crash")
def test_a_crash_answers_json_500_without_details(client):
    client.raise_request_exception = False

    response = client.get("/api/v1/crash")

    assert_api_error(response, 500, "server_error")
    assert "unexpected bug" not in response.content.decode()


def test_an_outage_answers_json_503_with_retry_after(api, settings):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": dead_redis},
    }
    api.client.raise_request_exception = False

    response = api.get("/me")

    assert_api_error(response, 503, "unavailable")
    assert int(response["Retry-After"]) > 0


def test_pages_outside_the_api_keep_their_html_errors(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_apis_own_errors_are_left_as_they_are(make_api):
    response = make_api(None).get("/me")

    assert_api_error(response, 401, "missing_api_key")


def video_body(size: int) -> str:
    """A POST /videos body of exactly `size` bytes whose source_image is not base64."""
    head, tail = '{"prompt": "a lighthouse", "source_image": "', '"}'
    return head + "!" * (size - len(head) - len(tail)) + tail


def test_a_json_body_over_the_size_limit_answers_json_413_and_charges_nothing(api, user, settings):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = api.post("/videos", video_body(limit + 1))

    assert_api_error(response, 413, "request_too_large")
    assert f"{limit:,} bytes" in response.json()["message"]
    assert billing.credits_balance(user=user) == 5
    assert not Generation.objects.exists()


def test_a_json_body_at_the_size_limit_reaches_validation(api, settings):
    response = api.post("/videos", video_body(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))

    assert_api_error(response, 422, "invalid_request")
    assert response.json()["errors"][0]["field"] == "source_image"


def test_a_form_over_the_size_limit_answers_json_413(api, settings):
    form = {"prompt": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}

    response = api.client.post("/api/v1/videos", form, headers=api.headers)

    assert_api_error(response, 413, "request_too_large")


def test_pages_outside_the_api_keep_their_answer_to_a_body_over_the_size_limit(client, settings):
    body = "email=" + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    form = "application/x-www-form-urlencoded"

    response = client.post("/accounts/login/", body, content_type=form)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_every_operation_that_takes_a_body_documents_the_413(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = [op for path in paths.values() for op in path.values() if "requestBody" in op]

    assert len(operations) >= 4
    for operation in operations:
        assert operation["responses"]["413"]["content"]["application/json"]
