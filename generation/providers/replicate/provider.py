"""The Replicate provider. The only module that imports the `replicate` SDK."""

import functools
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import httpx
import replicate
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from replicate.exceptions import ReplicateError, ReplicateException
from replicate.webhook import (
    InvalidSecretKeyError,
    Webhooks,
    WebhookSigningSecret,
    WebhookValidationError,
)

from ..base import InvalidWebhook, JobSpec, Outcome, ProviderError, Started
from .inputs import build_input
from .outputs import (
    download,
    failure_outcome,
    is_text,
    output_file,
    output_urls,
    text_outcome,
)

DEFAULT_MODELS = {
    "image": "black-forest-labs/flux-schnell",
    "edit": "black-forest-labs/flux-kontext-pro",
    "video": "minimax/video-01",
    "enhance": "meta/meta-llama-3-8b-instruct",
    "inpaint": "black-forest-labs/flux-fill-pro",
    "reference": "black-forest-labs/flux-dev",
}
RUNNING = ("starting", "processing")


class ReplicateProvider:
    name = "replicate"

    def __init__(self, client: replicate.Client | None = None) -> None:
        self.client = client or _shared_client(
            getattr(settings, "REPLICATE_API_TOKEN", "") or None,
            getattr(settings, "REPLICATE_BASE_URL", "") or None,
        )
        self.models = {**DEFAULT_MODELS, **getattr(settings, "REPLICATE_MODELS", {})}

    def start(self, spec: JobSpec, *, webhook_url: str | None = None) -> Started:
        key = model_key(spec)
        target = _target(self.models[key]) if self.models.get(key) else None
        if target is None:
            raise ProviderError(f"No Replicate model is set for {key!r} jobs.", permanent=True)
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
        urls = output_urls(output)
        if self._is_text_model(payload.get("model")) or (not urls and is_text(output)):
            return text_outcome(output)
        if not urls:
            return Outcome("failed", error="The model returned no files.")
        return Outcome("succeeded", files=tuple(output_file(download(url)) for url in urls))

    def _is_text_model(self, model: object) -> bool:
        return bool(model) and str(model) == self.models["enhance"].split(":")[0]


def model_key(spec: JobSpec) -> str:
    """Which of REPLICATE_MODELS runs a job: its kind's, but inpainting and pictures made
    from a reference image have models of their own."""
    if spec.kind == "edit" and spec.edit_operation == "inpaint":
        return "inpaint"
    if spec.kind == "image" and spec.source_image:
        return "reference"
    return spec.kind


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
