"""The Replicate adapter: the only place that imports the `replicate` SDK."""

from .provider import ReplicateProvider, verify_webhook

__all__ = ["ReplicateProvider", "verify_webhook"]
