"""API key authentication (`Authorization: Bearer` or the original's `X-API-Key`), the
per-key request limit and usage counting."""

import re

from django.conf import settings
from ninja.security import APIKeyHeader, HttpBearer

from apikeys import services, usage
from generation.ratelimits import rate_hit

from .errors import ApiError

KEY_GROUP = "apikeys.request"
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def endpoint_label(request) -> str:
    """`GET /images/{image_id}`: the route pattern, so ids don't split the counts."""
    match = request.resolver_match
    route = match.route if match is not None else request.path
    route = _CONVERTER.sub(r"{\1}", route)
    route = route.split("api/v1", 1)[-1]
    return f"{request.method} /{route.strip('/')}"


def authenticate_key(request, plaintext: str, *, scope: str | None = None):
    """The ApiKey for `plaintext`, with request.user set, the request counted and the
    key's rate limit and `scope` checked; None when the key is unknown or revoked."""
    api_key = services.api_key_authenticate(plaintext)
    if api_key is None:
        return None
    request.user = api_key.user
    request.api_key = api_key
    usage.usage_record(api_key_id=api_key.pk, endpoint=endpoint_label(request))
    _check_key_rate(request, api_key)
    if scope is not None and not api_key.has_scope(scope):
        raise ApiError(
            403,
            "insufficient_scope",
            f"This key lacks the `{scope}` scope. Create a key with it on the API keys page.",
            headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
            details={"required_scope": scope},
        )
    return api_key


class ApiKeyAuth(HttpBearer):
    openapi_bearerFormat = "ck_live_<prefix>_<secret>"

    def __init__(self, scope: str | None = None):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        return authenticate_key(request, token, scope=self.scope)


class ApiKeyHeaderAuth(APIKeyHeader):
    """The original service's header, for its clients."""

    param_name = "X-API-Key"

    def __init__(self, scope: str | None = None):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, key):
        return authenticate_key(request, key, scope=self.scope) if key else None


def scoped(scope: str) -> list:
    """The operation's auth: either header, with a key holding `scope`."""
    return [ApiKeyAuth(scope), ApiKeyHeaderAuth(scope)]


def _check_key_rate(request, api_key) -> None:
    rate = settings.API_KEY_RATE_LIMIT
    limit = rate_hit(group=KEY_GROUP, key=str(api_key.pk), rate=rate)
    if limit.should_limit:
        raise ApiError(
            429,
            "rate_limited",
            f"This key is limited to {rate.replace('/m', ' requests per minute')}. Slow down.",
            retry_after=limit.time_left or 1,
        )
