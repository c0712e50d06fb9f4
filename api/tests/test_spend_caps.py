"""A key's monthly credit cap: its jobs may spend that much per calendar month (UTC); the
next job answers 402 with the cap and when it resets, however many arrive at once."""

import threading

import httpx
import pytest
import time_machine
from django.urls import reverse

from apikeys import services
from billing import services as billing
from generation.models import Generation, Status

IMAGE = {"prompt": "a fox reading a map"}


def capped_key(user, cap):
    return services.api_key_create(user=user, name="capped", monthly_credit_cap=cap)


@pytest.mark.django_db
def test_jobs_past_the_cap_answer_402_with_the_cap_and_its_reset(make_api, user):
    api = make_api(capped_key(user, 2).plaintext)

    with time_machine.travel("2026-11-26 10:00Z", tick=False):
        answers = [api.post("/images", IMAGE) for _ in range(3)]

    assert [a.status_code for a in answers] == [202, 202, 402]
    body = answers[2].json()
    assert body["code"] == "spend_cap_reached"
    assert (body["cap"], body["spent"]) == (2, 2)
    assert body["resets_at"] == "2026-12-01T00:00:00+00:00"
    assert "cap of 2 credits" in body["message"] and "2026-12-01 00:00 UTC" in body["message"]
    assert Generation.objects.count() == 2
    assert billing.credits_balance(user=user) == 3  # the refused job charged nothing


@pytest.mark.django_db
def test_the_cap_counts_this_calendar_month_and_refunded_jobs_are_not_spent(make_api, user):
    new_key = capped_key(user, 1)
    api = make_api(new_key.plaintext)
    with time_machine.travel("2026-11-30 23:59Z", tick=False):
        job = api.post("/images", IMAGE).json()
        assert api.post("/images", IMAGE).status_code == 402
        api.post(f"/generations/{job['id']}/cancel")  # refunded: no longer spent
        assert api.post("/images", IMAGE).status_code == 202
        assert api.post("/images", IMAGE).status_code == 402
    with time_machine.travel("2026-12-01 00:00Z", tick=False):
        assert api.post("/images", IMAGE).status_code == 202
        assert new_key.api_key.spent_this_month() == 1


@pytest.mark.django_db
def test_a_cap_of_zero_refuses_every_job_even_free_ones(make_api, user):
    api = make_api(capped_key(user, 0).plaintext)

    images = api.post("/images", IMAGE)
    enhance = api.post("/prompts/enhance", IMAGE)  # costs nothing, still refused

    assert images.status_code == enhance.status_code == 402
    assert enhance.json()["code"] == "spend_cap_reached" and enhance.json()["cap"] == 0
    assert not Generation.objects.exists()


@pytest.mark.django_db
def test_me_shows_the_keys_scopes_cap_and_spend(make_api, user):
    api = make_api(capped_key(user, 4).plaintext)
    api.post("/images", IMAGE)

    me = api.get("/me").json()

    assert me["api_key_scopes"] == ["read", "generate", "manage"]
    assert (me["api_key_monthly_credit_cap"], me["api_key_spent_this_month"]) == (4, 1)


@pytest.mark.django_db
def test_jobs_record_the_key_they_were_made_with(api, new_key, user):
    job_id = api.post("/images", IMAGE).json()["id"]

    assert Generation.objects.get(pk=job_id).api_key == new_key.api_key


@pytest.mark.django_db
def test_the_originals_transform_respects_the_cap(client, user):
    key = capped_key(user, 0).plaintext

    answer = client.post(reverse("api_transform"), IMAGE, headers={"X-API-Key": key})

    assert answer.status_code == 402
    assert "cap of 0 credits" in answer.json()["error"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_take_a_key_past_its_cap(live_server, user, private_broker):
    key = capped_key(user, 2).plaintext
    answers = []
    start = threading.Barrier(6)

    def post():
        start.wait()
        answers.append(
            httpx.post(
                f"{live_server.url}/api/v1/images",
                json=IMAGE,
                headers={"Authorization": f"Bearer {key}"},
                timeout=30,
            ).status_code
        )

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=40)

    assert sorted(answers) == [202, 202, 402, 402, 402, 402]
    assert Generation.objects.filter(status=Status.QUEUED).count() == 2
    assert billing.credits_balance(user=user) == 3
