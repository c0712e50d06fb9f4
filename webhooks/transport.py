"""The one function that sends webhooks out of our servers."""

import time
from dataclasses import dataclass

import httpx
from celery.exceptions import SoftTimeLimitExceeded

from .guard import Target
from .models import EXCERPT_LENGTH

# What went wrong when no answer came, by kind: never the socket's own error text, which
# would tell a refused port from a filtered one or a reset.
COULD_NOT_CONNECT = "Could not connect."
NO_VALID_ANSWER = "The connection ended without a valid answer."


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    latency_ms: int
    excerpt: str = ""
    error: str = ""


def post(target: Target, *, headers: dict, body: bytes, timeout: float) -> Answer:
    """POST to the checked address, never following redirects; keep only an excerpt.

    The connection goes to `target.address` (the IP the guard approved) while the Host
    header and TLS name stay the URL's, so a DNS change after the check cannot steer
    the request to another address.
    """
    url = httpx.URL(target.url)
    pinned = url.copy_with(host=target.address)
    headers = {**headers, "Host": url.netloc.decode("ascii")}
    extensions = {"sni_hostname": target.host} if target.is_https else {}
    started = time.monotonic()
    try:
        with httpx.Client(follow_redirects=False, timeout=timeout, trust_env=False) as client:
            request = client.build_request(
                "POST", pinned, headers=headers, content=body, extensions=extensions
            )
            response = client.send(request, stream=True)
            try:
                excerpt = _excerpt(response)
            finally:
                response.close()
    except SoftTimeLimitExceeded:
        return Answer(None, _since(started), error="Timed out: the answer took too long.")
    except httpx.TimeoutException:
        return Answer(None, _since(started), error=f"Timed out: no answer within {timeout:g} s.")
    except httpx.ConnectError:
        return Answer(None, _since(started), error=COULD_NOT_CONNECT)
    except httpx.HTTPError:
        return Answer(None, _since(started), error=NO_VALID_ANSWER)
    return Answer(response.status_code, _since(started), excerpt=excerpt)


def _excerpt(response: httpx.Response) -> str:
    read = b""
    for chunk in response.iter_bytes():
        read += chunk
        if len(read) >= EXCERPT_LENGTH:
            break
    return read[:EXCERPT_LENGTH].decode("utf-8", errors="replace")


def _since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
