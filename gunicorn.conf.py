"""gunicorn settings, read from the environment so Docker and bare metal share them."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# With threads > 1 gunicorn runs gthread workers, whose heartbeat goes on while a thread
# waits: a request holding `Prefer: wait` or /api/transform (at most TRANSFORM_MAX_WAITING
# per process, up to 60 s) is never killed by this timeout. Keep GUNICORN_THREADS above
# TRANSFORM_MAX_WAITING so one thread is always free for other requests.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM, finish requests in flight before exiting.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):
    """Drop a finished worker's live gauges from the shared Prometheus directory."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
