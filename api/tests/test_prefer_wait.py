"""`Prefer: wait=N` on the job-creating POSTs: the finished job (200) when it ends within
N seconds, else the usual 202; one per-process budget of waiting requests, shared with
/api/transform, answers 202 at once when it is spent."""

import threading
import time

import httpx
import pytest

from api import waiting
from generation.models import Generation, Status
from testing.processes import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

IMAGE = {"prompt": "a fox reading a map", "count": 1}


@pytest.fixture
def replicate(fake_replicate, settings):
    settings.GENERATION_POLL_INTERVAL = 0.05
    return fake_replicate


def test_a_job_finished_in_time_answers_200_with_the_finished_job(
    api, replicate, celery_worker, settings
):
    replicate.polls_before_done = 3

    answer = api.post("/images", IMAGE, headers={"Prefer": "wait=20"})

    assert answer.status_code == 200
    assert answer["Preference-Applied"] == "wait=20"
    body = answer.json()
    assert body["status"] == Status.SUCCEEDED and len(body["outputs"]) == 1
    assert body == api.get(f"/generations/{body['id']}").json()


def test_a_slow_job_answers_202_after_the_wait(api, replicate, celery_worker):
    replicate.polls_before_done = 10_000

    started = time.monotonic()
    answer = api.post("/images", IMAGE, headers={"Prefer": "wait=2"})
    waited = time.monotonic() - started

    assert answer.status_code == 202
    assert answer["Preference-Applied"] == "wait=2"
    assert answer.json()["status"] in (Status.QUEUED, Status.RUNNING)
    assert 2 <= waited < 5
    api.post(f"/generations/{answer.json()['id']}/cancel")


def test_with_the_waiting_budget_spent_it_answers_202_at_once(
    api, replicate, celery_worker, settings
):
    settings.TRANSFORM_MAX_WAITING = 1
    replicate.polls_before_done = 3

    with waiting.budget.slot() as held:  # another request is waiting in this process
        assert held
        started = time.monotonic()
        answer = api.post("/images", IMAGE, headers={"Prefer": "wait=20"})
        quick = time.monotonic() - started

    assert answer.status_code == 202 and quick < 1.5
    assert "Preference-Applied" not in answer
    assert waiting.budget.waiting == 0


def test_a_wait_past_60_seconds_is_taken_as_60(api, replicate, celery_worker):
    replicate.polls_before_done = 2

    answer = api.post("/videos", {"prompt": "waves"}, headers={"Prefer": "wait=9999"})

    assert answer.status_code == 200
    assert answer["Preference-Applied"] == "wait=60"


def test_edits_wait_too(api, user, replicate, celery_worker):
    source = api.post("/images", IMAGE, headers={"Prefer": "wait=20"}).json()["outputs"][0]

    answer = api.post(
        f"/images/{source['id']}/edits",
        {"operation": "instruct", "prompt": "make it night"},
        headers={"Prefer": "wait=20"},
    )

    assert answer.status_code == 200 and answer.json()["kind"] == "edit"
    assert Generation.objects.get(pk=answer.json()["id"]).status == Status.SUCCEEDED


def test_without_prefer_it_answers_202_at_once(api, replicate, celery_worker):
    replicate.polls_before_done = 10_000

    answer = api.post("/images", IMAGE)

    assert answer.status_code == 202 and "Preference-Applied" not in answer
    api.post(f"/generations/{answer.json()['id']}/cancel")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("wait=5", 5),
        ("respond-async, wait=10", 10),
        ("WAIT = 3; foo", 3),
        ('wait="7"', 7),
        ("wait=9999", 60),
        ("wait=abc", None),
        ("return=minimal", None),
        ("", None),
        (None, None),
    ],
)
def test_prefer_headers_are_read_as_rfc_7240_has_them(header, seconds):
    assert waiting.preferred_wait(header) == seconds


def test_a_transform_waiting_in_this_process_leaves_no_slot_for_prefer_wait(
    live_server, new_key, settings, private_broker
):
    settings.TRANSFORM_WAIT_SECONDS = 3
    settings.TRANSFORM_MAX_WAITING = 1  # no worker runs: every job stays queued
    key = {"X-API-Key": new_key.plaintext}
    original = threading.Thread(
        target=httpx.post,
        args=[f"{live_server.url}/api/transform"],
        kwargs={"data": {"prompt": "a lighthouse"}, "headers": key, "timeout": 10},
    )
    original.start()
    assert wait_until(lambda: waiting.budget.waiting == 1)  # the original holds the only slot

    answer = httpx.post(
        f"{live_server.url}/api/v1/images", json=IMAGE, headers={**key, "Prefer": "wait=20"}
    )
    answered_while_the_original_waits = waiting.budget.waiting == 1
    original.join(timeout=10)

    assert answer.status_code == 202 and answered_while_the_original_waits
    assert "Preference-Applied" not in answer.headers
