"""The hourly generation limits, counted per user in the shared cache across web and API."""

from django.conf import settings

from core.ratelimits import rate_limit

from .models import Kind

# The counter's group, the setting holding its rate, and what that rate allows.
SUBMIT_LIMIT = ("generation.submit", "GENERATION_RATE_LIMIT", "start {count} generations")
# Prompt enhancement is free, so it has a budget of its own.
ENHANCE_LIMIT = ("generation.enhance", "GENERATION_ENHANCE_RATE_LIMIT", "improve {count} prompts")


def check_generation_rate(request, *, kind: str = Kind.IMAGE) -> None:
    """Count one request for a `kind` job by request.user; raise RateLimited over the limit."""
    group, setting, allowed = ENHANCE_LIMIT if kind == Kind.ENHANCE else SUBMIT_LIMIT
    rate_limit(
        request,
        group=group,
        key="user",
        rate=getattr(settings, setting),
        allowed=allowed,
        method=["POST"],
    )
