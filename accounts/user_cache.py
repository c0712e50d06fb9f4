"""The signed-in user, read from Redis in front of the database.

Every signed-in request loads its user; this turns that query into one cache read.
Django still checks the session's hash against the cached user's password hash, so a
password change signs other sessions out at once. Saves, deletes and the staff
operations (which update rows directly) forget the cached copy, and a copy expires
after USER_CACHE_TIMEOUT whatever happens, so no change outlives it.
Off (always the database) when USER_CACHE_ALIAS is empty, as on the embedded
defaults, where each process would otherwise hold its own copy.
The copy holds the password hash, like the row: Redis, which already holds every
session, is trusted as much as the database.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver


def _key(user_id) -> str:
    return f"auth:user:{user_id}"


def cached_user(user_id, load: Callable):
    """The user `user_id` from the cache, or `load()` (kept when it returns a user)."""
    if not settings.USER_CACHE_ALIAS:
        return load()
    cache = caches[settings.USER_CACHE_ALIAS]
    user = cache.get(_key(user_id))
    if user is None:
        user = load()
        if user is not None:
            cache.set(_key(user_id), user, settings.USER_CACHE_TIMEOUT)
    return user


def forget_user(user_id) -> None:
    """Drop the cached copy now, and again on commit: a request that read the old row
    before the change committed may have cached it meanwhile."""
    if not settings.USER_CACHE_ALIAS:
        return
    cache = caches[settings.USER_CACHE_ALIAS]
    cache.delete(_key(user_id))
    transaction.on_commit(lambda: cache.delete(_key(user_id)))


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.user_cache.save")
@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.user_cache.delete")
def _forget_changed_user(sender, instance, **kwargs):
    forget_user(instance.pk)
