"""A still brought to life for the local provider: a slow zoom with a sideways drift and
a breathing of colour, looping back to the still itself."""

import math

from PIL import Image, ImageEnhance

from .artwork import CLIP_FRAMES, clip_dimensions, looping_gif

ZOOM = 0.15  # at its closest the clip shows the middle 1/1.15 of the still
SATURATION_SWING = 0.25


def animate_still(still: Image.Image) -> tuple[bytes, tuple[int, int]]:
    """A looping clip that starts on `still` (scaled to a clip's size); returns the bytes
    and the frame size."""
    size = clip_dimensions(still.size)
    # Cropping a copy about twice the clip's size keeps 16 resizes cheap on a big photo.
    base = still.convert("RGB")
    base.thumbnail((size[0] * 2, size[1] * 2), Image.Resampling.LANCZOS)
    frames = [_frame(base, size, i / CLIP_FRAMES) for i in range(CLIP_FRAMES)]
    return looping_gif(frames), size


def _frame(still: Image.Image, size: tuple[int, int], t: float) -> Image.Image:
    # Every motion is 0 at t=0 and eases out and back, so the loop has no jump.
    swing = (1 - math.cos(2 * math.pi * t)) / 2
    drift = math.sin(2 * math.pi * t)
    width, height = still.size
    crop_w, crop_h = width / (1 + ZOOM * swing), height / (1 + ZOOM * swing)
    left = (width - crop_w) * (0.5 + 0.5 * drift)
    top = (height - crop_h) / 2
    frame = still.resize(
        size, Image.Resampling.BICUBIC, box=(left, top, left + crop_w, top + crop_h)
    )
    return ImageEnhance.Color(frame).enhance(1 + SATURATION_SWING * drift)
