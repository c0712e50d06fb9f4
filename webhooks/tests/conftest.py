import base64
import hashlib
import hmac

import pytest

from testing.webhook_receiver import WebhookReceiver


@pytest.fixture
def loopback_webhooks(settings):
    """Let deliveries reach the test's http receiver on 127.0.0.1 (and nothing else new)."""
    settings.WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS = True
    settings.WEBHOOKS_RETRY_DELAYS = [0.2, 0.4, 0.8]
    settings.WEBHOOKS_TIMEOUT = 0.5
    return settings


@pytest.fixture
def receiver():
    with WebhookReceiver().running() as running:
        yield running


def replicate_style_valid(secret: str, headers: dict, body: bytes) -> bool:
    """Replicate's documented check, written out here rather than borrowed from our code:
    base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" keyed by the decoded `whsec_` secret,
    compared with each space-separated `v1,<signature>` of the header."""
    key = base64.b64decode(secret.split("_", 1)[1])
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{body.decode()}"
    expected = base64.b64encode(hmac.new(key, content.encode(), hashlib.sha256).digest())
    given = [part.split(",", 1)[1] for part in headers["webhook-signature"].split(" ")]
    return any(hmac.compare_digest(expected.decode(), sig) for sig in given)
