"""The rendered gallery grid is cached per user. Any change to their outputs sets a
new version token, which is part of the cache key, so a stale grid is never shown;
a lost token (eviction, restart) just starts a new one."""

import uuid

from django.core.cache import caches


def _key(user_id: int) -> str:
    return f"gallery:version:{user_id}"


def gallery_version(user_id: int) -> str:
    cache = caches["fragments"]
    version = cache.get(_key(user_id))
    if version is None:
        cache.add(_key(user_id), uuid.uuid4().hex, timeout=None)
        version = cache.get(_key(user_id)) or "uncached"
    return version


def gallery_changed(user_id: int) -> None:
    caches["fragments"].set(_key(user_id), uuid.uuid4().hex, timeout=None)
