"""Live progress: the model's tqdm bars or the renderer's stages, on the card and in the API."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from generation import services
from generation.models import Generation, Status
from generation.providers import GenerationSpec, get_provider
from generation.providers.replicate.progress import progress_from_logs
from generation.services import GenerationRequest
from testing.processes import wait_until
from testing.remote_generations import running_remote_generation

BAR = " 45%|████▌     | 9/20 [00:02<00:02, 4.1it/s]"


@pytest.mark.parametrize(
    "logs,percent,excerpt",
    [
        (f"Using seed: 7\n{BAR}\n", 45, BAR.strip()),
        ("  5%|▌   | 1/20 [00:00<00:04]\n 50%|█████     | 10/20 [00:02<00:02]\n", 50, None),
        ("  5%|▌   | 1/20 [00:00<00:04]\r 90%|█████████ | 18/20 [00:04<00:00]", 90, None),
        (f"{BAR}\nsaving the output\n", 45, "saving the output"),
        ("Loading weights\n", None, "Loading weights"),
        ("", None, ""),
        (None, None, ""),
        ("100%|██████████| 20/20 [00:05<00:00, 4.0it/s]", 100, None),
    ],
)
def test_progress_is_read_from_the_last_tqdm_bar(logs, percent, excerpt):
    found, line = progress_from_logs(logs)
    assert found == percent
    if excerpt is not None:
        assert line == excerpt


def test_a_long_log_line_is_cut_short():
    _, line = progress_from_logs("x" * 5000)
    assert len(line) == 200


def test_the_offline_renderer_reports_its_real_stages():
    stages = []
    get_provider("local").start(
        GenerationSpec(kind="image", prompt="a fox", count=3, width=64, height=64),
        report=lambda percent, stage: stages.append((percent, stage)),
    )
    assert [stage for _, stage in stages] == [
        "Drawing picture 1 of 3",
        "Drawing picture 2 of 3",
        "Drawing picture 3 of 3",
    ]
    percents = [percent for percent, _ in stages]
    assert percents == sorted(percents) and percents[-1] < 100


@pytest.mark.django_db
def test_an_offline_job_ends_at_100_with_its_last_stage(user, django_capture_on_commit_callbacks):
    request = GenerationRequest(kind="image", prompt="a fox", count=2)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.generation_submit(user=user, request=request)

    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    assert job.progress == 100
    assert job.logs_excerpt == "Drawing picture 2 of 2"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_remote_job_shows_the_models_progress_as_it_runs_and_100_on_success(
    user, fake_replicate, settings, celery_worker
):
    settings.GENERATION_POLL_INTERVAL = 0.05
    fake_replicate.model_seconds = 2.0
    job = services.generation_submit(user=user, request=GenerationRequest(kind="image", prompt="a"))
    seen = set()

    def finished():
        progress, excerpt, status = Generation.objects.values_list(
            "progress", "logs_excerpt", "status"
        ).get(pk=job.pk)
        if status == Status.RUNNING and progress is not None:
            seen.add((progress, excerpt))
        return status in Generation.FINISHED

    assert wait_until(finished, timeout=30, interval=0.02)
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    assert job.progress == 100
    midway = [(p, e) for p, e in seen if 0 < p < 100]
    assert len({p for p, _ in midway}) >= 2  # the bar moved while it ran
    assert all("/20 [" in excerpt for _, excerpt in midway)


@pytest.mark.django_db
def test_one_round_checks_every_running_remote_job(user, fake_replicate, settings):
    settings.GENERATION_POLL_INTERVAL = 0
    jobs = [running_remote_generation(user) for _ in range(4)]
    fake_replicate.requests.clear()

    services.remote_generations_check()

    gets = [
        r.path for r in fake_replicate.requests if r.method == "GET" and "/files/" not in r.path
    ]
    assert sorted(gets) == sorted(f"/v1/predictions/{job.provider_job_id}" for job in jobs)
    for job in jobs:
        job.refresh_from_db()
        assert (job.status, job.progress, job.outputs.count()) == (Status.SUCCEEDED, 100, 2)


@pytest.mark.django_db
def test_a_round_skips_jobs_not_yet_due(user, fake_replicate, settings):
    settings.GENERATION_POLL_INTERVAL = 0
    job = running_remote_generation(user)
    Generation.objects.filter(pk=job.pk).update(next_check_at=timezone.now() + timedelta(hours=1))
    fake_replicate.requests.clear()

    services.remote_generations_check()

    assert fake_replicate.requests == []


@pytest.mark.django_db
def test_a_round_says_when_the_next_job_is_due(user, fake_replicate, settings):
    settings.GENERATION_POLL_INTERVAL = 2
    fake_replicate.polls_before_done = 5
    started_just_after_a_round, due_now = (
        running_remote_generation(user),
        running_remote_generation(user),
    )
    soon = timezone.now() + timedelta(seconds=0.7)
    Generation.objects.filter(pk=started_just_after_a_round.pk).update(next_check_at=soon)

    next_due = services.remote_generations_check()

    due_now.refresh_from_db()
    assert due_now.next_check_at > soon  # asked now, next in an interval
    assert next_due == soon


@pytest.mark.django_db
def test_a_round_with_no_remote_job_left_says_so(user, fake_replicate):
    assert services.remote_generations_check() is None


@pytest.mark.parametrize(
    "due_in,delay",
    [(0.3, 0.5), (1.5, 1.5), (30, 2.0), (-5, 0.5)],
    ids=["four-an-interval-at-most", "on-time", "an-interval-at-most", "overdue"],
)
def test_the_next_round_is_timed_for_the_job_due_first(settings, due_in, delay):
    settings.GENERATION_POLL_INTERVAL = 2
    now = timezone.now()

    assert services.poller_round_delay(now + timedelta(seconds=due_in), now=now) == delay


@pytest.mark.django_db
def test_with_webhooks_on_polling_is_only_a_fallback(user, fake_replicate, settings):
    settings.REPLICATE_WEBHOOK_BASE_URL = "https://cartonify.example"
    settings.GENERATION_POLL_INTERVAL = 0.5
    fake_replicate.polls_before_done = 5
    job = running_remote_generation(user)

    services.remote_generations_check()

    job.refresh_from_db()
    assert job.status == Status.RUNNING
    waits = (job.next_check_at - timezone.now()).total_seconds()
    assert 25 < waits <= settings.REPLICATE_WEBHOOK_FALLBACK_POLL


# --- Webhooks -------------------------------------------------------------------------------


@pytest.fixture
def post_logs(client, fake_replicate, django_capture_on_commit_callbacks):
    def post(job, logs: str, status: str = "processing"):
        body = json.dumps({"id": job.provider_job_id, "status": status, "logs": logs}).encode()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("generation:replicate_webhook", args=[job.pk]),
                body,
                content_type="application/json",
                headers=fake_replicate.sign(body),
            )

    return post


@pytest.mark.django_db
def test_a_logs_webhook_moves_the_bar_without_finishing_the_job(user, post_logs):
    job = running_remote_generation(user)

    response = post_logs(job, f"Using seed: 1\n{BAR}\n")

    assert response.status_code == 200
    job.refresh_from_db()
    assert (job.status, job.progress, job.logs_excerpt) == (Status.RUNNING, 45, BAR.strip())


@pytest.mark.django_db
def test_a_late_logs_webhook_never_moves_the_bar_back(user, post_logs):
    job = running_remote_generation(user)
    post_logs(job, " 80%|████████  | 16/20 [00:04<00:01]\n")

    post_logs(job, BAR)

    job.refresh_from_db()
    assert job.progress == 80


# --- Where people see it --------------------------------------------------------------------


def running_job_at(user, percent):
    job = running_remote_generation(user)
    Generation.objects.filter(pk=job.pk).update(progress=percent, logs_excerpt=BAR.strip())
    return job


@pytest.mark.django_db
def test_the_api_shows_progress_and_the_logs_excerpt(user, api, fake_replicate):
    job = running_job_at(user, 45)

    body = api.get(f"/generations/{job.pk}").json()

    assert (body["progress"], body["logs_excerpt"]) == (45, BAR.strip())


@pytest.mark.django_db
def test_the_api_shows_no_progress_before_the_model_reports(user, api):
    job = services.generation_submit(user=user, request=GenerationRequest(kind="image", prompt="a"))

    body = api.get(f"/generations/{job.pk}").json()

    assert (body["progress"], body["logs_excerpt"]) == (None, "")


@pytest.mark.django_db
def test_the_job_card_shows_a_progress_element_and_the_step(client, user, fake_replicate):
    client.force_login(user)
    job = running_job_at(user, 45)

    html = client.get(reverse("generation:job_status", args=[job.pk])).content.decode()

    assert '<progress class="job-progress" max="100" value="45"' in html
    assert "9/20" in html
    assert "style=" not in html  # the CSP allows no inline styles


@pytest.mark.django_db
def test_the_job_card_shows_the_working_bar_until_the_model_reports(client, user, fake_replicate):
    client.force_login(user)
    job = running_remote_generation(user)

    html = client.get(reverse("generation:job_status", args=[job.pk])).content.decode()

    assert "<progress" not in html
    assert 'class="progress"' in html
