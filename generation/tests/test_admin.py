import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing import services as billing
from generation.models import Generation, Output, OutputKind, RefusedPrompt, Status
from testing.credits import reserve
from testing.mfa import log_in_as_staff

from .factories import GenerationFactory, OutputFactory

pytestmark = pytest.mark.django_db

JOBS = reverse("admin:generation_generation_changelist")


@pytest.fixture
def staff(client, make_user):
    log_in_as_staff(client, make_user(is_staff=True, is_superuser=True))
    return client


def act(client, action, *jobs):
    data = {"action": action, "_selected_action": [job.pk for job in jobs]}
    return client.post(JOBS, data, follow=True)


def test_retry_failed_queues_a_new_job_for_the_same_user(staff, user):
    failed = GenerationFactory(user=user, status=Status.FAILED, provider="local")
    act(staff, "retry_failed", failed)
    retry = Generation.objects.get(retry_of=failed)
    assert retry.user == user and retry.prompt == failed.prompt


def test_retry_ignores_jobs_that_did_not_fail(staff, user):
    done = GenerationFactory(user=user)
    act(staff, "retry_failed", done)
    assert not Generation.objects.filter(retry_of=done).exists()


def test_retry_reports_a_user_out_of_credits(staff, user):
    failed = GenerationFactory(user=user, status=Status.FAILED)
    billing.credits_adjust(user=user, amount=-5, reason="used up", created_by=None)
    response = act(staff, "retry_failed", failed)
    assert "free generations" in response.content.decode()
    assert not Generation.objects.filter(retry_of=failed).exists()


def test_retry_reports_a_prompt_the_safety_check_now_refuses_and_records_it(staff, user, settings):
    failed = GenerationFactory(user=user, status=Status.FAILED, prompt="a grinning gargoyle")
    settings.GENERATION_SAFETY_EXTRA_TERMS = ["gargoyle"]

    response = act(staff, "retry_failed", failed)

    assert "This prompt was refused: blocked terms." in response.content.decode()
    assert not Generation.objects.filter(retry_of=failed).exists()
    assert RefusedPrompt.objects.get().user == user


def test_cancel_queued_refunds_the_reserved_credits(staff, user):
    job = GenerationFactory(user=user, status=Status.QUEUED, credits_charged=1)
    reserve(user=user, amount=1, reference=job.reference, reason="job")
    act(staff, "cancel_unfinished", job)
    job.refresh_from_db()
    assert job.status == Status.CANCELED
    assert LogEntry.objects.get(object_id=str(job.pk)).change_message == "Canceled"
    assert billing.credits_balance(user=user) == 5


def test_staff_cannot_end_a_job_from_its_change_form_without_its_refund(staff, user):
    job = GenerationFactory(user=user, status=Status.RUNNING, credits_charged=1)
    reserve(user=user, amount=1, reference=job.reference, reason="job")
    change = reverse("admin:generation_generation_change", args=[job.pk])

    assert 'name="status"' not in staff.get(change).content.decode()
    staff.post(change, {"status": Status.CANCELED, "error": "ended by hand", "user": user.pk})

    job.refresh_from_db()
    assert job.status == Status.RUNNING and job.error == ""
    assert billing.credits_balance(user=user) == 4


def test_jobs_are_not_added_by_hand(staff):
    assert staff.get(reverse("admin:generation_generation_add")).status_code == 403


def test_deleting_a_job_deletes_its_files(django_capture_on_commit_callbacks, staff):
    output = OutputFactory()
    name = output.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            JOBS,
            {
                "action": "delete_selected",
                "_selected_action": [output.generation_id],
                "post": "yes",
            },
        )
    assert not Output.objects.exists()
    assert not default_storage.exists(name)


def test_job_list_searches_prompts_and_owner_email(staff, make_user):
    GenerationFactory(prompt="a red balloon", user=make_user(email="kid@example.com"))
    GenerationFactory(prompt="a grey rock")
    by_prompt = staff.get(JOBS, {"q": "balloon"}).context["cl"].result_list
    by_email = staff.get(JOBS, {"q": "kid@"}).context["cl"].result_list
    assert [j.prompt for j in by_prompt] == [j.prompt for j in by_email] == ["a red balloon"]


@pytest.mark.parametrize(
    "params", [{"status__exact": "failed"}, {"kind__exact": "video"}, {"via__exact": "api"}]
)
def test_job_list_filters(staff, params):
    GenerationFactory(status=Status.FAILED, kind="video", via="api")
    GenerationFactory()
    assert len(staff.get(JOBS, params).context["cl"].result_list) == 1


def test_job_list_links_to_the_owner(staff, user):
    GenerationFactory(user=user)
    page = staff.get(JOBS).content.decode()
    assert reverse("admin:accounts_user_change", args=[user.pk]) in page


def test_image_and_video_lists_show_previews_and_link_to_their_job(staff):
    image = OutputFactory()
    video = OutputFactory(kind=OutputKind.VIDEO, content_type="video/mp4")
    images = staff.get(reverse("admin:generation_image_changelist")).content.decode()
    videos = staff.get(reverse("admin:generation_video_changelist")).content.decode()
    assert reverse("generation:admin_output_file", args=[image.pk]) in images
    assert reverse("admin:generation_generation_change", args=[image.generation_id]) in images
    assert "<video" in videos and reverse("generation:admin_output_file", args=[video.pk]) in videos
    assert "<video" not in images


def test_job_page_shows_its_outputs(staff):
    output = OutputFactory()
    page = staff.get(reverse("admin:generation_generation_change", args=[output.generation_id]))
    assert reverse("generation:admin_output_file", args=[output.pk]) in page.content.decode()


def progress_cells(page: str) -> list[str]:
    """The job list's progress column, top row first."""
    cells = re.findall(r'<td class="field-progress_percent">(.*?)</td>', page)
    return [cell.replace("&nbsp;", "").strip() for cell in cells]


def test_job_list_shows_progress_for_running_jobs_only(staff):
    GenerationFactory(status=Status.RUNNING, progress=45)
    GenerationFactory(status=Status.RUNNING, progress=None)
    GenerationFactory(status=Status.FAILED, progress=45)
    GenerationFactory(status=Status.SUCCEEDED, progress=100)

    page = staff.get(JOBS).content.decode()

    assert progress_cells(page) == ["", "", "", "45%"]


def test_job_list_queries_do_not_grow_with_running_jobs(staff):
    def running_jobs(count):
        GenerationFactory.create_batch(count, status=Status.RUNNING, progress=45)

    running_jobs(3)
    staff.get(JOBS)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        staff.get(JOBS)
    running_jobs(30)
    with CaptureQueriesContext(connection) as many:
        response = staff.get(JOBS)

    assert progress_cells(response.content.decode()) == ["45%"] * 33
    assert len(many) == len(few)


def test_job_page_shows_a_running_jobs_progress_and_its_last_log_line(staff):
    job = GenerationFactory(
        status=Status.RUNNING, progress=45, logs_excerpt="Drawing picture 2 of 3"
    )

    page = staff.get(reverse("admin:generation_generation_change", args=[job.pk])).text

    assert re.search(r"Progress:</label>\s*<div class=\"readonly\">45%</div>", page)
    assert "Drawing picture 2 of 3" in page


@pytest.fixture
def view_only_staff(client, make_user):
    """Staff who may look at jobs (view_generation) but not cancel or retry them."""
    member = make_user(is_staff=True)
    member.user_permissions.add(Permission.objects.get(codename="view_generation"))
    log_in_as_staff(client, member)
    return client


def test_view_only_staff_see_jobs_but_are_offered_no_job_actions(view_only_staff, user):
    GenerationFactory(user=user, status=Status.FAILED)

    page = view_only_staff.get(JOBS)

    assert page.status_code == 200
    assert "retry_failed" not in page.content.decode()
    assert "cancel_unfinished" not in page.content.decode()


def test_view_only_staff_cannot_retry_a_job_nor_charge_its_owner(view_only_staff, user):
    failed = GenerationFactory(user=user, status=Status.FAILED, provider="local")

    response = view_only_staff.post(
        JOBS, {"action": "retry_failed", "_selected_action": [failed.pk]}
    )

    assert response.status_code == 403
    assert not Generation.objects.filter(retry_of=failed).exists()
    assert billing.credits_balance(user=user) == 5
    assert not LogEntry.objects.exists()


def test_view_only_staff_cannot_cancel_a_job(view_only_staff, user):
    job = GenerationFactory(user=user, status=Status.QUEUED, credits_charged=1)
    reserve(user=user, amount=1, reference=job.reference, reason="job")

    response = view_only_staff.post(
        JOBS, {"action": "cancel_unfinished", "_selected_action": [job.pk]}
    )

    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == Status.QUEUED
    assert billing.credits_balance(user=user) == 4


def test_staff_given_manage_jobs_may_retry_and_cancel(client, make_user, user):
    member = make_user(is_staff=True)
    codenames = ["view_generation", "manage_jobs"]
    member.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    log_in_as_staff(client, member)
    failed = GenerationFactory(user=user, status=Status.FAILED, provider="local")
    queued = GenerationFactory(user=user, status=Status.QUEUED)

    act(client, "retry_failed", failed)
    act(client, "cancel_unfinished", queued)

    assert Generation.objects.filter(retry_of=failed).exists()
    queued.refresh_from_db()
    assert queued.status == Status.CANCELED
