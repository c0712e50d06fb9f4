"""The full stack for the benchmarks: a dedicated database and Redis db, gunicorn, Celery."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cartonify_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
WEB_CONCURRENCY = int(os.environ.get("BENCH_WEB_CONCURRENCY", "3"))
GUNICORN_THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "2"))
WORKER_CONCURRENCY = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "2"))
SIMULATED_LATENCY = 5.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_environment(*, media_root: str, port: int, fake_url: str) -> dict[str, str]:
    """Production-like settings (DEBUG off) on loopback, never the test databases."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
        "EMAIL_URL": "smtp://127.0.0.1:25",  # never used: no mail is sent
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
        "MEDIA_ROOT": media_root,
        "LOG_LEVEL": "WARNING",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "GENERATION_PROVIDER": "local",
        "GENERATION_SIMULATED_LATENCY": str(SIMULATED_LATENCY),
        "GENERATION_POLL_INTERVAL": "0.2",
        "WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS": "true",  # the webhook receiver is on loopback
        "REPLICATE_API_TOKEN": "r8_bench",
        "REPLICATE_BASE_URL": fake_url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WEB_CONCURRENCY),
        "GUNICORN_THREADS": str(GUNICORN_THREADS),
        "PYTHONPATH": str(ROOT),
    }


def reset_database() -> None:
    """Drop and recreate the bench database, then migrate it."""
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        check=True,
    )


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout:.0f} s")


@contextmanager
def process(args: list[str], *, env: dict, log: Path, ready=None):
    """Run a process for the block; SIGTERM (then SIGKILL) its whole group afterwards."""
    with log.open("ab") as out:
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        if ready is not None:
            ready()
        if proc.poll() is not None:
            raise RuntimeError(f"{args[0]} exited with {proc.returncode}; see {log}")
        yield proc
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def gunicorn(env: dict, log: Path, port: int):
    args = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "cartonify.wsgi:application"]
    return process(args, env=env, log=log, ready=lambda: wait_for_port(port))


def celery_worker(env: dict, log: Path):
    args = [
        str(BIN / "celery"),
        "-A",
        "cartonify",
        "worker",
        "-l",
        "warning",
        "--concurrency",
        str(WORKER_CONCURRENCY),
        "--without-gossip",
        "--without-mingle",
    ]
    return process(args, env=env, log=log, ready=lambda: time.sleep(3))


@contextmanager
def scratch_dir():
    path = tempfile.mkdtemp(prefix="cartonify-bench-")
    try:
        yield Path(path)
    finally:
        shutil.rmtree(path, ignore_errors=True)


def machine() -> str:
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} CPU, {ram:.0f} GiB"
