"""Every request limit of the site, counted in the shared cache by django-ratelimit."""

from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from .exceptions import ApplicationError

PERIODS = {"s": "a second", "m": "a minute", "h": "an hour", "d": "a day"}


class RateLimited(ApplicationError):
    status = 429
    code = "rate_limited"

    def __init__(self, retry_after: int, rate: str, *, allowed: str):
        self.retry_after = retry_after  # seconds
        self.rate = rate
        self.allowed = allowed  # what the rate allows, with {count}
        super().__init__(self._refusal(), headers={"Retry-After": str(retry_after)})

    def _refusal(self) -> str:
        minutes = max(1, round(self.retry_after / 60))
        unit = "minute" if minutes == 1 else "minutes"
        count, per = rate_parts(self.rate)
        allowed = self.allowed.format(count=count)
        return f"You can {allowed} {per}. Try again in {minutes} {unit}."


def rate_parts(rate: str) -> tuple[str, str]:
    """("10", "an hour") for "10/h", for messages and pages."""
    count, _, period = rate.partition("/")
    return count, PERIODS.get(period[-1:], f"per {period}")


def rate_limit(request, *, group: str, key, rate: str, allowed: str, method=ALL) -> None:
    """Count this request in `group` for `key` (django-ratelimit's key: "user", a callable);
    raise RateLimited, saying what `rate` allows, once it is past the rate."""
    usage = get_usage(request, group=group, key=key, rate=rate, method=method, increment=True)
    if usage and usage["should_limit"]:
        raise RateLimited(int(usage["time_left"]) or 1, rate, allowed=allowed)
