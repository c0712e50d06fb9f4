"""The hourly generation limit, counted per user in the shared cache across web and API."""

from django.conf import settings
from django_ratelimit.core import get_usage

from cartonify.rates import rate_parts

GROUP = "generation.submit"
ENHANCE_GROUP = "generation.enhance"


class RateLimited(Exception):
    def __init__(self, retry_after: int, rate: str, *, allowed: str = "start {count} generations"):
        super().__init__(retry_after)
        self.retry_after = retry_after  # seconds
        self.rate = rate
        self.allowed = allowed  # what the rate allows, with {count}

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        minutes = max(1, round(self.retry_after / 60))
        unit = "minute" if minutes == 1 else "minutes"
        count, per = rate_parts(self.rate)
        allowed = self.allowed.format(count=count)
        return f"You can {allowed} {per}. Try again in {minutes} {unit}."


def check_generation_rate(
    request,
    *,
    group: str = GROUP,
    rate: str | None = None,
    allowed: str = "start {count} generations",
) -> None:
    """Count one generation request for request.user; raise RateLimited over the limit."""
    rate = rate or settings.GENERATION_RATE_LIMIT
    usage = get_usage(
        request,
        group=group,
        key=lambda group, request: str(request.user.pk),
        rate=rate,
        method=["POST"],
        increment=True,
    )
    if usage and usage["should_limit"]:
        raise RateLimited(retry_after=int(usage["time_left"]) or 1, rate=rate, allowed=allowed)


def check_enhance_rate(request) -> None:
    """Prompt enhancement is free, so it has a budget of its own."""
    check_generation_rate(
        request,
        group=ENHANCE_GROUP,
        rate=settings.GENERATION_ENHANCE_RATE_LIMIT,
        allowed="improve {count} prompts",
    )
