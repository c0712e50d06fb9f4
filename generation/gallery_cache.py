"""The rendered filters and grid of a user's gallery, kept per gallery version.

Any change to a user's outputs sets a new version, so a grid rendered before the change
is never shown after it; a lost version (eviction, restart) just starts a new one. Each
grid is stored with the version it was rendered at, so one MGET reads both, and a grid
whose version is not the current one is rendered again.
"""

import uuid
from collections.abc import Callable

from django.core.cache import caches

GRID_SECONDS = 3600


def _version_key(user_id: int) -> str:
    return f"gallery:version:{user_id}"


def _grid_key(user_id: int, variant: str) -> str:
    return f"gallery:grid:{user_id}:{variant}"


def gallery_changed(user_id: int) -> None:
    caches["fragments"].set(_version_key(user_id), uuid.uuid4().hex, timeout=None)


def gallery_grid(*, user_id: int, variant: str | None, render: Callable[[], str]) -> str:
    """The grid for `variant` (None: not cached), from the cache when it was rendered at the
    gallery's current version, else from `render()`, kept for the next request."""
    if variant is None:
        return render()
    cache = caches["fragments"]
    version_key, grid_key = _version_key(user_id), _grid_key(user_id, variant)
    found = cache.get_many([version_key, grid_key])
    version, stored = found.get(version_key), found.get(grid_key)
    if version is not None and stored is not None and stored[0] == version:
        return stored[1]  # a SafeString, as rendered: pickling keeps its type
    if version is None:
        cache.add(version_key, uuid.uuid4().hex, timeout=None)
        version = cache.get(version_key)
    html = render()
    if version is not None:  # None when Redis is down: rendered, not kept
        cache.set(grid_key, (version, html), timeout=GRID_SECONDS)
    return html
