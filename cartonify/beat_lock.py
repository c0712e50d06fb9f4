"""One beat schedules at a time, however many are started.

Each beat takes a lock in the broker's Redis before its scheduler starts and renews it
while it runs. A second beat waits for that lock, so it is a standby: when the first
dies, its lock expires within BEAT_LOCK_SECONDS and the standby takes over.
A beat whose lock another beat took, or that could not renew it before it expired,
exits at once rather than risk scheduling twice. A Redis that restarts empty forgets the
lock: the beat holding it takes it again if no other beat got there first.
"""

import atexit
import contextlib
import logging
import os
import threading
import time

import redis
from celery.signals import beat_embedded_init, beat_init
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_NAME = "cartonify:beat-lock"


@beat_init.connect
@beat_embedded_init.connect
def hold_the_beat_lock(sender, **kwargs) -> None:
    broker = sender.app.conf.broker_url or ""
    if not broker.startswith(("redis://", "rediss://")):
        return  # the embedded in-memory broker: one process, nothing to share
    seconds = settings.BEAT_LOCK_SECONDS
    lock = redis.Redis.from_url(broker).lock(
        LOCK_NAME, timeout=seconds, sleep=min(1.0, seconds / 3), thread_local=False
    )
    if not lock.acquire(blocking=False):
        logger.warning("another beat is scheduling; this one waits as its standby")
        lock.acquire(blocking=True)
    logger.info("this beat holds the beat lock and schedules")
    threading.Thread(target=_renew, args=(lock, seconds), daemon=True).start()
    atexit.register(_release, lock)


def _renew(lock, seconds: float) -> None:
    renewed = time.monotonic()
    stopped = threading.Event()
    while not stopped.wait(seconds / 3):
        try:
            _keep(lock)
            renewed = time.monotonic()
        except (redis.ConnectionError, redis.TimeoutError):
            if time.monotonic() - renewed < seconds:
                continue  # Redis is away for now, and the lock has not expired yet
            _stop()
        except redis.RedisError:  # LockError: another beat holds it
            _stop()


def _keep(lock) -> None:
    try:
        lock.reacquire()
    except redis.exceptions.LockNotOwnedError:
        if not lock.acquire(blocking=False):
            raise
        logger.warning("the beat lock was gone (Redis restarted empty?); this beat took it again")


def _stop() -> None:
    logger.critical("this beat lost the beat lock; it stops so that only one schedules")
    os._exit(1)


def _release(lock) -> None:
    with contextlib.suppress(redis.RedisError):
        lock.release()
