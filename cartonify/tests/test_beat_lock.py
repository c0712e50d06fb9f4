"""Two beats started at once: one schedules, the other waits, and takes over when the
first is killed. Who sent each task is read from the messages in the broker."""

import json

import pytest
import redis
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from testing.processes import celery_beat_process, stop_process, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def sent_by(broker_url: str) -> list[int]:
    """Process id of the beat that sent each task waiting in the queue (no worker takes them)."""
    queued = redis.Redis.from_url(broker_url).lrange("celery", 0, -1)
    origins = (json.loads(message)["headers"]["origin"] for message in queued)
    return [int(origin.split("@")[0].removeprefix("gen")) for origin in origins]


def senders(broker_url: str) -> set[int]:
    return set(sent_by(broker_url))


@pytest.fixture
def every_second(db):
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(name="ping", task="cartonify.ping", interval=interval)


def test_only_one_of_two_beats_schedules_and_the_other_takes_over_when_it_dies(
    worker_env, every_second, tmp_path
):
    env = {**worker_env, "BEAT_LOCK_SECONDS": "4"}
    homes = [tmp_path / "beat-1", tmp_path / "beat-2"]
    for home in homes:
        home.mkdir()
    broker = worker_env["CELERY_BROKER_URL"]
    first = celery_beat_process(env, cwd=homes[0])
    second = None
    try:
        assert wait_until(lambda: senders(broker) == {first.pid}, timeout=30)
        second = celery_beat_process(env, cwd=homes[1])
        log = homes[1] / "beat.log"
        assert wait_until(lambda: "waits as its standby" in log.read_text(), timeout=30)
        # Eight more pings a second apart: twice the lock's time, the first renewing it.
        sent = len(sent_by(broker))
        assert wait_until(lambda: len(sent_by(broker)) >= sent + 8, timeout=30)
        assert senders(broker) == {first.pid}

        stop_process(first)  # SIGKILL: its lock is never released, it expires
        assert wait_until(lambda: second.pid in senders(broker), timeout=15)
    finally:
        for beat in (first, second):
            if beat is not None:
                stop_process(beat)
    assert senders(broker) == {first.pid, second.pid}


def test_a_beat_keeps_scheduling_through_a_redis_restart_that_forgets_its_lock(
    worker_env, every_second, tmp_path, private_redis
):
    env = {**worker_env, "BEAT_LOCK_SECONDS": "3"}  # renewed every second
    broker = worker_env["CELERY_BROKER_URL"]
    beat = celery_beat_process(env, cwd=tmp_path)
    try:
        assert wait_until(lambda: senders(broker) == {beat.pid}, timeout=30)

        private_redis.stop()  # it keeps nothing on disk: it comes back empty
        private_redis.start()

        # Four pings a second apart: renewals past the lock's time, and it is still there.
        assert wait_until(lambda: sent_by(broker).count(beat.pid) >= 4, timeout=30)
        assert beat.poll() is None
        assert "took it again" in (tmp_path / "beat.log").read_text()
    finally:
        stop_process(beat)
