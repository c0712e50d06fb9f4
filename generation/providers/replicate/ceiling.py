"""Replicate's ceiling on prediction creations, shared by every worker through Redis.

A sliding log rather than a refilling bucket: a bucket of N tokens refilled at N per
minute lets 2N creations through in some minute, while the log guarantees that no
window of REPLICATE_CREATIONS_WINDOW seconds ever holds more than the ceiling. The
check and the record are one Lua script, so two workers cannot take the last slot
together, and Redis's clock is the only clock, so workers' clocks need not agree.

Replicate counts a creation when it arrives, somewhere between our taking its slot and
hearing its answer. So each entry of the log is scored by when its slot frees up: a
window after the answer once it is settled, and while the request is still in flight,
a window after the longest the HTTP client lets the request take (so a worker that died
mid-request cannot hold its slot for ever). A request stalled longer than the window
(a busy worker, the GIL) keeps its slot until it is answered or given back.
"""

from django.conf import settings
from django.core.cache import cache

# Cache keys: the log of creations (each scored by when its slot frees up), and the
# pause a 429 asked for.
CREATIONS_KEY = "replicate:creations"
PAUSE_KEY = "replicate:paused"

# KEYS: the log of creations, the pause a 429 asked for.
# ARGV: the ceiling, the window with its margin (ms), a unique member for this creation,
# how long the request may take at most (ms).
# Returns 0 when a slot was taken, else the milliseconds to wait before asking again: until
# the first settled slot frees up, and at most a window, since a slot still in flight frees
# up a window after its answer, which may come at any moment.
TAKE_SLOT = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local paused_until = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused_until > now then
  return paused_until - now
end
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  local held = tonumber(ARGV[4]) + window
  redis.call('ZADD', KEYS[1], now + held, ARGV[3])
  if redis.call('PTTL', KEYS[1]) < held then
    redis.call('PEXPIRE', KEYS[1], held)
  end
  return 0
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.min(math.max(tonumber(first[2]) - now, 1), window)
"""

# Free a creation's slot a window after Replicate answered: it arrived there no later, so
# a request slowed between taking its slot and arriving still counts in every window its
# arrival falls in. XX: a slot given back stays gone.
SETTLE = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window = tonumber(ARGV[2])
if redis.call('ZADD', KEYS[1], 'XX', 'CH', now + window, ARGV[1]) == 1 then
  if redis.call('PTTL', KEYS[1]) < window then
    redis.call('PEXPIRE', KEYS[1], window)
  end
end
return now
"""

# Keep the pause a 429 asked for, unless a later one is already set.
PAUSE = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local until_ms = now + tonumber(ARGV[1])
if until_ms > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], until_ms, 'PX', ARGV[1])
end
return until_ms
"""


def creation_slot_take(*, member: str, sending_for: float) -> float:
    """Take a creation slot: 0 when taken, else the seconds to wait before asking again.

    `sending_for`: the longest the creation's request can take; unless it is settled or
    returned first, its slot is held that long and a window more."""
    redis = _redis()
    if redis is None:
        return 0.0  # no shared Redis (the embedded mode): one process, nothing to share
    wait_ms = redis.eval(
        TAKE_SLOT,
        2,
        cache.make_key(CREATIONS_KEY),
        cache.make_key(PAUSE_KEY),
        settings.REPLICATE_CREATIONS_PER_MINUTE,
        _window_ms(),
        member,
        int(sending_for * 1000),
    )
    return wait_ms / 1000


def creation_slot_settle(*, member: str) -> None:
    """Free a taken slot a window after Replicate's answer, which is now."""
    if (redis := _redis()) is not None:
        redis.eval(SETTLE, 1, cache.make_key(CREATIONS_KEY), member, _window_ms())


def creation_slot_return(*, member: str) -> None:
    """Give back a slot whose creation Replicate refused: it counted nothing."""
    if (redis := _redis()) is not None:
        redis.zrem(cache.make_key(CREATIONS_KEY), member)


def creations_pause(*, seconds: float) -> None:
    """Hold every worker's creations for `seconds`, as a 429 from Replicate asked."""
    if (redis := _redis()) is not None:
        redis.eval(PAUSE, 1, cache.make_key(PAUSE_KEY), max(int(seconds * 1000), 1))


def _window_ms() -> int:
    """How long a creation keeps its slot after Replicate's answer: the window, and the
    margin as slack for Replicate timing arrivals by a clock of its own."""
    return int((settings.REPLICATE_CREATIONS_WINDOW + settings.REPLICATE_CREATIONS_MARGIN) * 1000)


def _redis():
    if "django_redis" not in settings.CACHES["default"]["BACKEND"]:
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")
