"""The Replicate provider. The only module that imports the `replicate` SDK."""

import base64
import functools
import io
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import httpx
import replicate
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from PIL import Image
from replicate.exceptions import ReplicateError, ReplicateException
from replicate.webhook import (
    InvalidSecretKeyError,
    Webhooks,
    WebhookSigningSecret,
    WebhookValidationError,
)

from .base import InvalidWebhook, JobSpec, Outcome, OutputFile, ProviderError, Started
from .enhance import COLOR_WORDS, STYLE_WORDS

DEFAULT_MODELS = {
    "image": "black-forest-labs/flux-schnell",
    "edit": "black-forest-labs/flux-kontext-pro",
    "video": "minimax/video-01",
    "enhance": "meta/meta-llama-3-8b-instruct",
}
DEFAULT_MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
DOWNLOAD_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
MAX_TEXT_LENGTH = 1000
RUNNING = ("starting", "processing")
ASPECT_RATIOS = ("1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21")
ENHANCE_SYSTEM_PROMPT = (
    "You improve prompts for an image generator. Rewrite the user's prompt into one vivid, "
    "specific prompt of at most 80 words: keep its subject and meaning first, then add style, "
    "lighting, composition and colour details. Answer with the improved prompt only, "
    "no quotes, no preamble."
)
EDIT_INSTRUCTIONS = {
    "grayscale": "Convert this image to black and white. Keep everything else unchanged.",
    "sepia": "Give this image a warm sepia-toned vintage photo look. Keep the content unchanged.",
    "upscale": "Restore this image with finer detail and sharpness. Keep the content unchanged.",
}
# Magic numbers of the formats models return; checked before trusting any download.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"GIF8", 0, "image/gif", "gif"),
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"WEBP", 8, "image/webp", "webp"),
    (b"ftyp", 4, "video/mp4", "mp4"),
    (b"\x1a\x45\xdf\xa3", 0, "video/webm", "webm"),
)


class ReplicateProvider:
    name = "replicate"

    def __init__(self, client: replicate.Client | None = None) -> None:
        self.client = client or _shared_client(
            getattr(settings, "REPLICATE_API_TOKEN", "") or None,
            getattr(settings, "REPLICATE_BASE_URL", "") or None,
        )
        self.models = {**DEFAULT_MODELS, **getattr(settings, "REPLICATE_MODELS", {})}

    def start(self, spec: JobSpec, *, webhook_url: str | None = None) -> Started:
        target = _target(self.models[spec.kind]) if spec.kind in self.models else None
        if target is None:
            raise ProviderError(
                f"No Replicate model is set for {spec.kind!r} jobs.", permanent=True
            )
        params: dict[str, Any] = {"input": build_input(spec)}
        if webhook_url:
            params |= {"webhook": webhook_url, "webhook_events_filter": ["completed"]}
        with _api_errors("start the job"):
            prediction = self.client.predictions.create(**target, **params)
        return Started(prediction.id, None)

    def poll(self, provider_job_id: str) -> Outcome | None:
        return self._outcome(self._api("GET", f"/v1/predictions/{quote(provider_job_id, safe='')}"))

    def cancel(self, provider_job_id: str) -> None:
        try:
            self._api("POST", f"/v1/predictions/{quote(provider_job_id, safe='')}/cancel")
        except ProviderError as error:
            raise ProviderError(error.message, permanent=False) from error

    def outcome_from_webhook(self, payload: dict) -> Outcome | None:
        if not isinstance(payload, dict):
            raise ProviderError("The webhook did not carry a prediction.", permanent=True)
        return self._outcome(payload)

    def _api(self, method: str, path: str) -> dict:
        # The SDK's own Prediction model rejects statuses it does not know (such as
        # "aborted"), so predictions are read as plain JSON through its request helper.
        with _api_errors("report on the job"):
            payload = self.client._request(method, path).json()
        if not isinstance(payload, dict):
            raise ProviderError("Replicate sent an answer we could not read.", permanent=False)
        return payload

    def _outcome(self, payload: dict) -> Outcome | None:
        status = payload.get("status")
        if status in RUNNING:
            return None
        if status == "succeeded":
            return self._success(payload)
        return failure_outcome(status, payload.get("error"))

    def _success(self, payload: dict) -> Outcome:
        output = payload.get("output")
        urls = _output_urls(output)
        if self._is_text_model(payload.get("model")) or (not urls and _is_text(output)):
            return text_outcome(output)
        if not urls:
            return Outcome("failed", error="The model returned no files.")
        return Outcome("succeeded", files=tuple(output_file(_download(url)) for url in urls))

    def _is_text_model(self, model: object) -> bool:
        return bool(model) and str(model) == self.models["enhance"].split(":")[0]


@functools.lru_cache(maxsize=8)
def _shared_client(api_token: str | None, base_url: str | None) -> replicate.Client:
    # One client per process: building one costs ~50 ms (its TLS context), twice per job.
    return replicate.Client(api_token=api_token, base_url=base_url)


def _target(reference: str) -> dict[str, str]:
    """`owner/name` runs a model's latest version; `owner/name:version` pins one."""
    if ":" in reference:
        return {"version": reference.split(":", 1)[1]}
    return {"model": reference}


@contextmanager
def _api_errors(action: str) -> Iterator[None]:
    """Every failure talking to the API becomes a ProviderError; nothing else leaks out."""
    try:
        yield
    except ReplicateError as error:
        status = error.status or 0
        permanent = 400 <= status < 500 and status not in (408, 409, 425, 429)
        detail = error.detail or error.title or f"HTTP {status}"
        raise ProviderError(
            f"Replicate could not {action}: {detail}", permanent=permanent
        ) from error
    except httpx.HTTPError as error:
        raise ProviderError(
            f"Replicate could not be reached ({type(error).__name__}).", permanent=False
        ) from error
    except (ReplicateException, ValueError) as error:  # includes malformed JSON replies
        raise ProviderError(
            "Replicate sent an answer we could not read.", permanent=False
        ) from error


def failure_outcome(status: object, error: object) -> Outcome:
    if status == "canceled":
        return Outcome("canceled", error="The job was canceled.")
    if status == "failed":
        return Outcome("failed", error=_readable(error) or "The model could not make this.")
    if status == "aborted":
        return Outcome("failed", error="The model stopped this job before it finished.")
    return Outcome("failed", error=f"The model reported an unexpected status ({status!r}).")


def _readable(error: object) -> str:
    if not error:
        return ""
    text = error if isinstance(error, str) else json.dumps(error)
    return " ".join(text.split())[:500]


def text_outcome(output: object) -> Outcome:
    """Language models stream tokens; the output is a list of them to be joined."""
    if isinstance(output, list):
        text = "".join(str(token) for token in output)
    else:
        text = "" if output is None else str(output)
    text = " ".join(text.split()).strip("\"' ")[:MAX_TEXT_LENGTH]
    if not text:
        return Outcome("failed", error="The model returned no text.")
    return Outcome("succeeded", text=text)


def _is_text(output: object) -> bool:
    if isinstance(output, list):
        return bool(output) and all(isinstance(item, str) for item in output)
    return isinstance(output, str)


def _output_urls(output: object) -> list[str]:
    if isinstance(output, str):
        items: list[object] = [output]
    elif isinstance(output, list):
        items = output
    elif isinstance(output, dict):
        items = list(output.values())
    else:
        items = []
    return [item for item in items if isinstance(item, str) and _is_url(item)]


def _is_url(value: str) -> bool:
    return value.startswith(("https://", "http://", "data:"))


def _download(url: str) -> bytes:
    """Fetch one output. All outbound downloads go through here."""
    if url.startswith("data:"):
        return _decode_data_uri(url)
    limit = getattr(settings, "REPLICATE_MAX_DOWNLOAD_BYTES", DEFAULT_MAX_DOWNLOAD_BYTES)
    try:
        with _download_client().stream("GET", url) as response:
            _check_download_status(response)
            return _read_limited(response, limit)
    except httpx.HTTPError as error:
        raise ProviderError(
            f"The generated file could not be downloaded ({type(error).__name__}).", permanent=False
        ) from error


@functools.cache
def _download_client() -> httpx.Client:
    # One per process, kept: a new client builds a TLS context, about 20 ms each time.
    return httpx.Client(timeout=DOWNLOAD_TIMEOUT, follow_redirects=True)


def _check_download_status(response: httpx.Response) -> None:
    if response.status_code == 200:
        return
    message = f"The generated file could not be downloaded (HTTP {response.status_code})."
    transient = response.status_code >= 500 or response.status_code == 429
    raise ProviderError(message, permanent=not transient)


def _read_limited(response: httpx.Response, limit: int) -> bytes:
    buffer = io.BytesIO()
    for chunk in response.iter_bytes():
        buffer.write(chunk)
        if buffer.tell() > limit:
            raise ProviderError(
                "The generated file could not be downloaded: it is too large.", permanent=True
            )
    return buffer.getvalue()


def _decode_data_uri(uri: str) -> bytes:
    header, _, data = uri.partition(",")
    try:
        return (
            base64.b64decode(data, validate=True) if header.endswith(";base64") else data.encode()
        )
    except ValueError as error:
        raise ProviderError(
            "The generated file could not be downloaded: bad data URI.", permanent=True
        ) from error


def sniff(content: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's first bytes, or None if not a known format."""
    for magic, offset, content_type, extension in SIGNATURES:
        if content[offset : offset + len(magic)] == magic:
            if extension == "webp" and not content.startswith(b"RIFF"):
                continue
            return content_type, extension
    return None


def output_file(content: bytes) -> OutputFile:
    kind = sniff(content)
    if kind is None:
        raise ProviderError(
            "The generated file could not be downloaded: it is not an image or a video.",
            permanent=True,
        )
    content_type, extension = kind
    width = height = 0
    if content_type.startswith("image/"):
        width, height = _image_size(content)
    return OutputFile(content, content_type, extension, width, height)


def _image_size(content: bytes) -> tuple[int, int]:
    try:
        with Image.open(io.BytesIO(content)) as image:
            return image.size
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ProviderError(
            "The generated file could not be downloaded: the image is damaged.", permanent=True
        ) from error


def build_input(spec: JobSpec) -> dict[str, Any]:
    if spec.kind not in INPUT_BUILDERS:
        raise ProviderError(f"Unknown kind of job: {spec.kind!r}.", permanent=True)
    return INPUT_BUILDERS[spec.kind](spec)


def styled_prompt(spec: JobSpec) -> str:
    style = STYLE_WORDS.get(spec.style, spec.style)
    color = COLOR_WORDS.get(spec.color, spec.color)
    return f"{spec.prompt.strip()}, {style}, {color}"


def aspect_ratio(width: int, height: int) -> str:
    """The supported ratio nearest to width:height (flux models take a ratio, not pixels)."""

    def distance(ratio: str) -> float:
        w, h = (int(part) for part in ratio.split(":"))
        return abs(w / h - width / max(height, 1))

    return min(ASPECT_RATIOS, key=distance)


def _image_input(spec: JobSpec) -> dict[str, Any]:
    data: dict[str, Any] = {
        "prompt": styled_prompt(spec),
        "aspect_ratio": aspect_ratio(spec.width, spec.height),
        "width": spec.width,
        "height": spec.height,
        "num_outputs": spec.count,
        "output_format": "png",
    }
    return _with_common(data, spec)


def _edit_input(spec: JobSpec) -> dict[str, Any]:
    if not spec.source_image:
        raise ProviderError("There is no image to edit.", permanent=True)
    data: dict[str, Any] = {
        "prompt": edit_instruction(spec),
        "input_image": data_uri(spec.source_image),
        "aspect_ratio": "match_input_image",
        "output_format": "png",
    }
    return _with_common(data, spec)


def edit_instruction(spec: JobSpec) -> str:
    if spec.edit_operation == "instruct":
        return spec.prompt.strip()
    if spec.edit_operation in EDIT_INSTRUCTIONS:
        return EDIT_INSTRUCTIONS[spec.edit_operation]
    style = STYLE_WORDS.get(spec.style, spec.style)
    color = COLOR_WORDS.get(spec.color, spec.color)
    extra = f" {spec.prompt.strip()}" if spec.prompt.strip() else ""
    return f"Turn this image into a picture in this style: {style}, with {color}.{extra}"


def _video_input(spec: JobSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"prompt": styled_prompt(spec), "prompt_optimizer": True}
    if spec.source_image:
        data["first_frame_image"] = data_uri(spec.source_image)
    return data


def _enhance_input(spec: JobSpec) -> dict[str, Any]:
    style = STYLE_WORDS.get(spec.style, spec.style)
    return {
        "prompt": f"Prompt: {spec.prompt.strip()}\nPreferred look: {style}.",
        "system_prompt": ENHANCE_SYSTEM_PROMPT,
        "max_tokens": 300,
        "temperature": 0.7,
    }


def _with_common(data: dict[str, Any], spec: JobSpec) -> dict[str, Any]:
    if spec.seed is not None:
        data["seed"] = spec.seed
    if spec.negative_prompt.strip():
        data["negative_prompt"] = spec.negative_prompt.strip()
    return data


def data_uri(content: bytes) -> str:
    content_type = (sniff(content) or ("application/octet-stream", ""))[0]
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


INPUT_BUILDERS = {
    "image": _image_input,
    "edit": _edit_input,
    "video": _video_input,
    "enhance": _enhance_input,
}


def verify_webhook(headers: Mapping[str, str], body: bytes) -> dict:
    """Check a webhook's signature and age with the SDK's validator; return its JSON."""
    secret = getattr(settings, "REPLICATE_WEBHOOK_SECRET", "")
    if not secret:
        raise ImproperlyConfigured("REPLICATE_WEBHOOK_SECRET is not set.")
    tolerance = int(getattr(settings, "REPLICATE_WEBHOOK_TOLERANCE", 300))
    lowered = {key.lower(): value for key, value in headers.items()}
    try:
        text = body.decode("utf-8")
        Webhooks.validate(
            headers=lowered,
            body=text,
            secret=WebhookSigningSecret(key=secret),
            tolerance=tolerance,
        )
    except InvalidSecretKeyError as error:
        raise ImproperlyConfigured("REPLICATE_WEBHOOK_SECRET is not a whsec_ key.") from error
    except (
        WebhookValidationError,
        ValueError,
    ) as error:  # ValueError: bad base64, timestamp, UTF-8
        raise InvalidWebhook(str(error) or type(error).__name__) from error
    return _json_object(text)


def _json_object(text: str) -> dict:
    try:
        payload = json.loads(text)
    except ValueError as error:
        raise InvalidWebhook("The webhook body is not JSON.") from error
    if not isinstance(payload, dict):
        raise InvalidWebhook("The webhook body is not a JSON object.")
    return payload
