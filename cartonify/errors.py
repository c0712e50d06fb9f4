"""Error pages. An outage of Redis or PostgreSQL is a 503 with a clear page, not a 500."""

import sys

from django.db import DatabaseError
from django.shortcuts import render
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

OUTAGES = (RedisConnectionError, RedisTimeoutError, DatabaseError)
RETRY_AFTER_SECONDS = 30


def _is_outage(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, OUTAGES):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request):
    # Django calls this from inside its exception handler, so the error is at hand.
    if _is_outage(sys.exc_info()[1]):
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return render(request, "500.html", status=500)
