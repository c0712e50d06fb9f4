"""Reading what Replicate returns: statuses into outcomes, text, and files downloaded
into memory with their type checked (never trusted by name)."""

import base64
import functools
import io
import json

import httpx
from django.conf import settings
from PIL import Image

from ... import safety
from ..base import Outcome, OutputFile, ProviderError

DEFAULT_MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
DOWNLOAD_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
MAX_TEXT_LENGTH = 1000
# Magic numbers of the formats models return; checked before trusting any download.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"GIF8", 0, "image/gif", "gif"),
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"WEBP", 8, "image/webp", "webp"),
    (b"ftyp", 4, "video/mp4", "mp4"),
    (b"\x1a\x45\xdf\xa3", 0, "video/webm", "webm"),
)


def failure_outcome(status: object, error: object) -> Outcome:
    if status == "canceled":
        return Outcome("canceled", error="The job was canceled.")
    if status == "failed":
        readable = _readable(error)
        if safety.provider_refused(readable):
            return Outcome("failed", error=safety.refusal_message(safety.PROVIDER_RULE))
        return Outcome("failed", error=readable or "The model could not make this.")
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


def is_text(output: object) -> bool:
    if isinstance(output, list):
        return bool(output) and all(isinstance(item, str) for item in output)
    return isinstance(output, str)


def output_urls(output: object) -> list[str]:
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


def download(url: str) -> bytes:
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
