import base64
import secrets

import pytest

from .fake_replicate import FakeReplicate


@pytest.fixture
def fake_replicate(settings, monkeypatch):
    """A fake Replicate API on loopback, with settings pointing the real client at it.

    Sets GENERATION_PROVIDER="replicate", REPLICATE_API_TOKEN, REPLICATE_BASE_URL (also
    the REPLICATE_BASE_URL environment variable the SDK reads) and a fresh
    REPLICATE_WEBHOOK_SECRET. Yields the FakeReplicate: set its scenario attributes
    (next_outcome, polls_before_done, output_status, api_status, ...) and read its
    records (created, canceled, requests, served). `fake.webhook_request(id)` gives a
    correctly signed (body, headers) pair for the prediction's final state.
    """
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    fake = FakeReplicate(api_token="r8_fake_" + secrets.token_hex(8), webhook_secret=secret)
    enhance_model = getattr(settings, "REPLICATE_MODELS", {}).get("enhance")
    if enhance_model:
        fake.text_models.add(enhance_model.split(":")[0])
    video_model = getattr(settings, "REPLICATE_MODELS", {}).get("video")
    if video_model:
        fake.video_models.add(video_model.split(":")[0])
    with fake.running():
        settings.GENERATION_PROVIDER = "replicate"
        settings.REPLICATE_API_TOKEN = fake.api_token
        settings.REPLICATE_BASE_URL = fake.base_url
        settings.REPLICATE_WEBHOOK_SECRET = secret
        monkeypatch.setenv("REPLICATE_BASE_URL", fake.base_url)
        monkeypatch.setenv("REPLICATE_API_TOKEN", fake.api_token)
        yield fake
