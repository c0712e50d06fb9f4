import pytest
import time_machine

from apikeys import services
from apikeys.models import IdempotencyRecord
from apikeys.services import idempotency_purge
from billing import services as billing
from generation.models import Generation
from testing.threads import run_in_threads

pytestmark = pytest.mark.django_db

IMAGE = {"prompt": "a lighthouse in a storm", "count": 2}


def test_a_retry_with_the_same_key_replays_the_first_answer_and_charges_once(api, user):
    first = api.post("/images", IMAGE, headers={"Idempotency-Key": "order-42"})
    retry = api.post("/images", IMAGE, headers={"Idempotency-Key": "order-42"})

    assert first.status_code == retry.status_code == 202
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Generation.objects.count() == 1
    assert billing.credits_balance(user=user) == 4


def test_a_different_key_is_a_new_job(api, user):
    api.post("/images", IMAGE, headers={"Idempotency-Key": "a"})
    api.post("/images", IMAGE, headers={"Idempotency-Key": "b"})

    assert Generation.objects.count() == 2
    assert billing.credits_balance(user=user) == 3


def test_reusing_a_key_with_another_body_is_a_409(api):
    api.post("/images", IMAGE, headers={"Idempotency-Key": "k"})

    response = api.post("/images", {**IMAGE, "count": 1}, headers={"Idempotency-Key": "k"})

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert Generation.objects.count() == 1


def test_a_refused_request_is_not_stored_so_its_retry_runs(api, user):
    billing.credits_adjust(user=user, amount=-5, reason="test", created_by=None)
    refused = api.post("/images", IMAGE, headers={"Idempotency-Key": "later"})
    assert refused.status_code == 402
    billing.credits_grant(user=user, amount=5, reason="test", reference="test")

    retry = api.post("/images", IMAGE, headers={"Idempotency-Key": "later"})

    assert retry.status_code == 202
    assert Generation.objects.count() == 1


def test_keys_expire_after_24_hours(api, user):
    with time_machine.travel("2026-11-25 10:00Z"):
        api.post("/images", IMAGE, headers={"Idempotency-Key": "daily"})
    with time_machine.travel("2026-11-26 10:01Z"):
        assert "Idempotent-Replayed" not in api.post(
            "/images", IMAGE, headers={"Idempotency-Key": "daily"}
        )
        assert Generation.objects.count() == 2
        assert idempotency_purge() == 0  # the expired record was replaced by the new one
    with time_machine.travel("2026-11-27 10:02Z"):
        assert idempotency_purge() == 1
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_with_one_key_make_one_job(user, make_api):
    """Real concurrency: two threads, two database connections, one unique index."""
    key = services.api_key_create(user=user, name="racer").plaintext

    def send(_):
        return make_api(key).post("/images", IMAGE, headers={"Idempotency-Key": "race"})

    answers = run_in_threads(2, send)

    assert sorted(a.status_code for a in answers) == [202, 202]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert Generation.objects.count() == 1
    assert billing.credits_balance(user=user) == 4
