"""API key operations: create (shown once), authenticate, revoke; idempotent POSTs."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .exceptions import InvalidScopes
from .models import ApiKey, IdempotencyRecord, Scope, all_scopes

KEY_PREFIX = "ck_live_"
LAST_USED_RESOLUTION = timedelta(seconds=60)
IDEMPOTENCY_WINDOW = timedelta(hours=24)


class KeyLimitReached(Exception):
    pass


@dataclass(frozen=True)
class NewKey:
    api_key: ApiKey
    plaintext: str  # shown to the user once, never stored


def _digest(plaintext: str) -> str:
    secret = settings.API_KEY_HMAC_SECRET.encode()
    return hmac.new(secret, plaintext.encode(), hashlib.sha256).hexdigest()


def _split(plaintext: str) -> tuple[str, str] | None:
    if not plaintext.startswith(KEY_PREFIX):
        return None
    prefix, _, secret = plaintext.removeprefix(KEY_PREFIX).partition("_")
    if not prefix or not secret:
        return None
    return prefix, secret


def api_key_create(
    *, user, name: str, scopes: list[str] | None = None, monthly_credit_cap: int | None = None
) -> NewKey:
    """A new key with `scopes` (all of them when None) and an optional monthly cap."""
    scopes = all_scopes() if scopes is None else list(scopes)
    if set(scopes) - set(Scope.values):
        raise InvalidScopes(f"Scopes are {', '.join(Scope.values)}.")
    scopes = [scope for scope in Scope.values if scope in scopes]
    if not scopes:
        raise InvalidScopes("Choose at least one scope: a key without any could do nothing.")
    if ApiKey.objects.for_user(user).active().count() >= settings.API_KEYS_PER_USER:
        raise KeyLimitReached(
            f"You can have at most {settings.API_KEYS_PER_USER} active keys. Revoke one first."
        )
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        plaintext = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                api_key = ApiKey.objects.create(
                    user=user,
                    name=name.strip(),
                    prefix=prefix,
                    digest=_digest(plaintext),
                    scopes=scopes,
                    monthly_credit_cap=monthly_credit_cap,
                )
        except IntegrityError:
            continue  # a prefix collision: draw again
        return NewKey(api_key=api_key, plaintext=plaintext)
    raise RuntimeError("Could not draw a unique API key prefix.")


def api_key_authenticate(plaintext: str) -> ApiKey | None:
    """The active key this plaintext belongs to, or None. Constant-time digest check."""
    parts = _split(plaintext.strip())
    if parts is None:
        return None
    api_key = ApiKey.objects.select_related("user").filter(prefix=parts[0]).first()
    if api_key is None or not hmac.compare_digest(api_key.digest, _digest(plaintext.strip())):
        return None
    if not api_key.is_active or not api_key.user.is_active:
        return None
    api_key_touch(api_key=api_key)
    return api_key


def api_key_touch(*, api_key: ApiKey, now=None) -> None:
    """Record use at most once a minute: a conditional update, usually skipped in Python."""
    now = now or timezone.now()
    stale = now - LAST_USED_RESOLUTION
    if api_key.last_used_at is not None and api_key.last_used_at > stale:
        return
    ApiKey.objects.filter(pk=api_key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale)
    ).update(last_used_at=now)
    api_key.last_used_at = now


def api_key_revoke(*, api_key_id: int, user=None) -> ApiKey:
    """Revoke a key; scoped to `user` unless staff act from the admin (user=None)."""
    keys = ApiKey.objects.all() if user is None else ApiKey.objects.for_user(user)
    api_key = keys.get(pk=api_key_id)
    if api_key.revoked_at is None:
        keys.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        api_key.refresh_from_db(fields=["revoked_at"])
    return api_key


# --- Idempotency ---------------------------------------------------------------


class IdempotencyConflict(Exception):
    """The key was used before with a different request."""


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: dict


def request_fingerprint(*, method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"%s %s\n%s" % (method.encode(), path.encode(), body)).hexdigest()


def idempotent_replay(*, user, key: str, fingerprint: str) -> StoredResponse | None:
    """The stored first answer for this key, or None if there is none within 24 h."""
    record = IdempotencyRecord.objects.filter(
        user=user, key=key, created_at__gt=timezone.now() - IDEMPOTENCY_WINDOW
    ).first()
    if record is None:
        return None
    if not hmac.compare_digest(record.fingerprint, fingerprint):
        raise IdempotencyConflict("This Idempotency-Key was already used with a different request.")
    return StoredResponse(record.status_code, record.response)


def idempotent_run(*, user, api_key, key: str, fingerprint: str, action) -> StoredResponse:
    """Run `action()` (returns a StoredResponse) once per (user, key).

    The record is inserted first, in the same transaction as the action: a
    concurrent duplicate waits on the unique index until this one commits, then
    replays it; if the action raises, everything rolls back and a retry runs anew.
    """
    with transaction.atomic():
        IdempotencyRecord.objects.filter(
            user=user, key=key, created_at__lte=timezone.now() - IDEMPOTENCY_WINDOW
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=user,
                    api_key=api_key,
                    key=key,
                    fingerprint=fingerprint,
                    status_code=0,
                    response={},
                )
        except IntegrityError:
            record = None
        if record is None:
            stored = idempotent_replay(user=user, key=key, fingerprint=fingerprint)
            if stored is not None:
                return stored
            raise IdempotencyConflict("This Idempotency-Key is being used. Try again shortly.")
        stored = action()
        record.status_code = stored.status_code
        record.response = stored.body
        record.save(update_fields=["status_code", "response"])
        return stored


def idempotency_purge(*, now=None) -> int:
    now = now or timezone.now()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lte=now - IDEMPOTENCY_WINDOW).delete()
    return deleted
