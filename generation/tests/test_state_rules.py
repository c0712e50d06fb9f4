"""Each state rule is said once, on Generation. The job card, the admin action and the
service must agree with it: what the model forbids shows no button, is refused by the
admin and raises in the service, and nothing changes or is refunded twice."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from billing import services as billing
from generation import services
from generation.exceptions import JobStateConflict
from generation.models import Generation, Kind, Status
from testing.credits import reserve
from testing.mfa import log_in_as_staff

from .factories import GenerationFactory, OutputFactory

pytestmark = pytest.mark.django_db

JOBS = reverse("admin:generation_generation_changelist")
UNFINISHED = [Status.QUEUED, Status.RUNNING]
FINISHED = [Status.SUCCEEDED, Status.FAILED, Status.CANCELED]
RETRYABLE = [Status.FAILED, Status.CANCELED]

ALREADY_FINISHED = "This job already finished; nothing was charged back."
ONLY_FAILED = "Only failed or canceled jobs can be retried."
SOURCE_GONE = "The image this edit started from is gone."
STILL_DELETED = "The image this video was made from has been deleted."


@pytest.fixture
def owner(signed_in):
    """The job owner's client, beside `staff`'s."""
    return signed_in


@pytest.fixture
def staff(make_user):
    client = Client()
    log_in_as_staff(client, make_user(is_staff=True, is_superuser=True))
    return client


def charged_job(user, **fields) -> Generation:
    """A job as the services leave it: reserved, and refunded if it ended without outputs."""
    job = GenerationFactory(user=user, credits_charged=1, **fields)
    reserve(user=user, amount=1, reference=job.reference, reason="job")
    if job.status in RETRYABLE:
        billing.credits_refund(user=user, reference=job.reference, reason="refund")
    return job


def card(client, job) -> str:
    return client.get(reverse("generation:job_status", args=[job.pk])).content.decode()


def cancel_url(job) -> str:
    return reverse("generation:job_cancel", args=[job.pk])


def retry_url(job) -> str:
    return reverse("generation:job_retry", args=[job.pk])


def admin_action(client, action, job) -> str:
    data = {"action": action, "_selected_action": [job.pk]}
    return client.post(JOBS, data, follow=True).content.decode()


@pytest.mark.parametrize("status", Status.values)
def test_the_model_groups_every_status_once(status):
    job = Generation(status=status)
    assert (status in Generation.UNFINISHED) != (status in Generation.FINISHED)
    assert job.is_finished == (status in FINISHED)
    assert job.can_cancel == (status in UNFINISHED)
    assert job.can_retry == (status in RETRYABLE)


@pytest.mark.parametrize("status", UNFINISHED)
def test_an_unfinished_job_is_canceled_and_refunded_once_by_the_card_the_admin_or_the_service(
    owner, staff, user, status
):
    by_card, by_admin, by_service = (charged_job(user, status=status) for _ in range(3))
    assert by_card.can_cancel
    assert cancel_url(by_card) in card(owner, by_card)

    owner.post(cancel_url(by_card))
    admin_action(staff, "cancel_unfinished", by_admin)
    services.generation_cancel(generation=by_service, by=user)

    for job in (by_card, by_admin, by_service):
        job.refresh_from_db()
        assert job.status == Status.CANCELED and not job.can_cancel
    assert billing.credits_balance(user=user) == 5
    assert ALREADY_FINISHED in admin_action(staff, "cancel_unfinished", by_admin)
    assert billing.credits_balance(user=user) == 5


@pytest.mark.parametrize("status", FINISHED)
def test_a_finished_job_cannot_be_canceled_by_the_card_the_admin_or_the_service(
    owner, staff, user, status
):
    job = charged_job(user, status=status)
    balance = billing.credits_balance(user=user)
    assert not job.can_cancel
    assert cancel_url(job) not in card(owner, job)

    assert ALREADY_FINISHED in owner.post(cancel_url(job), follow=True).content.decode()
    assert ALREADY_FINISHED in admin_action(staff, "cancel_unfinished", job)
    with pytest.raises(JobStateConflict, match=ALREADY_FINISHED):
        services.generation_cancel(generation=job, by=user)

    job.refresh_from_db()
    assert job.status == status
    assert billing.credits_balance(user=user) == balance


@pytest.mark.parametrize("status", RETRYABLE)
def test_a_failed_or_canceled_job_is_retried_by_the_card_the_admin_or_the_service(
    owner, staff, user, status
):
    job = charged_job(user, status=status)
    assert job.can_retry
    assert retry_url(job) in card(owner, job)

    owner.post(retry_url(job))
    admin_action(staff, "retry_failed", job)
    services.generation_retry(generation=job)

    assert Generation.objects.filter(retry_of=job, user=user).count() == 3


@pytest.mark.parametrize("status", [Status.QUEUED, Status.RUNNING, Status.SUCCEEDED])
def test_a_job_that_did_not_fail_cannot_be_retried_by_the_card_the_admin_or_the_service(
    owner, staff, user, status
):
    job = charged_job(user, status=status)
    assert not job.can_retry
    assert retry_url(job) not in card(owner, job)

    assert ONLY_FAILED in owner.post(retry_url(job), follow=True).content.decode()
    assert ONLY_FAILED in admin_action(staff, "retry_failed", job)
    with pytest.raises(JobStateConflict, match=ONLY_FAILED):
        services.generation_retry(generation=job)

    assert not Generation.objects.filter(retry_of=job).exists()
    assert billing.credits_balance(user=user) == 4


def test_an_edit_whose_image_is_gone_cannot_be_retried_and_its_card_says_why(owner, staff, user):
    source = OutputFactory(generation__user=user)
    job = charged_job(
        user,
        kind=Kind.EDIT,
        status=Status.FAILED,
        edit_operation="cartoonify",
        source_output=source,
    )
    assert job.can_retry
    source.delete()
    job.refresh_from_db()
    assert not job.can_retry

    page = card(owner, job)
    assert retry_url(job) not in page and SOURCE_GONE in page
    assert SOURCE_GONE in owner.post(retry_url(job), follow=True).content.decode()
    assert SOURCE_GONE in admin_action(staff, "retry_failed", job)
    with pytest.raises(JobStateConflict, match=SOURCE_GONE):
        services.generation_retry(generation=job)
    assert not Generation.objects.filter(retry_of=job).exists()


def test_an_animation_whose_still_was_deleted_is_refused_by_the_card_the_admin_or_the_service(
    owner, staff, user
):
    still = OutputFactory(generation__user=user)
    job = charged_job(user, kind=Kind.VIDEO, status=Status.FAILED, source_output=still)
    assert job.can_retry
    still.delete()
    job.refresh_from_db()
    assert job.retry_refusal == STILL_DELETED
    balance = billing.credits_balance(user=user)

    page = card(owner, job)
    assert retry_url(job) not in page and STILL_DELETED in page
    assert STILL_DELETED in owner.post(retry_url(job), follow=True).content.decode()
    assert STILL_DELETED in admin_action(staff, "retry_failed", job)
    with pytest.raises(JobStateConflict, match=STILL_DELETED):
        services.generation_retry(generation=job)

    assert not Generation.objects.filter(retry_of=job).exists()
    assert billing.credits_balance(user=user) == balance


def test_a_video_from_text_alone_is_still_retried(user):
    job = charged_job(user, kind=Kind.VIDEO, status=Status.FAILED)

    services.generation_retry(generation=job)

    assert Generation.objects.filter(retry_of=job, kind=Kind.VIDEO).exists()


@pytest.mark.django_db(transaction=True)
def test_jobs_made_before_the_flag_keep_needing_the_image_they_started_from(user):
    still = OutputFactory(generation__user=user)
    executor = MigrationExecutor(connection)
    before = [("generation", "0010_generation_progress")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("generation", "Generation")
    fields = {"user_id": user.pk, "prompt": "waves", "provider": "local", "status": "failed"}
    animation = old.objects.create(kind=Kind.VIDEO, source_output_id=still.pk, **fields)
    orphaned_edit = old.objects.create(kind=Kind.EDIT, edit_operation="sepia", **fields)
    uploaded_edit = old.objects.create(
        kind=Kind.EDIT, edit_operation="sepia", source_file="sources/a.png", **fields
    )
    from_text = old.objects.create(kind=Kind.VIDEO, **fields)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    needing = Generation.objects.filter(started_from_output=True).values_list("pk", flat=True)
    assert set(needing) == {animation.pk, orphaned_edit.pk}
    assert Generation.objects.get(pk=orphaned_edit.pk).retry_refusal == SOURCE_GONE
    assert {uploaded_edit.pk, from_text.pk}.isdisjoint(needing)
