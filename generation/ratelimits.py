"""The hourly generation limit, counted per user in the shared cache across web and API,
and the fixed-window counter it and the API's per-key limit count with."""

import re
import time
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

GROUP = "generation.submit"
ENHANCE_GROUP = "generation.enhance"
# django-ratelimit's syntax: "10/h", "120/m", "5/300s".
RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# A counter outlives its window a little, so a late hit never starts it again.
EXPIRY_FUDGE = 5


PERIODS = {"s": "a second", "m": "a minute", "h": "an hour", "d": "a day"}


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
        count, _, period = self.rate.partition("/")
        per = PERIODS.get(period[-1:], f"per {period}")
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
    if request.method != "POST":
        return
    rate = rate or settings.GENERATION_RATE_LIMIT
    usage = rate_hit(group=group, key=str(request.user.pk), rate=rate)
    if usage.should_limit:
        raise RateLimited(retry_after=usage.time_left or 1, rate=rate, allowed=allowed)


def check_enhance_rate(request) -> None:
    """Prompt enhancement is free, so it has a budget of its own."""
    check_generation_rate(
        request,
        group=ENHANCE_GROUP,
        rate=settings.GENERATION_ENHANCE_RATE_LIMIT,
        allowed="improve {count} prompts",
    )


@dataclass(frozen=True)
class Usage:
    count: int  # hits in the current window, this one included
    limit: int
    time_left: int  # seconds until the window ends

    @property
    def should_limit(self) -> bool:
        return self.count > self.limit


def rate_hit(*, group: str, key: str, rate: str) -> Usage:
    """Count one hit of `key` against `rate` in a fixed window, as django-ratelimit counts,
    in one round trip to Redis instead of its two (add, then increment)."""
    limit, period = parse_rate(rate)
    window_end = _window_end(key, period)
    count = _increment(f"rl:{group}:{key}:{limit}/{period}s:{window_end}", period + EXPIRY_FUDGE)
    return Usage(count=count, limit=limit, time_left=window_end - int(time.time()))


def parse_rate(rate: str) -> tuple[int, int]:
    """(hits, seconds) of a rate such as "10/h" or "5/300s"."""
    match = RATE.match(rate)
    if match is None:
        raise ValueError(f"Not a rate: {rate!r} (write it as 10/h, 120/m or 5/300s).")
    count, multiple, unit = match.groups()
    return int(count), SECONDS[unit] * int(multiple or 1)


def _window_end(key: str, period: int) -> int:
    """The end of the current window; shifted by the key, so windows don't all end at once."""
    now = int(time.time())
    end = now - now % period + zlib.crc32(key.encode()) % period
    return end + period if end < now else end


def _increment(name: str, timeout: int) -> int:
    client = _redis()
    if client is None:  # the embedded mode's local memory
        cache.add(name, 0, timeout)
        return cache.incr(name)
    # One transaction: the counter is created with its expiry or not at all, never left
    # without one by a window ending between the two commands.
    key = cache.make_key(name)
    pipe = client.pipeline(transaction=True)
    pipe.set(key, 0, ex=timeout, nx=True)
    pipe.incr(key)
    return pipe.execute()[1]


def _redis():
    """The raw client when the cache is django-redis, else None."""
    return cache.client.get_client(write=True) if hasattr(cache, "client") else None
