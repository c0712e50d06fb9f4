"""/metrics: guarded by a bearer token, fed by the processes' counters and the database."""

import subprocess
import sys

import pytest
import time_machine
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from generation import services
from generation.models import Generation, Status
from generation.services import GenerationRequest
from testing.processes import wait_until
from testing.remote_generations import running_remote_generation

TOKEN = "scrape-secret"
IMAGE = GenerationRequest(kind="image", prompt="a paper boat", count=1)


@pytest.fixture
def scrape(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def scrape() -> dict[tuple[str, tuple], float]:
        response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        samples = {}
        for family in text_string_to_metric_families(response.content.decode()):
            for sample in family.samples:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return samples

    return scrape


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_is_not_found_without_a_configured_token(client, settings):
    settings.METRICS_TOKEN = ""

    response = client.get("/metrics", headers={"Authorization": "Bearer anything"})

    assert response.status_code == 404


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN])
def test_metrics_refuses_a_missing_or_wrong_token(client, settings, authorization):
    settings.METRICS_TOKEN = TOKEN
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get("/metrics", headers=headers)

    assert response.status_code == 401
    assert b"cartonify_" not in response.content


@pytest.mark.django_db
def test_metrics_answers_any_host_over_plain_http_like_the_health_check(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(
        "/metrics", HTTP_HOST="10.1.2.3:8000", headers={"Authorization": f"Bearer {TOKEN}"}
    )

    assert response.status_code == 200


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_finished_job_shows_in_every_family(user, scrape, client, celery_worker):
    before = scrape()

    job = services.generation_submit(user=user, request=IMAGE)
    assert wait_until(
        lambda: Generation.objects.filter(pk=job.pk, status=Status.SUCCEEDED).exists()
    )
    client.force_login(user)
    assert client.get(reverse("generation:job_status", args=[job.pk])).status_code == 200
    after = scrape()

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert value(after, "cartonify_jobs", status="succeeded", kind="image") == 1
    assert value(after, "cartonify_jobs", status="queued", kind="video") == 0
    assert value(after, "cartonify_queue_depth", queue="celery") == 0
    assert value(after, "cartonify_oldest_queued_job_age_seconds") == 0
    assert value(after, "cartonify_ledger_credits_total", kind="reserve") == 1
    assert value(after, "cartonify_ledger_entries_total", kind="reserve") == 1
    assert (
        grew("cartonify_provider_call_duration_seconds_count", provider="local", operation="start")
        == 1
    )
    view = {"view": "generation:job_status", "method": "GET", "status": "2xx"}
    assert grew("cartonify_http_request_duration_seconds_count", **view) == 1
    assert not any("/" in dict(labels).get("view", "") for _, labels in after)


@pytest.mark.django_db(transaction=True)
def test_a_job_waiting_in_the_broker_shows_as_queue_depth_and_age(user, scrape, private_broker):
    with time_machine.travel("2026-11-26 06:00:00+00:00", tick=False) as traveller:
        services.generation_submit(user=user, request=IMAGE)
        traveller.shift(90)
        samples = scrape()

    assert value(samples, "cartonify_queue_depth", queue="celery") == 1
    assert value(samples, "cartonify_oldest_queued_job_age_seconds") == 90
    assert value(samples, "cartonify_jobs", status="queued", kind="image") == 1


@pytest.mark.django_db
def test_replicate_webhooks_are_counted_by_outcome(
    scrape, user, fake_replicate, client, django_capture_on_commit_callbacks
):
    job = running_remote_generation(user)
    body, headers = fake_replicate.webhook_request(job.provider_job_id)
    url = reverse("generation:replicate_webhook", args=[job.pk])
    before = scrape()

    for sent in (body.replace(b"succeeded", b"failed"), body, body):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, sent, content_type="application/json", headers=headers)
    after = scrape()

    def grew(outcome):
        name = "cartonify_replicate_webhooks_total"
        return value(after, name, outcome=outcome) - value(before, name, outcome=outcome)

    assert (grew("rejected"), grew("accepted"), grew("duplicate")) == (1, 1, 1)


INCREMENT = """
from core.instruments import PROVIDER_ERRORS
PROVIDER_ERRORS.labels("replicate", "poll", "false").inc()
"""


@pytest.mark.django_db
def test_counters_from_separate_processes_add_up_in_multiprocess_mode(
    scrape, tmp_path, monkeypatch
):
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "x"}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", INCREMENT], env=env, check=True, timeout=60)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    samples = scrape()

    labels = {"provider": "replicate", "operation": "poll", "permanent": "false"}
    assert value(samples, "cartonify_provider_errors_total", **labels) == 2
    assert value(samples, "cartonify_jobs", status="queued", kind="image") == 0


@pytest.mark.django_db
def test_a_broker_that_is_down_leaves_the_other_families_in_the_scrape(scrape, monkeypatch):
    from cartonify.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")

    samples = scrape()

    assert not any(name == "cartonify_queue_depth" for name, _ in samples)
    assert value(samples, "cartonify_jobs", status="queued", kind="image") == 0
    assert ("cartonify_oldest_queued_job_age_seconds", ()) in samples
