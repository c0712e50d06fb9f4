"""Pictures made here for measuring the offline edits, nothing fetched: a photograph's
worth of colours, and a flat inked drawing."""

import io

import numpy as np
from PIL import Image

from generation.providers.local.artwork import render_picture
from generation.providers.local.edits import cartoonify


def noisy_photo(size: tuple[int, int] = (512, 384), seed: int = 3) -> Image.Image:
    """The offline renderer's photo style with sensor noise: over 100,000 colours."""
    picture = np.asarray(render_picture("a fox on a hill at dusk", "photo", "vibrant", size, seed))
    noise = np.random.default_rng(seed).normal(0, 6, picture.shape)
    return Image.fromarray(np.clip(picture + noise, 0, 255).astype(np.uint8))


def flat_drawing(side: int = 512, seed: int = 7) -> Image.Image:
    """Flat colours inside ink lines, the kind Real-ESRGAN's animevideov3 model is made for."""
    picture = render_picture("a fox on a hill", "cartoon", "vibrant", (side, side), seed)
    return cartoonify(picture)[0]


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
