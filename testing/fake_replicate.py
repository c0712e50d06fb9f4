"""A fake Replicate API on loopback for tests; the real `replicate` client talks to it.

Use it through the `fake_replicate` fixture (the root conftest.py). Scenarios are
plain attributes, set before the provider asks:

    fake_replicate.polls_before_done = 2     # "processing" twice, then final
    fake_replicate.next_outcome = "failed"   # or "canceled", "aborted", any other status
    fake_replicate.output_status = 404       # output URLs answer 404
    fake_replicate.output_size = (600, 600)  # ~1 MB of incompressible PNG per output
    fake_replicate.api_status = 500          # every /v1 call fails with this status
    fake_replicate.model_seconds = 5.0       # final 5 s after creation, whatever the polls
    fake_replicate.throttle(seconds=3, retry_after=1)  # creations answer 429 for 3 s

and what happened is recorded: `created` (request bodies of new predictions),
`creation_times` (time.time() of each prediction made), `throttled` (creations
answered 429), `canceled` (ids), `requests` (every request), `served` (URL -> bytes
of outputs). Running predictions print tqdm bars in `logs`, as Replicate's models do.
"""

import base64
import hashlib
import hmac
import io
import json
import random
import re
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image

DEFAULT_TOKENS = ["A ", "whimsical ", "cartoon ", "scene", ", ", "soft ", "golden ", "light"]
MP4_HEADER = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def sign_webhook(secret: str, webhook_id: str, timestamp: int | str, body: bytes) -> dict[str, str]:
    """Headers Replicate would send with `body`, signed with a `whsec_...` secret."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{signature}",
    }


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    json: Any = None


@dataclass
class FakeReplicate:
    api_token: str
    webhook_secret: str
    text_models: set[str] = field(default_factory=lambda: {"meta/meta-llama-3-8b-instruct"})
    video_models: set[str] = field(default_factory=lambda: {"minimax/video-01"})
    # Scenario knobs.
    next_outcome: str = "succeeded"
    polls_before_done: int = 0
    error: str = "The model crashed while making this."
    output_status: int = 200
    output_size: tuple[int, int] = (64, 48)
    output_format: str = "png"  # png, jpeg, webp, gif, mp4, or "garbage" (not a picture)
    output_count: int | None = None  # None: the request's num_outputs, else 1
    output_single: bool = False  # output is one URL rather than a list of them
    text_output: list[str] | None = None  # tokens for text models; None: DEFAULT_TOKENS
    api_status: int | None = None
    model_seconds: float | None = None  # None: final after `polls_before_done` polls
    log_steps: int = 20  # steps of the tqdm bar a running prediction prints
    throttled_until: float = 0.0  # time.time() before which creations answer 429
    retry_after: int | None = None  # the Retry-After header of those 429s, if any
    # Records.
    requests: list[Recorded] = field(default_factory=list)
    predictions: dict[str, dict] = field(default_factory=dict)
    canceled: list[str] = field(default_factory=list)
    creation_times: list[float] = field(default_factory=list)
    throttled: list[float] = field(default_factory=list)
    served: dict[str, bytes] = field(default_factory=dict)
    base_url: str = ""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    @property
    def created(self) -> list[dict]:
        """Bodies of the prediction-creating requests, oldest first."""
        return [
            r.json for r in self.requests if r.method == "POST" and r.path.endswith("/predictions")
        ]

    @contextmanager
    def running(self):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.fake = self  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        # A short poll interval: shutdown() waits up to one interval.
        thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()

    # --- For tests -----------------------------------------------------------------

    def throttle(self, *, seconds: float, retry_after: int | None = None) -> None:
        """Answer prediction creations with 429 for `seconds` from now."""
        with self._lock:
            self.throttled_until = time.time() + seconds
            self.retry_after = retry_after

    def most_created_within(self, window: float) -> int:
        """The most predictions created within any `window` seconds (a sliding window)."""
        times = sorted(self.creation_times)
        most, first = 0, 0
        for last, when in enumerate(times):
            while when - times[first] >= window:
                first += 1
            most = max(most, last - first + 1)
        return most

    def finish(self, prediction_id: str, outcome: str | None = None) -> dict:
        """Bring a prediction to its final state now; returns its JSON."""
        with self._lock:
            prediction = self.predictions[prediction_id]
            if prediction["status"] in ("starting", "processing"):
                self._finish(prediction, outcome or self.next_outcome)
            return json.loads(json.dumps(prediction))

    def webhook_request(
        self, prediction_id: str, *, webhook_id: str | None = None, timestamp: int | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """The final prediction as a signed webhook (body, headers), as Replicate sends it."""
        body = json.dumps(self.finish(prediction_id)).encode()
        return body, self.sign(body, webhook_id=webhook_id, timestamp=timestamp)

    def sign(
        self, body: bytes, *, webhook_id: str | None = None, timestamp: int | None = None
    ) -> dict[str, str]:
        """Webhook headers for any body, signed with this fake's secret."""
        stamp = int(time.time()) if timestamp is None else timestamp
        return sign_webhook(
            self.webhook_secret, webhook_id or f"msg_{uuid.uuid4().hex}", stamp, body
        )

    def outputs(self, prediction_id: str) -> list[bytes]:
        """The bytes served for a prediction's outputs, in output order."""
        output = self.predictions[prediction_id].get("output") or []
        return [self.served[url] for url in ([output] if isinstance(output, str) else output)]

    # --- The API ---------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: dict, body: Any) -> tuple[int, Any, dict]:
        with self._lock:
            self.requests.append(Recorded(method, path, headers, body))
            if path.startswith("/files/"):
                return self._file(path)
            if headers.get("authorization") != f"Bearer {self.api_token}":
                return _problem(401, "Unauthenticated", "Invalid API token")
            if self.api_status is not None:
                return _problem(self.api_status, "Server error", "The fake was told to fail.")
            if _creates(method, path) and time.time() < self.throttled_until:
                return self._too_many()
            return self._route(method, path, body)

    def _too_many(self) -> tuple[int, Any, dict]:
        self.throttled.append(time.time())
        headers = {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}
        status, payload, _ = _problem(429, "Too Many Requests", "Request was throttled.")
        return status, payload, headers

    def _route(self, method: str, path: str, body: Any) -> tuple[int, Any, dict]:
        if method == "POST" and (
            match := re.fullmatch(r"/v1/models/([^/]+/[^/]+)/predictions", path)
        ):
            return self._create(match[1], body)
        if method == "POST" and path == "/v1/predictions":
            return self._create("someone/pinned-model", body)
        if method == "GET" and (match := re.fullmatch(r"/v1/predictions/([^/]+)", path)):
            return self._get(match[1])
        if method == "POST" and (match := re.fullmatch(r"/v1/predictions/([^/]+)/cancel", path)):
            return self._cancel(match[1])
        return _problem(404, "Not found", f"No route for {method} {path}")

    def _create(self, model: str, body: dict) -> tuple[int, Any, dict]:
        prediction_id = uuid.uuid4().hex[:20]
        prediction = {
            "id": prediction_id,
            "model": model,
            "version": body.get("version", "hidden"),
            "input": body.get("input", {}),
            "status": "starting",
            "output": None,
            "error": None,
            "logs": "",
            "metrics": {},
            "created_at": "2026-11-25T10:00:00.000Z",
            "started_at": None,
            "completed_at": None,
            "urls": {
                "get": f"{self.base_url}/v1/predictions/{prediction_id}",
                "cancel": f"{self.base_url}/v1/predictions/{prediction_id}/cancel",
            },
            "polls": 0,
        }
        if "webhook" in body:
            prediction["webhook"] = body["webhook"]
            prediction["webhook_events_filter"] = body.get("webhook_events_filter")
        self.predictions[prediction_id] = prediction
        self.creation_times.append(time.time())
        prediction["created"] = self.creation_times[-1]
        return 201, _public(prediction), {}

    def _get(self, prediction_id: str) -> tuple[int, Any, dict]:
        prediction = self.predictions.get(prediction_id)
        if prediction is None:
            return _problem(404, "Not found", "No such prediction")
        prediction["polls"] += 1
        if prediction["status"] in ("starting", "processing"):
            if self._done(prediction):
                self._finish(prediction, self.next_outcome)
            else:
                prediction["status"] = "processing"
                prediction["logs"] = self._logs(prediction)
        return 200, _public(prediction), {}

    def _done(self, prediction: dict) -> bool:
        if self.model_seconds is not None:
            return time.time() - prediction["created"] >= self.model_seconds
        return prediction["polls"] > self.polls_before_done

    def _fraction_done(self, prediction: dict) -> float:
        if self.model_seconds:
            return min((time.time() - prediction["created"]) / self.model_seconds, 1.0)
        return min(prediction["polls"] / (self.polls_before_done + 1), 1.0)

    def _logs(self, prediction: dict, fraction: float | None = None) -> str:
        """tqdm's bar, one line per step so far, as Replicate's diffusion models print it."""
        done = self._fraction_done(prediction) if fraction is None else fraction
        total = self.log_steps
        lines = ["Using seed: 1234"]
        for step in range(int(done * total) + 1):
            percent = step * 100 // total
            bar = ("█" * (step * 10 // total)).ljust(10)
            lines.append(f"{percent:3d}%|{bar}| {step}/{total} [00:01<00:01, 4.1it/s]")
        return "\n".join(lines) + "\n"

    def _cancel(self, prediction_id: str) -> tuple[int, Any, dict]:
        prediction = self.predictions.get(prediction_id)
        if prediction is None:
            return _problem(404, "Not found", "No such prediction")
        self.canceled.append(prediction_id)
        if prediction["status"] in ("starting", "processing"):
            self._finish(prediction, "canceled")
        return 200, _public(prediction), {}

    def _finish(self, prediction: dict, outcome: str) -> None:
        prediction["status"] = outcome
        prediction["completed_at"] = "2026-11-25T10:00:05.000Z"
        if outcome == "succeeded":
            prediction["output"] = self._output(prediction)
            prediction["logs"] = self._logs(prediction, fraction=1.0)
        elif outcome == "failed":
            prediction["error"] = self.error

    def _output(self, prediction: dict) -> Any:
        if prediction["model"] in self.text_models:
            return list(self.text_output if self.text_output is not None else DEFAULT_TOKENS)
        video = prediction["model"] in self.video_models
        count = 1 if video else self.output_count or prediction["input"].get("num_outputs") or 1
        fmt = "mp4" if video else self.output_format
        urls = []
        for index in range(count):
            url = f"{self.base_url}/files/{prediction['id']}/{index}.{fmt}"
            self.served[url] = _make_file(fmt, self.output_size, seed=f"{prediction['id']}{index}")
            urls.append(url)
        return urls[0] if self.output_single or video else urls

    def _file(self, path: str) -> tuple[int, Any, dict]:
        url = self.base_url + path
        if self.output_status != 200 or url not in self.served:
            return self.output_status if self.output_status != 200 else 404, b"no such file", {}
        return 200, self.served[url], {}


def _creates(method: str, path: str) -> bool:
    return method == "POST" and path.endswith("/predictions")


def _public(prediction: dict) -> dict:
    return {key: value for key, value in prediction.items() if key not in ("polls", "created")}


def _problem(status: int, title: str, detail: str) -> tuple[int, Any, dict]:
    return status, {"title": title, "detail": detail, "status": status}, {}


def _make_file(fmt: str, size: tuple[int, int], seed: str) -> bytes:
    if fmt == "mp4":
        return MP4_HEADER + random.Random(seed).randbytes(2048)
    if fmt == "garbage":
        return b"<html>this is not a picture</html>"
    # Random pixels do not compress: the file is about width * height * 3 bytes.
    pixels = random.Random(seed).randbytes(size[0] * size[1] * 3)
    image = Image.frombytes("RGB", size, pixels)
    out = io.BytesIO()
    image.save(out, {"jpg": "JPEG"}.get(fmt, fmt.upper()))
    return out.getvalue()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        headers = {key.lower(): value for key, value in self.headers.items()}
        path = self.path.split("?", 1)[0]
        status, payload, extra = self.server.fake.handle(method, path, headers, body)  # type: ignore[attr-defined]
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        binary = isinstance(payload, bytes)
        self.send_header(
            "Content-Type", "application/octet-stream" if binary else "application/json"
        )
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet
