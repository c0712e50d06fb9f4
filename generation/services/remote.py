"""Jobs running at a remote provider: one round of checks on many of them, callbacks,
and finishing a job from the provider's final answer.

A round asks the provider about every running job that is due (concurrently), notes
how far each has got, and hands each finished one to a `finish_generation` task, so
downloads spread over all workers while one loop does the asking.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, IntegerField, Value, When
from django.utils import timezone

from ..exceptions import StorageUnavailable
from ..models import LOGS_EXCERPT_MAX, Generation
from ..providers import ProviderError, Snapshot, get_provider
from .lifecycle import cancel_remote, check_interval, generation_complete, generation_fail
from .poller import poller_continue, poller_release_lease, poller_wake

# Jobs asked about per round; the rest wait for the next round.
ROUND_SIZE = 500
# A finished job handed to a worker is asked about again only if it is still running
# this much later (its finishing task was lost).
FINISH_GRACE = timedelta(seconds=60)
TIMED_OUT = "The model took too long to answer."


def remote_generations_poll(*, loop: str = "") -> None:
    """One round of the poller `loop`, then the next one if any remote job still runs."""
    if next_due := remote_generations_check():
        poller_continue(loop=loop, due=next_due)
        return
    poller_release_lease(loop=loop)
    # A job started between the round's last question and the lease's end would be missed.
    if Generation.objects.awaiting_provider().exists():
        poller_wake()


def remote_generations_check(*, now=None) -> datetime | None:
    """Ask about every running remote job that is due; when the next one is due, or
    None when no remote job runs."""
    now = now or timezone.now()
    due = list(
        Generation.objects.due_for_check(now)
        .order_by("next_check_at")
        .only("provider", "provider_job_id", "started_at", "created_at", "progress")[:ROUND_SIZE]
    )
    live = [job for job in due if not _timed_out(job, now)]
    for job in due:
        if job not in live:
            cancel_remote(get_provider(job.provider), job.provider_job_id)
            generation_fail(generation_id=job.pk, reason=TIMED_OUT)
    for provider_name in {job.provider for job in live}:
        jobs = [job for job in live if job.provider == provider_name]
        _check(provider_name, jobs)
    return Generation.objects.awaiting_provider().earliest_check(timezone.now())


def _timed_out(job: Generation, now) -> bool:
    started = job.started_at or job.created_at
    return (now - started).total_seconds() > settings.GENERATION_TIMEOUT


def _check(provider_name: str, jobs: list[Generation]) -> None:
    by_remote_id = {job.provider_job_id: job for job in jobs}
    snapshots = get_provider(provider_name).check(list(by_remote_id))
    now = timezone.now()
    finished = [by_remote_id[s.provider_job_id].pk for s in snapshots if s.finished]
    Generation.objects.filter(pk__in=finished).update(next_check_at=now + FINISH_GRACE)
    for snapshot in snapshots:
        if snapshot.finished:
            _hand_over(by_remote_id[snapshot.provider_job_id].pk, snapshot.payload)
    answered = {s.provider_job_id for s in snapshots}
    unanswered = [job.pk for remote_id, job in by_remote_id.items() if remote_id not in answered]
    next_check = now + timedelta(seconds=check_interval())
    Generation.objects.filter(pk__in=unanswered).update(next_check_at=next_check)
    running = [(by_remote_id[s.provider_job_id], s) for s in snapshots if not s.finished]
    _record_progress(running, next_check)


def _record_progress(running: list[tuple[Generation, Snapshot]], next_check) -> None:
    """One UPDATE for all running jobs of the round: their next check, and the progress
    of those whose bar moved."""
    moved = [(job.pk, s) for job, s in running if s.progress not in (None, job.progress)]
    fields = {"next_check_at": Value(next_check)}
    if moved:
        fields["progress"] = Case(
            *(When(pk=pk, then=Value(s.progress)) for pk, s in moved),
            default="progress",
            output_field=IntegerField(),
        )
        fields["logs_excerpt"] = Case(
            *(When(pk=pk, then=Value(s.logs_excerpt[:LOGS_EXCERPT_MAX])) for pk, s in moved),
            default="logs_excerpt",
            output_field=CharField(),
        )
    ids = [job.pk for job, _ in running]
    Generation.objects.awaiting_provider().filter(pk__in=ids).update(**fields)


def _hand_over(generation_id: int, payload: dict) -> None:
    from ..tasks import finish_generation

    finish_generation.delay(generation_id, payload)


def generation_record_callback(*, generation: Generation, payload: dict) -> None:
    """A provider's callback about `generation`: note progress now, finish in a worker."""
    if generation.is_finished or payload.get("id") != generation.provider_job_id:
        return
    try:
        snapshot = get_provider(generation.provider).snapshot(payload)
    except ProviderError:
        return  # the poller still asks
    if snapshot.finished:
        transaction.on_commit(lambda: _hand_over(generation.pk, payload))
        return
    Generation.objects.filter(pk=generation.pk).record_progress(
        snapshot.progress, snapshot.logs_excerpt
    )


def generation_finish_from_prediction(*, generation_id: int, payload: dict) -> None:
    """Finish a job from the provider's final answer (a callback's or a poll's), once."""
    generation = Generation.objects.get(pk=generation_id)
    if generation.is_finished or payload.get("id") != generation.provider_job_id:
        return
    try:
        outcome = get_provider(generation.provider).outcome_from_webhook(payload)
    except ProviderError as error:
        if error.permanent:
            generation_fail(generation_id=generation_id, reason=str(error))
            return
        _ask_again_soon(generation_id)  # a download that failed
        return
    if outcome is None:
        return
    try:
        generation_complete(generation_id=generation_id, outcome=outcome)
    except StorageUnavailable:
        _ask_again_soon(generation_id)  # the provider keeps its files for an hour


def _ask_again_soon(generation_id: int) -> None:
    """The poller's next round asks about this job again (bounded by the timeout)."""
    Generation.objects.filter(pk=generation_id).update(next_check_at=timezone.now())
    poller_wake()
