"""The offline renderer: pictures, clips, edits and prompt improvements made in-process
with Pillow, so the site works with no model provider at all."""

from .provider import LocalProvider

__all__ = ["LocalProvider"]
