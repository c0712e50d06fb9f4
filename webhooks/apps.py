from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "API webhooks"

    def ready(self):
        from generation.signals import generation_finished, generation_started

        from . import checks, receivers  # noqa: F401 (checks registers itself)

        generation_started.connect(receivers.job_started, dispatch_uid="webhooks.job_started")
        generation_finished.connect(receivers.job_finished, dispatch_uid="webhooks.job_finished")
