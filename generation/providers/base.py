"""The contract between the job pipeline and the model backends."""

from dataclasses import dataclass
from typing import Protocol

KINDS = ("image", "edit", "video", "enhance")


@dataclass(frozen=True)
class JobSpec:
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


class ProviderError(Exception):
    """A provider could not do its part; `permanent=False` means a retry may succeed."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class InvalidWebhook(Exception):
    """A webhook request that is unsigned, forged, stale or malformed."""


class Provider(Protocol):
    name: str

    def start(self, spec: JobSpec, *, webhook_url: str | None = None) -> Started: ...

    def poll(self, provider_job_id: str) -> Outcome | None: ...

    def cancel(self, provider_job_id: str) -> None: ...

    def outcome_from_webhook(self, payload: dict) -> Outcome | None: ...
