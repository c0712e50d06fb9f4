"""Model backends behind one small interface; pick one with `get_provider()`."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.instruments import InstrumentedProvider

from .base import (
    KINDS,
    GenerationSpec,
    InvalidWebhook,
    Outcome,
    OutputFile,
    ProgressReport,
    Provider,
    ProviderError,
    Snapshot,
    Started,
    Throttled,
)

__all__ = [
    "KINDS",
    "GenerationSpec",
    "InvalidWebhook",
    "Outcome",
    "OutputFile",
    "ProgressReport",
    "Provider",
    "ProviderError",
    "Snapshot",
    "Started",
    "Throttled",
    "get_provider",
]


def get_provider(name: str | None = None) -> Provider:
    """The provider called `name`, or the one settings.GENERATION_PROVIDER names."""
    name = name or getattr(settings, "GENERATION_PROVIDER", "local") or "local"
    if name == "local":
        from .local import LocalProvider

        return InstrumentedProvider(LocalProvider(), name=name)
    if name == "replicate":
        # Imported here so the offline mode never loads the SDK.
        from .replicate import ReplicateProvider

        return InstrumentedProvider(ReplicateProvider(), name=name)
    raise ImproperlyConfigured(f"Unknown generation provider {name!r}.")
