"""Jobs survive a worker killed mid-job, a broker that is down at submit time, and
servers stopped with SIGTERM."""

import os
import signal
import socket

import pytest
from django.urls import reverse

from apikeys.services import api_key_create
from billing.models import LedgerEntry
from generation import services
from generation.models import Generation, Status
from generation.services import GenerationRequest
from testing.forms import generator_form
from testing.processes import (
    ESTABLISHED,
    LISTEN,
    TcpSocket,
    celery_worker_process,
    child_pids,
    gunicorn_process,
    stop_process,
    tcp_sockets,
    wait_for_http,
    wait_until,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TWO_IMAGES = GenerationRequest(kind="image", prompt="a kite over the sea", count=2)


def status_of(job):
    return Generation.objects.values_list("status", flat=True).get(pk=job.pk)


def ledger_kinds(job):
    return sorted(
        LedgerEntry.objects.filter(reference=job.reference).values_list("kind", flat=True)
    )


def test_a_job_whose_worker_is_killed_mid_job_completes_once_on_the_next_worker(user, worker_env):
    job = services.generation_submit(user=user, request=TWO_IMAGES)
    slow = celery_worker_process({**worker_env, "GENERATION_SIMULATED_LATENCY": "30"})
    try:
        assert wait_until(lambda: status_of(job) == Status.RUNNING, timeout=30)
    finally:
        stop_process(slow)  # SIGKILL, while the provider is working

    replacement = celery_worker_process(worker_env)
    try:
        assert wait_until(lambda: status_of(job) == Status.SUCCEEDED, timeout=60)
    finally:
        stop_process(replacement)

    assert job.outputs.count() == 2
    assert ledger_kinds(job) == ["reserve"]


def test_a_job_whose_pool_process_is_killed_mid_job_runs_again_and_completes_once(user, worker_env):
    """The OOM killer's case: the worker lives on, the process running the job does not."""
    job = services.generation_submit(user=user, request=TWO_IMAGES)
    worker = celery_worker_process(
        {**worker_env, "GENERATION_SIMULATED_LATENCY": "6"}, pool="prefork"
    )
    try:
        assert wait_until(lambda: status_of(job) == Status.RUNNING, timeout=30)
        for child in child_pids(worker.pid):
            os.kill(child, signal.SIGKILL)
        assert wait_until(lambda: status_of(job) == Status.SUCCEEDED, timeout=60)
    finally:
        stop_process(worker)

    assert job.outputs.count() == 2
    assert ledger_kinds(job) == ["reserve"]


def test_a_broker_down_at_submit_time_loses_nothing(client, user, worker_env, private_broker):
    client.force_login(user)
    private_broker.stop()

    response = client.post(
        reverse("generation:generate"),
        generator_form(prompt="a lamp"),
    )

    assert response.status_code == 302
    job = Generation.objects.get(user=user)
    assert job.status == Status.QUEUED
    assert ledger_kinds(job) == ["reserve"]

    private_broker.start()
    Generation.objects.filter(pk=job.pk).update(created_at=job.created_at.replace(year=2000))
    assert services.generation_sweep() == {"requeued": 1, "failed": 0}
    worker = celery_worker_process(worker_env)
    try:
        assert wait_until(lambda: status_of(job) == Status.SUCCEEDED, timeout=60)
    finally:
        stop_process(worker)
    assert ledger_kinds(job) == ["reserve"]


def test_the_sweeper_fails_and_refunds_a_job_stuck_running_past_the_timeout(user, settings):
    from datetime import timedelta

    from django.utils import timezone

    job = services.generation_submit(user=user, request=TWO_IMAGES)
    long_ago = timezone.now() - timedelta(seconds=settings.GENERATION_TIMEOUT + 120)
    Generation.objects.filter(pk=job.pk).update(status=Status.RUNNING, started_at=long_ago)

    assert services.generation_sweep() == {"requeued": 0, "failed": 1}
    assert services.generation_sweep() == {"requeued": 0, "failed": 0}

    assert status_of(job) == Status.FAILED
    assert ledger_kinds(job) == ["refund", "reserve"]


def test_the_sweeper_is_scheduled_in_django_celery_beat(db):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks")

    assert PeriodicTask.objects.get(task="generation.sweep").enabled


def test_a_worker_stopped_with_sigterm_finishes_the_job_it_is_running(user, worker_env):
    job = services.generation_submit(user=user, request=TWO_IMAGES)
    worker = celery_worker_process({**worker_env, "GENERATION_SIMULATED_LATENCY": "3"})
    try:
        assert wait_until(lambda: status_of(job) == Status.RUNNING, timeout=30)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    finally:
        stop_process(worker)

    assert status_of(job) == Status.SUCCEEDED
    assert ledger_kinds(job) == ["reserve"]


def test_gunicorn_stopped_with_sigterm_answers_the_request_it_is_reading(user, worker_env):
    key = api_key_create(user=user, name="script").plaintext
    body = b'{"prompt": "a lighthouse at dusk", "style": "cartoon", "color": "vibrant"}'
    head = (
        "POST /api/v1/images HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Authorization: Bearer {key}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    server, base = gunicorn_process({**worker_env, "WEB_CONCURRENCY": "1"})
    try:
        wait_for_http(f"{base}/healthz")
        [worker] = child_pids(server.pid)
        port = int(base.rsplit(":", 1)[1])
        listening = TcpSocket(port, 0, LISTEN)
        assert listening in tcp_sockets(server.pid)
        with socket.create_connection(("127.0.0.1", port)) as conn:
            conn.sendall(head + body[:10])
            # The worker has taken this very connection and waits for the rest of the body...
            ours = TcpSocket(port, conn.getsockname()[1], ESTABLISHED)
            assert wait_until(lambda: ours in tcp_sockets(worker))
            server.send_signal(signal.SIGTERM)
            # ...when the server closes its listening socket to stop.
            assert wait_until(lambda: listening not in tcp_sockets(server.pid))
            conn.sendall(body[10:])
            answer = conn.makefile("rb").read()
        assert server.wait(timeout=30) == 0
    finally:
        stop_process(server)

    assert answer.startswith(b"HTTP/1.1 202")
    job = Generation.objects.get(user=user)
    assert ledger_kinds(job) == ["reserve"]
