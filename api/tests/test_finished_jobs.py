"""Cancel and retry on a job whose state forbids them: a 409 in the API's error shape,
saying why, and nothing changed or charged."""

import pytest

from apikeys import services as apikeys
from apikeys.models import Scope
from billing import services as billing
from generation.models import Generation, Status
from generation.tests.factories import GenerationFactory

pytestmark = pytest.mark.django_db

ALREADY_FINISHED = "This job already finished; nothing was charged back."
ONLY_FAILED = "Only failed or canceled jobs can be retried."


@pytest.mark.parametrize("status", [Status.SUCCEEDED, Status.FAILED, Status.CANCELED])
def test_cancel_on_a_finished_job_is_a_409_saying_nothing_was_charged_back(api, user, status):
    job = GenerationFactory(user=user, status=status)

    response = api.post(f"/generations/{job.pk}/cancel")

    assert response.status_code == 409
    assert response.json() == {"code": "not_allowed", "message": ALREADY_FINISHED}
    job.refresh_from_db()
    assert job.status == status
    assert billing.credits_balance(user=user) == 5


@pytest.mark.parametrize("status", [Status.FAILED, Status.CANCELED])
def test_retry_runs_a_failed_or_canceled_job_again_as_a_new_charged_job(api, user, new_key, status):
    job = GenerationFactory(user=user, status=status, prompt="a fox reading a map")

    response = api.post(f"/generations/{job.pk}/retry")

    assert response.status_code == 202
    retried = Generation.objects.get(pk=response.json()["id"])
    assert retried.retry_of == job and retried.prompt == job.prompt
    assert retried.api_key_id == new_key.api_key.pk
    assert response["Location"].endswith(f"/api/v1/generations/{retried.pk}")
    assert billing.credits_balance(user=user) == 4


@pytest.mark.parametrize("status", [Status.QUEUED, Status.RUNNING, Status.SUCCEEDED])
def test_retry_on_a_job_that_cannot_be_retried_is_a_409_saying_why(api, user, status):
    job = GenerationFactory(user=user, status=status)

    response = api.post(f"/generations/{job.pk}/retry")

    assert response.status_code == 409
    assert response.json() == {"code": "not_allowed", "message": ONLY_FAILED}
    assert not Generation.objects.filter(retry_of=job).exists()
    assert billing.credits_balance(user=user) == 5


def test_retry_of_another_users_job_is_a_404(api, make_user):
    job = GenerationFactory(user=make_user(), status=Status.FAILED)

    assert api.post(f"/generations/{job.pk}/retry").status_code == 404


def test_retry_needs_the_generate_scope(user, make_api):
    job = GenerationFactory(user=user, status=Status.FAILED)
    key = apikeys.api_key_create(user=user, name="manager", scopes=[Scope.MANAGE])

    response = make_api(key.plaintext).post(f"/generations/{job.pk}/retry")

    assert response.status_code == 403 and response.json()["required_scope"] == Scope.GENERATE
    assert not Generation.objects.filter(retry_of=job).exists()
