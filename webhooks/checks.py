from django.conf import settings
from django.core.checks import Error, register


@register("security", deploy=True)
def loopback_webhooks_only_in_tests(app_configs, **kwargs):
    if settings.WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS:
        return [
            Error(
                "WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS is on: webhooks could reach this server's "
                "own loopback services over plain http.",
                hint="Only tests and the benchmark set it.",
                id="webhooks.E001",
            )
        ]
    return []
