"""Bounded waits for a job inside a request: `/api/transform` and `Prefer: wait=N` on the
v1 POSTs share one per-process budget, so waiting requests can never take every thread."""

import re
import threading
import time
from contextlib import contextmanager

from django.conf import settings

# RFC 7240 `Prefer: wait=N`; longer asks are clamped to this (and the answer says so).
PREFER_WAIT_MAX_SECONDS = 60
_PREFER_WAIT = re.compile(r"(?:^|[,;]\s*)wait\s*=\s*\"?(\d{1,9})\"?\s*(?:[,;]|$)", re.IGNORECASE)


class WaitBudget:
    """How many requests of this process may wait for their job at once; the others are
    answered at once, without waiting."""

    def __init__(self):
        self._lock = threading.Lock()
        self.waiting = 0

    @contextmanager
    def slot(self):
        with self._lock:
            granted = self.waiting < settings.TRANSFORM_MAX_WAITING
            self.waiting += granted
        try:
            yield granted
        finally:
            with self._lock:
                self.waiting -= granted


budget = WaitBudget()


def job_wait(job, *, seconds: float) -> None:
    """Return when `job` has finished or `seconds` have passed, whichever comes first."""
    deadline = time.monotonic() + seconds
    job.refresh_from_db(fields=["status"])
    while not job.is_finished and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db(fields=["status"])


def preferred_wait(prefer: str | None) -> int | None:
    """The seconds a `Prefer` header asks to wait, clamped to 60; None when it doesn't ask."""
    match = _PREFER_WAIT.search(prefer or "")
    if match is None:
        return None
    return min(int(match.group(1)), PREFER_WAIT_MAX_SECONDS)
