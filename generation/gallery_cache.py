"""A version per user's gallery, for the `{% cache %}` fragment of its grid.

Any change to a user's outputs sets a new version, so a grid rendered before the change
is never shown after it; a lost version (eviction, restart) just starts a new one.
"""

import uuid

from django.core.cache import caches


def _version_key(user_id: int) -> str:
    return f"gallery:version:{user_id}"


def gallery_changed(user_id: int) -> None:
    caches["fragments"].set(_version_key(user_id), uuid.uuid4().hex, timeout=None)


def gallery_version(user_id: int) -> str:
    cache = caches["fragments"]
    version = cache.get(_version_key(user_id))
    if version is None:
        cache.add(_version_key(user_id), uuid.uuid4().hex, timeout=None)
        version = cache.get(_version_key(user_id))
    # None when Redis is down: the grid is then rendered and not cached.
    return version
