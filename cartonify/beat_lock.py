"""One beat schedules at a time, however many are started.

Each beat takes a lock in the broker's Redis before its scheduler starts and renews it
while it runs. A second beat waits for that lock, so it is a standby: when the first
dies, its lock expires within BEAT_LOCK_SECONDS and the standby takes over.
A beat that cannot renew its lock exits at once rather than risk scheduling twice.
"""

import atexit
import contextlib
import logging
import os
import threading

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
    threading.Thread(target=_renew, args=(lock, seconds / 3), daemon=True).start()
    atexit.register(_release, lock)


def _renew(lock, every: float) -> None:
    stopped = threading.Event()
    while not stopped.wait(every):
        try:
            lock.reacquire()
        except redis.RedisError:  # LockError too: the lock expired or was taken
            logger.critical("this beat lost the beat lock; it stops so that only one schedules")
            os._exit(1)


def _release(lock) -> None:
    with contextlib.suppress(redis.RedisError):
        lock.release()
