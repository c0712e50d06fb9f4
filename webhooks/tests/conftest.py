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
