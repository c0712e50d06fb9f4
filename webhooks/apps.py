from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "API webhooks"

    def ready(self):
        from generation.signals import generation_finished, generation_started

        from . import checks, receivers  # noqa: F401 (checks registers itself)

        generation_started.connect(
            receivers.on_generation_started, dispatch_uid="webhooks.on_generation_started"
        )
        generation_finished.connect(
            receivers.on_generation_finished, dispatch_uid="webhooks.on_generation_finished"
        )
