import base64
import io
import time
from datetime import UTC, datetime

import pytest
from PIL import Image

from generation.providers import GenerationSpec, InvalidWebhook, ProviderError, get_provider
from generation.providers.replicate import verify_webhook


@pytest.fixture
def provider(fake_replicate):
    return get_provider()


def png_bytes(size=(20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "PNG")
    return out.getvalue()


def start(provider, **fields):
    fields.setdefault("kind", "image")
    fields.setdefault("prompt", "a fox")
    return provider.start(GenerationSpec(**fields)).provider_job_id


def test_the_fixture_selects_the_replicate_provider(provider):
    assert provider.name == "replicate"


def test_start_creates_a_prediction_for_the_kinds_model(provider, fake_replicate):
    started = provider.start(
        GenerationSpec(
            kind="image", prompt="a fox", style="comic", width=1024, height=768, count=2, seed=9
        )
    )
    assert started.outcome is None
    assert started.provider_job_id in fake_replicate.predictions
    request = fake_replicate.requests[0]
    assert request.path == "/v1/models/black-forest-labs/flux-schnell/predictions"
    data = request.json["input"]
    assert data["prompt"].startswith("a fox, comic book style")
    assert (data["aspect_ratio"], data["num_outputs"], data["seed"]) == ("4:3", 2, 9)
    assert (data["width"], data["height"]) == (1024, 768)


def test_no_webhook_is_sent_without_a_webhook_url(provider, fake_replicate):
    start(provider)
    assert "webhook" not in fake_replicate.created[0]
    assert "webhook_events_filter" not in fake_replicate.created[0]


def test_the_webhook_asks_for_logs_and_completion(provider, fake_replicate):
    provider.start(
        GenerationSpec(kind="image", prompt="a fox"), webhook_url="https://example.com/hook/1"
    )
    body = fake_replicate.created[0]
    assert body["webhook"] == "https://example.com/hook/1"
    assert body["webhook_events_filter"] == ["logs", "completed"]


def test_poll_waits_while_the_model_runs_then_downloads_the_outputs(provider, fake_replicate):
    fake_replicate.polls_before_done = 2
    fake_replicate.output_size = (600, 600)  # about 1 MB each
    job = start(provider, count=2)
    assert provider.poll(job) is None
    assert provider.poll(job) is None
    outcome = provider.poll(job)
    assert outcome.status == "succeeded"
    assert [file.content for file in outcome.files] == fake_replicate.outputs(job)
    assert len(outcome.files[0].content) > 1_000_000
    first = outcome.files[0]
    assert (first.content_type, first.extension, first.width, first.height) == (
        "image/png",
        "png",
        600,
        600,
    )


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("jpeg", "image/jpeg"), ("webp", "image/webp"), ("gif", "image/gif")],
)
def test_output_types_are_sniffed_from_the_bytes(provider, fake_replicate, fmt, content_type):
    fake_replicate.output_format = fmt
    fake_replicate.output_single = True
    outcome = provider.poll(start(provider))
    assert outcome.files[0].content_type == content_type
    assert (outcome.files[0].width, outcome.files[0].height) == (64, 48)


def test_a_video_is_downloaded_as_mp4(provider, fake_replicate):
    outcome = provider.poll(start(provider, kind="video"))
    file = outcome.files[0]
    assert (file.content_type, file.extension, file.width, file.height) == (
        "video/mp4",
        "mp4",
        0,
        0,
    )
    assert fake_replicate.created[0]["input"]["prompt_optimizer"] is True


def test_an_edit_sends_the_source_image_as_a_data_uri(provider, fake_replicate):
    source = png_bytes()
    job = start(
        provider, kind="edit", prompt="make it snow", source_image=source, edit_operation="instruct"
    )
    data = fake_replicate.created[0]["input"]
    assert data["prompt"] == "make it snow"
    assert data["input_image"] == "data:image/png;base64," + base64.b64encode(source).decode()
    assert provider.poll(job).status == "succeeded"


def test_enhance_joins_the_streamed_tokens(provider, fake_replicate):
    fake_replicate.text_output = ['"A ', "fox ", "in ", "moonlight", '"']
    outcome = provider.poll(start(provider, kind="enhance"))
    assert outcome == type(outcome)("succeeded", text="A fox in moonlight")
    assert "system_prompt" in fake_replicate.created[0]["input"]


def test_a_failed_prediction_carries_the_models_error(provider, fake_replicate):
    fake_replicate.next_outcome = "failed"
    fake_replicate.error = "CUDA out of memory."
    outcome = provider.poll(start(provider))
    assert (outcome.status, outcome.error, outcome.files) == (
        "failed",
        "CUDA out of memory.",
        (),
    )


def test_a_canceled_prediction_is_canceled(provider, fake_replicate):
    fake_replicate.next_outcome = "canceled"
    outcome = provider.poll(start(provider))
    assert outcome.status == "canceled"
    assert outcome.error


@pytest.mark.parametrize("status", ["aborted", "exploded"])
def test_aborted_or_unknown_statuses_fail(provider, fake_replicate, status):
    fake_replicate.next_outcome = status
    outcome = provider.poll(start(provider))
    assert outcome.status == "failed"
    assert outcome.error


@pytest.mark.parametrize("output_status", [404, 403])
def test_an_output_that_cannot_be_fetched_is_a_permanent_error(
    provider, fake_replicate, output_status
):
    fake_replicate.output_status = output_status
    with pytest.raises(ProviderError) as caught:
        provider.poll(start(provider))
    assert caught.value.permanent
    assert str(caught.value).startswith("The generated file could not be downloaded")


def test_an_output_that_is_not_a_picture_is_a_permanent_error(provider, fake_replicate):
    fake_replicate.output_format = "garbage"
    with pytest.raises(ProviderError) as caught:
        provider.poll(start(provider))
    assert caught.value.permanent


def test_an_output_server_error_is_worth_retrying(provider, fake_replicate):
    fake_replicate.output_status = 502
    with pytest.raises(ProviderError) as caught:
        provider.poll(start(provider))
    assert not caught.value.permanent


def test_an_output_larger_than_the_limit_is_refused(provider, fake_replicate, settings):
    settings.REPLICATE_MAX_DOWNLOAD_BYTES = 10_000
    fake_replicate.output_size = (200, 200)
    with pytest.raises(ProviderError) as caught:
        provider.poll(start(provider))
    assert caught.value.permanent


def test_an_api_server_error_is_worth_retrying(provider, fake_replicate):
    job = start(provider)
    fake_replicate.api_status = 500
    with pytest.raises(ProviderError) as caught:
        provider.poll(job)
    assert not caught.value.permanent
    with pytest.raises(ProviderError) as caught:
        start(provider)
    assert not caught.value.permanent


def test_a_rejected_request_is_permanent(provider, fake_replicate):
    fake_replicate.api_status = 422
    with pytest.raises(ProviderError) as caught:
        start(provider)
    assert caught.value.permanent


def test_a_bad_token_is_permanent(fake_replicate, settings):
    settings.REPLICATE_API_TOKEN = "r8_wrong"
    with pytest.raises(ProviderError) as caught:
        start(get_provider())
    assert caught.value.permanent


def test_an_unreachable_api_is_worth_retrying(fake_replicate, settings):
    settings.REPLICATE_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(ProviderError) as caught:
        get_provider().poll("abc")
    assert not caught.value.permanent


def test_cancel_calls_the_cancel_endpoint(provider, fake_replicate):
    job = start(provider)
    provider.cancel(job)
    assert fake_replicate.canceled == [job]
    assert provider.poll(job).status == "canceled"


def test_a_failed_cancel_is_a_transient_error(provider, fake_replicate):
    fake_replicate.api_status = 404
    with pytest.raises(ProviderError) as caught:
        provider.cancel("missing")
    assert not caught.value.permanent


def test_a_webhook_payload_gives_the_same_outcome_without_asking_the_api(provider, fake_replicate):
    job = start(provider)
    payload = fake_replicate.finish(job)
    requests_before = len(fake_replicate.requests)
    outcome = provider.outcome_from_webhook(payload)
    assert [file.content for file in outcome.files] == fake_replicate.outputs(job)
    api_calls = [r for r in fake_replicate.requests[requests_before:] if r.path.startswith("/v1")]
    assert api_calls == []


def test_a_webhook_for_a_running_prediction_is_not_final(provider):
    assert provider.outcome_from_webhook({"id": "x", "status": "processing"}) is None


def test_success_without_files_is_a_failure(provider):
    outcome = provider.outcome_from_webhook({"id": "x", "status": "succeeded", "output": []})
    assert (outcome.status, outcome.error) == ("failed", "The model returned no files.")


def test_a_webhook_for_a_failure_is_a_failure(provider):
    outcome = provider.outcome_from_webhook({"id": "x", "status": "failed", "error": "boom"})
    assert (outcome.status, outcome.error) == ("failed", "boom")


def test_verify_webhook_accepts_a_correct_signature(fake_replicate):
    job = start(get_provider())
    body, headers = fake_replicate.webhook_request(job)
    payload = verify_webhook(headers, body)
    assert (payload["id"], payload["status"]) == (job, "succeeded")


def test_verify_webhook_reads_headers_in_any_case(fake_replicate):
    body = b'{"id": "x", "status": "succeeded"}'
    headers = {key.title(): value for key, value in fake_replicate.sign(body).items()}
    assert verify_webhook(headers, body)["id"] == "x"


def test_verify_webhook_rejects_a_changed_body(fake_replicate):
    body = b'{"id": "x", "status": "failed"}'
    headers = fake_replicate.sign(body)
    with pytest.raises(InvalidWebhook):
        verify_webhook(headers, body.replace(b"failed", b"succeeded"))


def test_verify_webhook_rejects_a_forged_signature(fake_replicate):
    body = b'{"id": "x"}'
    headers = fake_replicate.sign(body)
    headers["webhook-signature"] = "v1," + base64.b64encode(b"0" * 32).decode()
    with pytest.raises(InvalidWebhook):
        verify_webhook(headers, body)


def test_verify_webhook_rejects_another_secret(fake_replicate, settings):
    body = b'{"id": "x"}'
    headers = fake_replicate.sign(body)
    settings.REPLICATE_WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"another key!").decode()
    with pytest.raises(InvalidWebhook):
        verify_webhook(headers, body)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_verify_webhook_rejects_a_missing_header(fake_replicate, missing):
    body = b'{"id": "x"}'
    headers = fake_replicate.sign(body)
    del headers[missing]
    with pytest.raises(InvalidWebhook):
        verify_webhook(headers, body)


def test_verify_webhook_rejects_a_stale_timestamp(fake_replicate):
    body = b'{"id": "x"}'
    headers = fake_replicate.sign(body, timestamp=int(time.time()) - 301)
    with pytest.raises(InvalidWebhook):
        verify_webhook(headers, body)


def test_verify_webhook_tolerance_is_a_setting(fake_replicate, settings, time_machine):
    settings.REPLICATE_WEBHOOK_TOLERANCE = 3600
    body = b'{"id": "x"}'
    signed_at = int(time.time())
    headers = fake_replicate.sign(body, timestamp=signed_at)
    time_machine.move_to(datetime.fromtimestamp(signed_at + 1800, tz=UTC))
    assert verify_webhook(headers, body) == {"id": "x"}


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"\xff\xfe"])
def test_verify_webhook_rejects_a_body_that_is_not_a_json_object(fake_replicate, body):
    with pytest.raises(InvalidWebhook):
        verify_webhook(fake_replicate.sign(body), body)


def test_the_sdk_is_imported_only_by_the_replicate_package():
    from pathlib import Path

    from django.conf import settings

    import generation.providers.replicate as adapter

    adapter_dir = Path(adapter.__file__).parent
    for path in Path(settings.BASE_DIR).glob("[!.]*/**/*.py"):
        if adapter_dir not in path.parents and "tests" not in path.parts:
            source = path.read_text()
            assert "import replicate\n" not in source and "from replicate" not in source, path


@pytest.mark.parametrize(("quality", "steps"), [("standard", 2), ("high", 3), ("best", 4)])
def test_quality_sets_the_models_steps(provider, fake_replicate, quality, steps):
    provider.start(GenerationSpec(kind="image", prompt="a fox", quality=quality))
    assert fake_replicate.created[0]["input"]["num_inference_steps"] == steps


def test_auto_colour_leaves_the_colours_to_the_model(provider, fake_replicate):
    provider.start(GenerationSpec(kind="image", prompt="a fox", style="logo", color="auto"))
    prompt = fake_replicate.created[0]["input"]["prompt"]
    assert prompt.startswith("a fox, clean vector logo") and not prompt.endswith(", ")
