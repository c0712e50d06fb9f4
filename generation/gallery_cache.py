"""The gallery page is cached whole, per user. Any change to their outputs sets a new
version token, which is part of the cache key, so a stale page is never shown; a lost
token (eviction, restart) just starts a new one.

A cached page holds a placeholder where the CSRF token goes and each response gets the
requester's own token. A page with messages to show is rendered, never cached: they are
for this request only."""

import hashlib
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac

PAGE_TIMEOUT = 3600


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


def cached_gallery_page(request, render: Callable[[str], str]) -> HttpResponse:
    """The gallery page for `request`; `render(csrf_token)` renders it when not cached."""
    placeholder = _csrf_placeholder()
    key = None if len(messages.get_messages(request)) else _page_key(request)
    html = caches["fragments"].get(key) if key else None
    if html is None:
        html = render(placeholder)
        if key:
            caches["fragments"].set(key, html, PAGE_TIMEOUT)
    return HttpResponse(html.replace(placeholder, get_token(request)))


def _csrf_placeholder() -> str:
    # The same in every process, and not something a prompt could contain by chance.
    return salted_hmac("generation.gallery.csrf-placeholder", "csrf").hexdigest()


def _page_key(request) -> str:
    user = request.user
    varies = f"{user.email}\n{request.get_full_path()}".encode()
    digest = hashlib.md5(varies, usedforsecurity=False).hexdigest()
    return f"gallery:page:{user.pk}:{gallery_version(user.pk)}:{digest}"
