"""The fixed-window counter behind the hourly generation limit and the per-key API limit."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from generation.ratelimits import EXPIRY_FUDGE, parse_rate, rate_hit


@pytest.mark.parametrize(
    ("rate", "expected"), [("10/h", (10, 3600)), ("120/m", (120, 60)), ("5/300s", (5, 300))]
)
def test_a_rate_is_read_in_django_ratelimits_syntax(rate, expected):
    assert parse_rate(rate) == expected


def test_a_rate_it_cannot_read_is_refused():
    with pytest.raises(ValueError, match="Not a rate"):
        parse_rate("ten an hour")


def test_hits_past_the_limit_are_limited_until_the_window_ends():
    hits = [rate_hit(group="test", key="7", rate="3/m") for _ in range(4)]

    assert [hit.count for hit in hits] == [1, 2, 3, 4]
    assert [hit.should_limit for hit in hits] == [False, False, False, True]
    assert 0 <= hits[-1].time_left <= 60


def test_each_key_is_counted_on_its_own():
    for _ in range(3):
        rate_hit(group="test", key="7", rate="3/m")

    assert not rate_hit(group="test", key="8", rate="3/m").should_limit
    assert rate_hit(group="other", key="7", rate="3/m").count == 1


def test_a_new_window_starts_from_nothing(time_machine):
    time_machine.move_to(datetime(2026, 12, 4, 12, 0, tzinfo=UTC), tick=False)
    first = rate_hit(group="test", key="7", rate="1/m")
    time_machine.shift(first.time_left + 1)

    assert rate_hit(group="test", key="7", rate="1/m").count == 1


def test_a_counter_in_redis_expires_with_its_window():
    rate_hit(group="test", key="7", rate="3/m")

    (name,) = cache.keys("rl:test:7:*")
    assert 0 < cache.ttl(name) <= 60 + EXPIRY_FUDGE
