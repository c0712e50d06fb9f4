"""django-ratelimit's rates ("10/h") in words, for messages and pages."""

PERIODS = {"s": "a second", "m": "a minute", "h": "an hour", "d": "a day"}


def rate_parts(rate: str) -> tuple[str, str]:
    """("10", "an hour") for "10/h"."""
    count, _, period = rate.partition("/")
    return count, PERIODS.get(period[-1:], f"per {period}")
