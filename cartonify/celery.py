import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cartonify.settings")

app = Celery("cartonify")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="cartonify.ping")
def ping():
    return "pong"
