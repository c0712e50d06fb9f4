"""The contract between the job pipeline and the model backends."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

KINDS = ("image", "edit", "video", "enhance")


@dataclass(frozen=True)
class GenerationSpec:
    kind: str
    prompt: str
    negative_prompt: str = ""
    style: str = "cartoon"
    color: str = "vibrant"
    width: int = 512
    height: int = 512
    count: int = 1
    seed: int | None = None
    source_image: bytes | None = None
    mask_image: bytes | None = None  # inpaint: white = repaint, the source image's size
    edit_operation: str = "cartoonify"
    quality: str = "best"


@dataclass(frozen=True)
class OutputFile:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


@dataclass(frozen=True)
class Outcome:
    status: str  # "succeeded" | "failed" | "canceled"
    files: tuple[OutputFile, ...] = ()
    text: str = ""
    error: str = ""


@dataclass(frozen=True)
class Started:
    provider_job_id: str
    outcome: Outcome | None  # set when the provider finished in-process


@dataclass(frozen=True)
class Snapshot:
    """How a remote job is doing, read without downloading anything."""

    provider_job_id: str
    finished: bool
    progress: int | None  # 0-100, None when the model has not said
    logs_excerpt: str
    payload: dict  # once finished, `outcome_from_webhook(payload)` gives the outcome


# Told how far a job has got: a percentage and a short line saying what is happening.
ProgressReport = Callable[[int, str], None]


class ProviderError(Exception):
    """A provider could not do its part; `permanent=False` means a retry may succeed."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class Throttled(ProviderError):
    """The provider's rate limit (ours or its own HTTP 429): try again in `retry_after` s."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message, permanent=False)
        self.retry_after = retry_after


class InvalidWebhook(Exception):
    """A webhook request that is unsigned, forged, stale or malformed."""


class Provider(Protocol):
    name: str

    def start(
        self,
        spec: GenerationSpec,
        *,
        webhook_url: str | None = None,
        report: ProgressReport | None = None,
    ) -> Started: ...

    def poll(self, provider_job_id: str) -> Outcome | None: ...

    def check(self, provider_job_ids: list[str]) -> list[Snapshot]:
        """Many remote jobs at once; a job whose check failed is left out."""
        ...

    def snapshot(self, payload: dict) -> Snapshot: ...

    def cancel(self, provider_job_id: str) -> None: ...

    def outcome_from_webhook(self, payload: dict) -> Outcome | None: ...
