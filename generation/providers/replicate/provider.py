"""The Replicate provider. The only module that imports the `replicate` SDK."""

import functools
import json
import uuid
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
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

from ..base import (
    GenerationSpec,
    InvalidWebhook,
    Outcome,
    ProgressReport,
    ProviderError,
    Snapshot,
    Started,
    Throttled,
)
from .ceiling import (
    creation_slot_return,
    creation_slot_settle,
    creation_slot_take,
    creations_pause,
)
from .inputs import build_input
from .outputs import (
    download,
    failure_outcome,
    is_text,
    output_file,
    output_urls,
    text_outcome,
)
from .progress import progress_from_logs

DEFAULT_MODELS = {
    "image": "black-forest-labs/flux-schnell",
    "edit": "black-forest-labs/flux-kontext-pro",
    "video": "minimax/video-01",
    "enhance": "meta/meta-llama-3-8b-instruct",
    "inpaint": "black-forest-labs/flux-fill-pro",
    "reference": "black-forest-labs/flux-dev",
}
RUNNING = ("starting", "processing")
# A 429 without Retry-After: ask again this many seconds later.
THROTTLED_WAIT = 2.0
# Predictions checked at once: the poller's requests overlap instead of queueing.
CHECK_THREADS = 8
# The SDK's own timeouts, spelled out because the creation ceiling counts on them: it holds
# an unanswered creation's slot until a request could no longer be on its way (a creation
# is a POST, which the SDK never retries).
CLIENT_TIMEOUT = httpx.Timeout(5.0, read=30.0, write=30.0, connect=5.0, pool=10.0)
SENDING_AT_MOST = sum(
    (CLIENT_TIMEOUT.pool, CLIENT_TIMEOUT.connect, CLIENT_TIMEOUT.write, CLIENT_TIMEOUT.read)
)


class ReplicateProvider:
    name = "replicate"

    def __init__(self, client: replicate.Client | None = None) -> None:
        self.client = client or _shared_client(
            getattr(settings, "REPLICATE_API_TOKEN", "") or None,
            getattr(settings, "REPLICATE_BASE_URL", "") or None,
        )
        self.models = {**DEFAULT_MODELS, **getattr(settings, "REPLICATE_MODELS", {})}

    def start(
        self,
        spec: GenerationSpec,
        *,
        webhook_url: str | None = None,
        report: ProgressReport | None = None,
    ) -> Started:
        key = model_key(spec)
        target = _target(self.models[key]) if self.models.get(key) else None
        if target is None:
            raise ProviderError(f"No Replicate model is set for {key!r} jobs.", permanent=True)
        params: dict[str, Any] = {"input": build_input(spec)}
        if webhook_url:
            # "logs" too: the model's progress bars arrive as it prints them.
            params |= {"webhook": webhook_url, "webhook_events_filter": ["logs", "completed"]}
        slot = uuid.uuid4().hex
        if wait := creation_slot_take(member=slot, sending_for=SENDING_AT_MOST):
            raise Throttled("Replicate's limit on new predictions is reached.", retry_after=wait)
        try:
            with _api_errors("start the job"):
                prediction = self.client.predictions.create(**target, **params)
        except Throttled as throttled:
            creation_slot_return(member=slot)  # refused, so it counts against nothing
            creations_pause(seconds=throttled.retry_after)
            raise
        finally:
            creation_slot_settle(member=slot)
        return Started(prediction.id, None)

    def check(self, provider_job_ids: list[str]) -> list[Snapshot]:
        with ThreadPoolExecutor(max_workers=CHECK_THREADS) as pool:
            found = pool.map(self._check_one, provider_job_ids)
        return [snapshot for snapshot in found if snapshot is not None]

    def _check_one(self, provider_job_id: str) -> Snapshot | None:
        try:
            return self.snapshot(self._prediction(provider_job_id))
        except ProviderError:
            return None  # asked again at the next check

    def snapshot(self, payload: dict) -> Snapshot:
        status = payload.get("status")
        progress, excerpt = progress_from_logs(payload.get("logs"))
        if status == "succeeded":
            progress = 100
        return Snapshot(
            provider_job_id=str(payload.get("id", "")),
            finished=status not in RUNNING,
            progress=progress,
            logs_excerpt=excerpt,
            payload=payload,
        )

    def poll(self, provider_job_id: str) -> Outcome | None:
        return self._outcome(self._prediction(provider_job_id))

    def _prediction(self, provider_job_id: str) -> dict:
        return self._api("GET", f"/v1/predictions/{quote(provider_job_id, safe='')}")

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


def model_key(spec: GenerationSpec) -> str:
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
    return replicate.Client(
        api_token=api_token,
        base_url=base_url,
        timeout=CLIENT_TIMEOUT,
        event_hooks={"response": [_raise_if_throttled]},
    )


def _raise_if_throttled(response: httpx.Response) -> None:
    # The SDK's ReplicateError drops the headers, and with them Retry-After.
    if response.status_code == 429:
        wait = retry_after(response.headers.get("Retry-After", ""))
        raise Throttled("Replicate asked us to slow down (HTTP 429).", retry_after=wait)


def retry_after(header: str, *, now: datetime | None = None) -> float:
    """Seconds from a Retry-After header (seconds or an HTTP date); THROTTLED_WAIT if none."""
    header = header.strip()
    if header.isdigit():
        return max(float(header), 0.0) or THROTTLED_WAIT
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return THROTTLED_WAIT
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return seconds if seconds > 0 else THROTTLED_WAIT


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
