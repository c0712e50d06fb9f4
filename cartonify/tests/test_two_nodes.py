"""Two nodes on one machine sharing nothing but PostgreSQL, Redis and the object store:
two gunicorn web processes and two Celery workers, each in its own working directory
with an empty MEDIA_ROOT of its own that stays empty."""

from pathlib import Path

import httpx
import pytest

from apikeys.services import api_key_create
from billing.models import LedgerEntry
from generation.models import Generation, Status
from testing.processes import (
    celery_worker_process,
    gunicorn_process,
    stop_process,
    wait_for_http,
    wait_until,
)

pytestmark = [pytest.mark.nodes, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def node_dir(tmp_path: Path, name: str) -> Path:
    (tmp_path / name / "media").mkdir(parents=True)
    return tmp_path / name


def node_env(env: dict, home: Path, **extra) -> dict:
    return {**env, "MEDIA_ROOT": str(home / "media"), "WEB_CONCURRENCY": "1", **extra}


def files_under(homes: list[Path]) -> list[Path]:
    return [path for home in homes for path in home.rglob("*") if path.is_file()]


def status_of(job_id: int) -> str:
    return Generation.objects.values_list("status", flat=True).get(pk=job_id)


def test_a_job_submitted_on_one_node_survives_a_killed_worker_and_downloads_from_the_other(
    user, worker_env, fake_s3, tmp_path
):
    shared = {**worker_env, **fake_s3.env(), "S3_PRESIGN_SECONDS": "60"}
    homes = [node_dir(tmp_path, name) for name in ("web-a", "web-b", "worker-1", "worker-2")]
    key = api_key_create(user=user, name="script").plaintext
    auth = {"Authorization": f"Bearer {key}"}
    web_a, base_a = gunicorn_process(node_env(shared, homes[0]), cwd=homes[0])
    web_b, base_b = gunicorn_process(node_env(shared, homes[1]), cwd=homes[1])
    slow = celery_worker_process(
        node_env(shared, homes[2], GENERATION_SIMULATED_LATENCY="30"), cwd=homes[2]
    )
    other = None
    try:
        wait_for_http(f"{base_a}/healthz")
        wait_for_http(f"{base_b}/healthz")

        submitted = httpx.post(
            f"{base_a}/api/v1/images",
            json={"prompt": "two lighthouses", "count": 2},
            headers=auth,
            timeout=30,
        )
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["id"]
        assert wait_until(lambda: status_of(job_id) == Status.RUNNING, timeout=30)

        other = celery_worker_process(node_env(shared, homes[3]), cwd=homes[3])
        stop_process(slow)  # SIGKILL mid-job: its task is delivered again, to the other
        assert wait_until(lambda: status_of(job_id) == Status.SUCCEEDED, timeout=60)

        job = httpx.get(f"{base_b}/api/v1/generations/{job_id}", headers=auth, timeout=10).json()
        assert len(job["outputs"]) == 2
        stored = [fake_s3.read(name) for name in fake_s3.object_names()]
        for output in job["outputs"]:
            assert output["download_url"].startswith(base_b)
            redirect = httpx.get(output["download_url"], headers=auth, timeout=10)
            assert redirect.status_code == 302
            assert redirect.headers["Location"].startswith(fake_s3.url)
            served = httpx.get(redirect.headers["Location"], timeout=10)
            assert served.status_code == 200
            assert f"cartonify-image-{output['id']}.png" in served.headers["Content-Disposition"]
            assert served.content in stored and served.content.startswith(b"\x89PNG")
    finally:
        for process in (web_a, web_b, slow, other):
            if process is not None:
                stop_process(process)

    assert len(fake_s3.object_names()) == 2
    charges = LedgerEntry.objects.filter(reference=Generation.objects.get(pk=job_id).reference)
    assert sorted(charges.values_list("kind", flat=True)) == ["reserve"]
    assert files_under(homes) == []
