"""One polling loop for every running remote job, whichever worker happens to run it.

A lease in the shared cache names the loop that is alive: starting a job wakes a loop
unless the lease is held, each round renews it, and a loop that finds nothing left to
watch ends. Each round is timed for the job due first, so a job started just after a
round is not left waiting for the round after next. A loop lost with its worker ends
with its lease; the next job or the sweeper starts another, and a round that finds
another loop's name in the lease stops.
"""

import threading
import time
import uuid
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

LEASE_KEY = "generation:poller"
_eager = threading.local()
EAGER_MIN_SLEEP = 0.01  # seconds: a loop waiting for a job that is not yet due never spins


def poller_wake() -> None:
    """Start a loop unless one is running."""
    loop = uuid.uuid4().hex
    if cache.add(LEASE_KEY, loop, timeout=_lease_seconds()):
        _schedule_round(loop, countdown=settings.GENERATION_POLL_INTERVAL)


def poller_continue(*, loop: str, due: datetime) -> None:
    """Schedule the loop's next round for `due`, unless another loop has taken over."""
    if cache.get(LEASE_KEY) not in (loop, None):
        return
    cache.set(LEASE_KEY, loop, timeout=_lease_seconds())
    _schedule_round(loop, countdown=poller_round_delay(due, now=timezone.now()))


def poller_round_delay(due: datetime, *, now: datetime) -> float:
    """Seconds until the round for a job due at `due`: never later than one poll
    interval, since a job started meanwhile is due an interval after it starts, and never
    sooner than a quarter of one, so jobs due close together share a round."""
    interval = settings.GENERATION_POLL_INTERVAL
    wait = (due - now).total_seconds()
    return min(max(wait, interval / 4), interval)


def poller_release_lease(*, loop: str) -> None:
    """End `loop`'s lease, so the next job starts a loop; another loop's lease is kept."""
    if cache.get(LEASE_KEY) == loop:
        cache.delete(LEASE_KEY)


def _lease_seconds() -> int:
    return int(max(60, 10 * settings.GENERATION_POLL_INTERVAL))


def _schedule_round(loop: str, *, countdown: float) -> None:
    from ..tasks import check_remote_generations

    if not check_remote_generations.app.conf.task_always_eager:
        check_remote_generations.apply_async((loop,), countdown=countdown)
        return
    # Without a broker (the embedded mode) rounds run here, one after another: a round
    # calling the next one would nest a call per round until the model finishes.
    _eager.countdown = countdown
    if getattr(_eager, "looping", False):
        _eager.again = True
        return
    _eager.looping, _eager.again = True, True
    try:
        while _eager.again:
            _eager.again = False
            time.sleep(max(_eager.countdown, EAGER_MIN_SLEEP))
            check_remote_generations.apply((loop,))
    finally:
        _eager.looping = False
