import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cartonify.settings")

app = Celery("cartonify")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from . import beat_lock  # noqa: E402, F401 (connects the signal: one beat schedules at a time)


@app.task(name="cartonify.ping")
def ping(token: str = "") -> str:
    """Proves the wiring: a worker that runs this leaves `token` in the shared cache."""
    if token:
        from django.core.cache import cache

        cache.set(f"celery:ping:{token}", "pong", timeout=60)
    return "pong"
