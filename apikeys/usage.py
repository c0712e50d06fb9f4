"""Per-key, per-day, per-endpoint request counters.

The hot path is one Redis transaction (HINCRBY on the key's hash + SADD to a
"dirty" set). A periodic task moves the counts into `DailyUsage`. Readers add
the counts not flushed yet, under the same lock as the flush, so totals are
exact. Without Redis (the embedded mode) each request updates the table.
"""

import json
import uuid
from collections import defaultdict
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from .models import DailyUsage, UsageFlush

LIVE = "apikeys:usage:live:{}"
DIRTY = "apikeys:usage:dirty"
INFLIGHT = "apikeys:usage:inflight"
LOCK = "apikeys:usage:lock"

# Subtract what was flushed; drop emptied fields, and the key from the dirty set
# once its hash is empty. Atomic, so a concurrent HINCRBY is never lost.
SUBTRACT = """
for i = 1, #ARGV, 2 do
  if redis.call('HINCRBY', KEYS[1], ARGV[i], -tonumber(ARGV[i + 1])) <= 0 then
    redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
if redis.call('HLEN', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[2], KEYS[3])
end
return 0
"""


def _redis():
    """The raw client when the cache is django-redis, else None."""
    if not hasattr(cache, "client") or not hasattr(cache, "lock"):
        return None
    return cache.client.get_client(write=True)


def _key(name: str) -> str:
    return cache.make_key(name)


def usage_record(*, api_key_id: int, endpoint: str, day: date | None = None) -> None:
    day = day or timezone.now().date()
    client = _redis()
    if client is None:
        _add_to_table({(api_key_id, day, endpoint): 1})
        return
    pipe = client.pipeline(transaction=True)
    pipe.hincrby(_key(LIVE.format(api_key_id)), f"{day.isoformat()}|{endpoint}", 1)
    pipe.sadd(_key(DIRTY), api_key_id)
    pipe.execute()


def _add_to_table(counts: dict[tuple[int, date, str], int]) -> None:
    for (api_key_id, day, endpoint), count in counts.items():
        row, created = DailyUsage.objects.get_or_create(
            api_key_id=api_key_id, day=day, endpoint=endpoint, defaults={"count": count}
        )
        if not created:
            DailyUsage.objects.filter(pk=row.pk).update(count=F("count") + count)


def _live_counts(client, api_key_ids) -> dict[tuple[int, date, str], int]:
    ids = list(api_key_ids)
    pipe = client.pipeline(transaction=True)
    for api_key_id in ids:
        pipe.hgetall(_key(LIVE.format(api_key_id)))
    counts = {}
    for api_key_id, fields in zip(ids, pipe.execute(), strict=True):
        for field, value in fields.items():
            day, _, endpoint = field.decode().partition("|")
            counts[(int(api_key_id), date.fromisoformat(day), endpoint)] = int(value)
    return counts


def usage_flush() -> int:
    """Move every unflushed count into DailyUsage. Returns how many rows it touched."""
    client = _redis()
    if client is None:
        return 0
    with cache.lock(_key(LOCK), timeout=120, blocking_timeout=60):
        _recover(client)
        ids = [int(i) for i in client.smembers(_key(DIRTY))]
        counts = _live_counts(client, ids)
        if not counts:
            return 0
        batch = uuid.uuid4().hex
        client.set(_key(INFLIGHT), json.dumps({"batch": batch, "counts": _encode(counts)}))
        with transaction.atomic():
            UsageFlush.objects.create(batch=batch)
            _add_to_table(counts)
        _subtract(client, counts)
        client.delete(_key(INFLIGHT))
        return len(counts)


def _encode(counts):
    return [[k, d.isoformat(), e, n] for (k, d, e), n in counts.items()]


def _decode(rows):
    return {(k, date.fromisoformat(d), e): n for k, d, e, n in rows}


def _subtract(client, counts) -> None:
    by_key = defaultdict(list)
    for (api_key_id, day, endpoint), count in counts.items():
        by_key[api_key_id] += [f"{day.isoformat()}|{endpoint}", count]
    script = client.register_script(SUBTRACT)
    for api_key_id, args in by_key.items():
        script(keys=[_key(LIVE.format(api_key_id)), _key(DIRTY), api_key_id], args=args)


def _recover(client) -> None:
    """Finish a flush that died between its commit and subtracting from Redis."""
    raw = client.get(_key(INFLIGHT))
    if raw is None:
        return
    inflight = json.loads(raw)
    if UsageFlush.objects.filter(batch=inflight["batch"]).exists():
        _subtract(client, _decode(inflight["counts"]))
    client.delete(_key(INFLIGHT))


def usage_counts(*, api_key_ids, since: date) -> dict[tuple[int, date, str], int]:
    """Exact (key id, day, endpoint) → count from `since` on, flushed or not."""
    api_key_ids = list(api_key_ids)
    client = _redis()
    if client is None:
        return _table_counts(api_key_ids, since)
    with cache.lock(_key(LOCK), timeout=30, blocking_timeout=30):
        _recover(client)
        counts = _table_counts(api_key_ids, since)
        for (api_key_id, day, endpoint), count in _live_counts(client, api_key_ids).items():
            if day >= since:
                counts[(api_key_id, day, endpoint)] = (
                    counts.get((api_key_id, day, endpoint), 0) + count
                )
    return counts


def _table_counts(api_key_ids, since):
    rows = (
        DailyUsage.objects.filter(api_key_id__in=api_key_ids, day__gte=since)
        .values_list("api_key_id", "day", "endpoint")
        .annotate(total=Sum("count"))
    )
    return {(k, d, e): total for k, d, e, total in rows}


def usage_since(days: int) -> date:
    return timezone.now().date() - timedelta(days=days - 1)


def usage_report(*, user, days: int = 30) -> dict:
    """The last `days` days of a user's API use, per day and per key, oldest day first."""
    from .models import ApiKey

    since = usage_since(days)
    keys = list(ApiKey.objects.filter(user=user).order_by("created_at", "id"))
    counts = usage_counts(api_key_ids=[key.pk for key in keys], since=since)
    per_day = defaultdict(lambda: defaultdict(int))
    per_key = defaultdict(lambda: defaultdict(int))
    for (api_key_id, day, endpoint), count in counts.items():
        per_day[day][endpoint] += count
        per_key[api_key_id][endpoint] += count
    return {
        "since": since,
        "until": since + timedelta(days=days - 1),
        "total": sum(counts.values()),
        "days": [_day_row(since + timedelta(days=offset), per_day) for offset in range(days)],
        "keys": [_key_row(key, per_key[key.pk]) for key in keys],
    }


def _endpoints(counts: dict[str, int]) -> list[dict]:
    return [
        {"endpoint": e, "count": n} for e, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    ]


def _day_row(day, per_day) -> dict:
    counts = per_day.get(day, {})
    return {"day": day, "count": sum(counts.values()), "endpoints": _endpoints(counts)}


def _key_row(key, counts) -> dict:
    return {
        "id": key.pk,
        "name": key.name,
        "prefix": key.prefix,
        "revoked": not key.is_active,
        "count": sum(counts.values()),
        "endpoints": _endpoints(counts),
    }
