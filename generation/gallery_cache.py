"""The gallery page is cached whole, per user. Any change to their outputs sets a new
version token, and a page rendered at another version is rendered again, so a stale
page is never shown; a lost token (eviction, restart) just starts a new one.

A cached page holds a placeholder where the CSRF token goes and each response gets the
requester's own token. A page with messages to show is rendered, never cached: they are
for this request only."""

import functools
import hashlib
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac

PAGE_TIMEOUT = 3600


def _version_key(user_id: int) -> str:
    return f"gallery:version:{user_id}"


def gallery_changed(user_id: int) -> None:
    caches["fragments"].set(_version_key(user_id), uuid.uuid4().hex, timeout=None)


def cached_gallery_page(
    request, render: Callable[[str], str], *, variant: str | None
) -> HttpResponse:
    """The gallery page for `request`; `render(csrf_token)` renders it. Cached under
    `variant` (which filter it shows); None: this page is not cached."""
    placeholder = _csrf_placeholder()
    if variant is None or len(messages.get_messages(request)):
        html = render(placeholder)
    else:
        html = _page(request, render, placeholder, variant)
    return HttpResponse(html.replace(placeholder, get_token(request)))


def _page(request, render, placeholder: str, variant: str) -> str:
    # A page is stored with the version it was rendered at; both are read in one round trip.
    cache, user = caches["fragments"], request.user
    version_key, page_key = _version_key(user.pk), _page_key(user, variant)
    found = cache.get_many([version_key, page_key])
    version = found.get(version_key) or _start_version(user.pk)
    stored_version, html = found.get(page_key, (None, ""))
    if stored_version != version:
        html = render(placeholder)
        cache.set(page_key, (version, html), PAGE_TIMEOUT)
    return html


def _start_version(user_id: int) -> str:
    cache = caches["fragments"]
    cache.add(_version_key(user_id), uuid.uuid4().hex, timeout=None)
    return cache.get(_version_key(user_id)) or "uncached"


@functools.cache
def _csrf_placeholder() -> str:
    # The same in every process, and not something a prompt could contain by chance.
    return salted_hmac("generation.gallery.csrf-placeholder", "csrf").hexdigest()


def _page_key(user, variant: str) -> str:
    varies = f"{user.email}\n{variant}".encode()
    return f"gallery:page:{user.pk}:{hashlib.md5(varies, usedforsecurity=False).hexdigest()}"
