"""Replicate's ceiling on new predictions: shared by all workers, and its 429s lose nothing."""

import queue
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django_redis import get_redis_connection

from billing import services as billing
from generation import services
from generation.models import Generation, Status
from generation.providers import GenerationSpec, Throttled, get_provider
from generation.providers.replicate.ceiling import (
    creation_slot_return,
    creation_slot_settle,
    creation_slot_take,
    creations_pause,
)
from generation.providers.replicate.provider import SENDING_AT_MOST, THROTTLED_WAIT, retry_after
from generation.services import GenerationRequest
from generation.signals import generation_started
from testing.processes import celery_worker_process, stop_process, wait_until

IMAGE = GenerationRequest(kind="image", prompt="a paper boat", count=1)


def status_of(job):
    return Generation.objects.values_list("status", flat=True).get(pk=job.pk)


def take(member, *, sending_for=SENDING_AT_MOST):
    return creation_slot_take(member=member, sending_for=sending_for)


def redis_now() -> float:
    """The clock the ceiling reads: Redis's own."""
    seconds, microseconds = get_redis_connection("default").time()
    return seconds + microseconds / 1_000_000


# --- The shared log of creations -------------------------------------------------------


def test_slots_run_out_at_the_ceiling_and_say_when_one_frees_up(settings):
    settings.REPLICATE_CREATIONS_PER_MINUTE = 3
    settings.REPLICATE_CREATIONS_WINDOW = 5.0

    taken = [take(f"m{n}") for n in range(3)]
    for n in range(3):
        creation_slot_settle(member=f"m{n}")
    refused = take("m3")

    assert taken == [0, 0, 0]
    assert 5.5 < refused <= 6  # the first slot frees up a window and a margin after its answer


def test_a_slot_still_in_flight_past_the_window_is_held_until_it_is_answered(settings):
    # A request stalled longer than the window (a busy worker) has not arrived yet: giving
    # its slot away would let both arrive within one window at Replicate.
    settings.REPLICATE_CREATIONS_PER_MINUTE = 1
    settings.REPLICATE_CREATIONS_WINDOW = 0.2
    settings.REPLICATE_CREATIONS_MARGIN = 0.0
    assert take("stalled") == 0
    taken_by = redis_now()
    assert wait_until(lambda: redis_now() > taken_by + 0.2)  # a window on, by Redis's clock

    refused = take("next")

    # Still held, and the wait is at most a window (the answer may come at any moment), not
    # the whole time the request may take.
    assert 0 < refused <= 0.2


def test_a_slot_never_answered_frees_up_once_its_request_can_no_longer_arrive(settings):
    # The worker died mid-request: its slot is held as long as the request could take and
    # a window more, not for ever.
    settings.REPLICATE_CREATIONS_PER_MINUTE = 1
    settings.REPLICATE_CREATIONS_WINDOW = 0.2
    settings.REPLICATE_CREATIONS_MARGIN = 0.0
    assert take("lost", sending_for=0.3) == 0
    taken_by = redis_now()
    # Past the 0.3 s and the window, and a millisecond more: Redis scores in whole ms.
    assert wait_until(lambda: redis_now() > taken_by + 0.501)

    assert take("next") == 0


def test_a_slot_counts_from_the_providers_answer_not_from_when_it_was_taken(settings):
    # A worker slowed between its slot and its request: Replicate counts the arrival.
    settings.REPLICATE_CREATIONS_PER_MINUTE = 1
    settings.REPLICATE_CREATIONS_WINDOW = 1.0
    settings.REPLICATE_CREATIONS_MARGIN = 0.0
    assert take("slow") == 0
    time.sleep(0.6)

    creation_slot_settle(member="slow")

    assert 0.9 < take("next") <= 1.0  # not the 0.4 s left from taking


def test_a_returned_slot_is_not_brought_back_by_settling(settings):
    settings.REPLICATE_CREATIONS_PER_MINUTE = 1
    assert take("refused") == 0
    creation_slot_return(member="refused")

    creation_slot_settle(member="refused")

    assert take("next") == 0


def test_a_returned_slot_can_be_taken_again(settings):
    settings.REPLICATE_CREATIONS_PER_MINUTE = 1
    assert take("first") == 0

    creation_slot_return(member="first")

    assert take("second") == 0


def test_a_pause_holds_every_creation_until_it_ends(settings):
    creations_pause(seconds=3)

    assert 2.5 < take("any") <= 3


@pytest.mark.parametrize(
    "header,seconds",
    [("7", 7.0), ("", THROTTLED_WAIT), ("soon", THROTTLED_WAIT), ("0", THROTTLED_WAIT)],
)
def test_retry_after_reads_seconds_or_falls_back(header, seconds):
    assert retry_after(header) == seconds


def test_retry_after_reads_an_http_date():
    from datetime import UTC, datetime

    now = datetime(2026, 11, 26, 10, 0, 0, tzinfo=UTC)
    assert retry_after("Thu, 26 Nov 2026 10:00:30 GMT", now=now) == 30.0


# --- The provider ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("header", [5, None])
def test_a_429_is_a_throttle_with_the_providers_wait(fake_replicate, header):
    fake_replicate.throttle(seconds=60, retry_after=header)

    with pytest.raises(Throttled) as raised:
        get_provider("replicate").start(GenerationSpec(kind="image", prompt="a fox"))

    assert raised.value.retry_after == (header or THROTTLED_WAIT)
    assert not raised.value.permanent
    assert fake_replicate.creation_times == []
    # Every worker now waits too, without asking Replicate.
    assert take("next") > 0


@pytest.mark.django_db
def test_no_creation_is_sent_once_the_ceiling_is_reached(fake_replicate, settings):
    settings.REPLICATE_CREATIONS_PER_MINUTE = 2
    provider = get_provider("replicate")
    spec = GenerationSpec(kind="image", prompt="a fox")
    provider.start(spec)
    provider.start(spec)

    with pytest.raises(Throttled):
        provider.start(spec)

    assert len(fake_replicate.creation_times) == 2
    assert fake_replicate.throttled == []


@pytest.mark.django_db
def test_a_burst_of_2000_creations_from_several_threads_never_exceeds_the_ceiling(
    fake_replicate, settings
):
    # 600 a minute, scaled: 200 per 2 s window. 2,000 creations asked for at once by
    # several threads, each waiting as told when the ceiling refuses it. No margin: the
    # fake's log must show the ceiling itself held, not the slack a margin adds.
    ceiling, window, creations = 200, 2.0, 2000
    settings.REPLICATE_CREATIONS_PER_MINUTE = ceiling
    settings.REPLICATE_CREATIONS_WINDOW = window
    settings.REPLICATE_CREATIONS_MARGIN = 0.0
    pending = queue.SimpleQueue()
    for n in range(creations):
        pending.put(n)

    def create_until_none_pending():
        provider = get_provider("replicate")
        while True:
            try:
                pending.get_nowait()
            except queue.Empty:
                return
            while True:
                try:
                    provider.start(GenerationSpec(kind="image", prompt="a fox"))
                    break
                except Throttled as throttled:
                    time.sleep(throttled.retry_after)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for running in [pool.submit(create_until_none_pending) for _ in range(THREADS)]:
            running.result()

    assert len(fake_replicate.creation_times) == creations
    assert fake_replicate.most_created_within(window) <= ceiling
    first, last = min(fake_replicate.creation_times), max(fake_replicate.creation_times)
    assert last - first >= (creations / ceiling - 1) * window


# Enough threads to race for every slot that frees up; under load the GIL stalls some of
# their requests past the window's edge, which the ceiling must hold through too.
THREADS = 4

# --- Jobs on a real worker ---------------------------------------------------------------


@pytest.fixture
def remote_worker(fake_replicate, settings, celery_worker):
    settings.GENERATION_POLL_INTERVAL = 0.05
    fake_replicate.model_seconds = 0.2
    return fake_replicate


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("header", [1, None])
def test_a_throttled_job_waits_queued_then_runs_once_charged_once(
    user, remote_worker, header, status_history
):
    remote_worker.throttle(seconds=2.5, retry_after=header)

    job = services.generation_submit(user=user, request=IMAGE)

    assert wait_until(lambda: status_of(job) == Status.SUCCEEDED, timeout=30)
    throttles = len(remote_worker.throttled)
    assert throttles >= 1
    # Claimed, refused and put back in the queue once per 429, then claimed and done.
    queued, running, done = Status.QUEUED, Status.RUNNING, Status.SUCCEEDED
    assert status_history(job) == [queued] + [running, queued] * throttles + [running, done]
    assert len(remote_worker.creation_times) == 1
    assert billing.credits_balance(user=user) == 4  # 5 free, charged once
    assert job.outputs.count() == 1


@pytest.fixture
def starts():
    """The jobs `generation_started` was sent for, once per sending."""
    heard = []

    def count(sender, *, generation_id, **kwargs):
        heard.append(generation_id)

    generation_started.connect(count, dispatch_uid="test-count-starts")
    yield heard
    generation_started.disconnect(dispatch_uid="test-count-starts")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_throttled_job_claimed_again_is_announced_as_started_once(user, remote_worker, starts):
    remote_worker.throttle(seconds=1.5, retry_after=1)

    job = services.generation_submit(user=user, request=IMAGE)

    assert wait_until(lambda: status_of(job) == Status.SUCCEEDED, timeout=30)
    assert len(remote_worker.throttled) >= 1  # it was claimed, put back, and claimed again
    assert starts == [job.pk]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_job_throttled_past_the_queue_timeout_fails_refunded_and_never_created(
    user, remote_worker, settings
):
    # Ten minutes of 429s, scaled down: the job may wait 3 s, the provider refuses for 60.
    settings.GENERATION_QUEUE_TIMEOUT = 3
    remote_worker.throttle(seconds=60, retry_after=1)

    job = services.generation_submit(user=user, request=IMAGE)

    assert wait_until(lambda: status_of(job) == Status.FAILED, timeout=30)
    job.refresh_from_db()
    assert "too busy" in job.error
    assert remote_worker.creation_times == []
    assert len(remote_worker.throttled) >= 2  # it did try again before giving up
    assert billing.credits_balance(user=user) == 5


@pytest.mark.worker
def test_a_burst_on_two_workers_never_exceeds_the_ceiling(
    user, fake_replicate, worker_env, settings
):
    # 600 a minute, scaled: 30 per 3 s window, 150 jobs at once on two worker processes.
    ceiling, window, jobs = 30, 3.0, 150
    billing.credits_grant(user=user, amount=jobs, reason="burst", reference="test")
    fake_replicate.model_seconds = 0.3
    env = {
        **worker_env,
        "GENERATION_PROVIDER": "replicate",
        "REPLICATE_API_TOKEN": fake_replicate.api_token,
        "REPLICATE_BASE_URL": fake_replicate.base_url,
        "REPLICATE_WEBHOOK_SECRET": "",
        "REPLICATE_CREATIONS_PER_MINUTE": str(ceiling),
        "REPLICATE_CREATIONS_WINDOW": str(window),
        "GENERATION_POLL_INTERVAL": "0.1",
    }
    workers = [celery_worker_process(env) for _ in range(2)]
    try:
        submitted = [services.generation_submit(user=user, request=IMAGE) for _ in range(jobs)]
        ids = [job.pk for job in submitted]
        finished = Generation.objects.filter(pk__in=ids, status__in=Generation.FINISHED)
        assert wait_until(lambda: finished.count() == jobs, timeout=120, interval=0.5)
    finally:
        for worker in workers:
            stop_process(worker)

    assert set(finished.values_list("status", flat=True)) == {Status.SUCCEEDED}
    assert len(fake_replicate.creation_times) == jobs  # one prediction per job
    assert fake_replicate.most_created_within(window) <= ceiling
    # The ceiling is what held the burst back: it took at least four more windows.
    first, last = min(fake_replicate.creation_times), max(fake_replicate.creation_times)
    assert last - first >= (jobs / ceiling - 1) * window
