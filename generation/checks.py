"""System checks that tell the operator, never the site's visitors, what the set-up lacks."""

from django.conf import settings
from django.core.checks import Warning, register


def offline_renderer_in_use() -> bool:
    return settings.GENERATION_PROVIDER == "local"


@register("generation")
def replicate_is_configured(app_configs, **kwargs):
    # Development only: `runserver` prints it at every start, where the person running
    # `make run` looks. Production choices are explicit, and `check --deploy` fails on warnings.
    if not settings.DEVELOPMENT or not offline_renderer_in_use():
        return []
    return [
        Warning(
            "Pictures come from the offline renderer, not an AI model.",
            hint="Set REPLICATE_API_TOKEN in the server's environment to use Replicate's models.",
            id="generation.W001",
        )
    ]
