import threading

import pytest
from django.db import connection

from billing import services as billing
from billing.exceptions import QuotaExceeded
from billing.models import LedgerEntry
from generation import services
from generation.exceptions import InvalidRequest
from generation.models import Generation, Output, Status
from generation.services import GenerationRequest
from testing.fake_razorpay import pay


@pytest.mark.django_db
def test_one_request_of_two_images_costs_one_credit_on_free_and_premium(razorpay, user):
    services.generation_submit(user=user, request=image_request(count=2))
    assert billing.credits_balance(user=user) == 4
    pay(user)
    services.generation_submit(user=user, request=image_request(count=2))
    assert billing.credits_balance(user=user) == 1599


def image_request(**overrides):
    values = {"kind": "image", "prompt": "a fox reading a map", "count": 2}
    return GenerationRequest(**{**values, **overrides})


@pytest.mark.django_db
def test_submit_reserves_credits_and_the_job_runs_to_stored_outputs(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.generation_submit(user=user, request=image_request())

    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    assert job.credits_charged == 1
    assert billing.credits_balance(user=user) == 4
    outputs = list(job.outputs.all())
    assert len(outputs) == 2
    assert all(o.file.storage.exists(o.file.name) and o.width == 512 for o in outputs)


@pytest.mark.parametrize("kind, outputs", [("image", 3), ("edit", 3), ("video", 1), ("enhance", 1)])
def test_images_and_edits_make_as_many_outputs_as_asked_and_the_other_kinds_one(kind, outputs):
    assert image_request(kind=kind, count=3).outputs == outputs


@pytest.mark.django_db
def test_a_video_asked_for_three_times_is_one_video(user):
    job = services.generation_submit(user=user, request=image_request(kind="video", count=3))
    assert job.count == 1


BAD_REQUESTS = [
    {"prompt": ""},
    {"prompt": "   "},
    {"prompt": "x" * 1001},
    {"prompt": "tab\x07bell"},
    {"style": "baroque-ish"},
    {"color": "plaid"},
    {"size": 100},
    {"count": 5},
    {"count": 0},
    {"seed": -1},
    {"kind": "hologram"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("overrides", BAD_REQUESTS)
def test_bad_input_is_refused_and_charges_nothing(user, overrides):
    with pytest.raises(InvalidRequest):
        services.generation_submit(user=user, request=image_request(**overrides))

    assert Generation.objects.count() == 0
    assert billing.credits_balance(user=user) == 5


@pytest.mark.django_db
def test_a_free_user_gets_five_generations_then_a_clear_refusal(user):
    for _ in range(5):
        services.generation_submit(user=user, request=image_request())

    with pytest.raises(QuotaExceeded, match="premium"):
        services.generation_submit(user=user, request=image_request())
    assert Generation.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_submissions_with_five_left_make_exactly_five_jobs(user):
    billing.credit_account_for(user=user)
    start = threading.Barrier(20)
    outcomes = []

    def submit():
        start.wait()
        try:
            services.generation_submit(user=user, request=image_request(count=1))
            outcomes.append("ok")
        except QuotaExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("ok") == 5
    assert Generation.objects.filter(user=user).count() == 5
    assert billing.credits_balance(user=user) == 0


@pytest.mark.django_db
def test_running_the_task_twice_makes_one_set_of_outputs_and_one_charge(user):
    job = services.generation_submit(user=user, request=image_request(count=3))

    services.generation_run(generation_id=job.pk)
    services.generation_run(generation_id=job.pk)

    assert Output.objects.filter(generation=job).count() == 3
    assert LedgerEntry.objects.filter(reference=job.reference).count() == 1


@pytest.mark.django_db
def test_cancel_refunds_and_a_late_result_is_discarded(user):
    job = services.generation_submit(user=user, request=image_request())

    services.generation_cancel(generation=job, by=user)
    services.generation_run(generation_id=job.pk)

    job.refresh_from_db()
    assert job.status == Status.CANCELED
    assert not job.outputs.exists()
    assert billing.credits_balance(user=user) == 5


@pytest.mark.django_db
def test_failure_refunds_once_and_tells_the_user_why(user):
    job = services.generation_submit(user=user, request=image_request())

    services.generation_fail(generation_id=job.pk, reason="The model is down.")
    services.generation_fail(generation_id=job.pk, reason="again")

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == "The model is down."
    assert billing.credits_balance(user=user) == 5


@pytest.mark.django_db
def test_retry_of_a_failed_job_runs_it_again_as_a_new_job(user, django_capture_on_commit_callbacks):
    job = services.generation_submit(user=user, request=image_request(seed=7))
    services.generation_fail(generation_id=job.pk, reason="transient")

    with django_capture_on_commit_callbacks(execute=True):
        retried = services.generation_retry(generation=job)

    retried.refresh_from_db()
    assert retried.retry_of == job
    assert retried.seed == 7
    assert retried.status == Status.SUCCEEDED


@pytest.mark.django_db
def test_deleting_an_output_deletes_its_file(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.generation_submit(user=user, request=image_request(count=1))
    output = job.outputs.get()
    storage, name = output.file.storage, output.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.output_delete(output=output)

    assert not Output.objects.filter(pk=output.pk).exists()
    assert not storage.exists(name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("shape", "size", "expected"),
    [("square", 256, (256, 256)), ("portrait", 512, (512, 768)), ("landscape", 512, (768, 512))],
)
def test_shapes_make_the_originals_portrait_and_landscape(user, shape, size, expected):
    job = services.generation_submit(
        user=user, request=image_request(shape=shape, size=size, quality="high")
    )
    assert (job.width, job.height, job.quality) == (*expected, "high")
    again = services.request_from(job)
    assert (again.shape, again.size, again.quality) == (shape, size, "high")


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["shape", "quality"])
def test_an_unknown_shape_or_quality_is_refused_and_charges_nothing(user, field):
    with pytest.raises(InvalidRequest) as refused:
        services.generation_submit(user=user, request=image_request(**{field: "huge"}))
    assert refused.value.field == field
    assert billing.credits_balance(user=user) == 5
