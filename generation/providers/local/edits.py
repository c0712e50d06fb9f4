"""Real image edits on uploaded bytes, for the local provider."""

import io
import warnings
from collections.abc import Callable

import cv2
import numpy as np
from django.conf import settings
from PIL import Image, ImageChops, ImageFilter, ImageOps

from ..base import ProviderError
from .artwork import render_picture
from .upscaler import upscale

# An edit: the edited image and a line saying how it was made.
Edit = Callable[[Image.Image], tuple[Image.Image, str]]

# Cartoonify's filters are per-pixel neighbourhoods; bigger inputs are reduced first.
CARTOONIFY_MAX_SIDE = 1024
CARTOON_COLORS = 12
INK = np.array((20, 20, 24), dtype=np.uint8)
# How much darker than its neighbourhood a pixel must be to be inked.
INK_THRESHOLD = 4
CARTOONIFY_METHOD = (
    f"Cartoonified with OpenCV {cv2.__version__}: edge-preserving smoothing, "
    f"{CARTOON_COLORS} colours, adaptive ink lines."
)
SEPIA = {"black": (38, 24, 12), "mid": (160, 120, 80), "white": (255, 244, 224)}
# Inpaint paints a fresh picture at most this big, then scales it to the image.
INPAINT_MAX_SIDE = 1024


def open_image(data: bytes | None) -> Image.Image:
    """Decode an upload, upright and in RGB or RGBA; anything else is a permanent error."""
    if not data:
        raise ProviderError("There is no image to edit.", permanent=True)
    limit = getattr(settings, "GENERATION_MAX_IMAGE_PIXELS", 40_000_000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > limit:
                raise ProviderError("The image is too large to edit.", permanent=True)
            image = ImageOps.exif_transpose(image)
            image.load()
    except ProviderError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning) as error:
        raise ProviderError("The image could not be read.", permanent=True) from error
    return image.convert("RGBA" if _has_alpha(image) else "RGB")


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def apply_edit(image: Image.Image, operation: str) -> tuple[Image.Image, str]:
    """The edited image and a line saying how it was made (the output's page shows it)."""
    if operation not in EDITS:  # "instruct" needs a model; the cartoon filter stands in
        edited, method = apply_edit(image, "cartoonify")
        return edited, f"{method} Following an instruction needs a model offline mode lacks."
    return _keeping_alpha(image, EDITS[operation])


def _keeping_alpha(image: Image.Image, edit: Edit) -> tuple[Image.Image, str]:
    if image.mode != "RGBA":
        return edit(image)
    alpha = image.getchannel("A")
    result, method = edit(image.convert("RGB"))
    if result.size != alpha.size:
        alpha = alpha.resize(result.size, Image.Resampling.LANCZOS)
    result = result.convert("RGBA" if result.mode == "RGB" else "LA")
    result.putalpha(alpha)
    return result, method


def cartoonify(image: Image.Image) -> tuple[Image.Image, str]:
    """Flat colour regions inside dark ink lines, the classic OpenCV cartoon."""
    pixels = np.asarray(_fit(image, CARTOONIFY_MAX_SIDE))
    # Smooths within regions but not across their edges: shapes stay, grain goes.
    smooth = cv2.edgePreservingFilter(pixels, flags=cv2.RECURS_FILTER, sigma_s=60, sigma_r=0.45)
    flat = Image.fromarray(smooth).quantize(colors=CARTOON_COLORS, method=Image.Quantize.FASTOCTREE)
    cartoon = np.where(_ink_lines(smooth)[..., None], INK, np.asarray(flat.convert("RGB")))
    return Image.fromarray(cartoon.astype(np.uint8)), CARTOONIFY_METHOD


def _ink_lines(smooth: np.ndarray) -> np.ndarray:
    """True where a line is drawn: pixels darker than their neighbourhood, which an
    adaptive threshold finds in shadow and in light alike."""
    gray = cv2.medianBlur(cv2.cvtColor(smooth, cv2.COLOR_RGB2GRAY), 5)
    block = max(9, min(gray.shape) // 48) | 1  # odd, and wider on bigger pictures
    lines = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, INK_THRESHOLD
    )
    return lines == 0


def _fit(image: Image.Image, max_side: int) -> Image.Image:
    if max(image.size) <= max_side:
        return image
    scale = max_side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def grayscale(image: Image.Image) -> tuple[Image.Image, str]:
    return ImageOps.grayscale(image), "Grayscale (Pillow)."


def sepia(image: Image.Image) -> tuple[Image.Image, str]:
    toned = ImageOps.colorize(ImageOps.autocontrast(ImageOps.grayscale(image), cutoff=1), **SEPIA)
    return toned, "Sepia toning (Pillow)."


def inpaint(
    image: Image.Image, mask: Image.Image, *, prompt: str, style: str, color: str, seed: int
) -> Image.Image:
    """Paint a fresh picture of the prompt where the mask is white, blended in over a
    feathered edge; wherever the mask is black the image keeps its exact pixels."""
    small = _fit(image, INPAINT_MAX_SIDE).size
    fresh = render_picture(prompt, style, color, small, seed)
    if fresh.size != image.size:
        fresh = fresh.resize(image.size, Image.Resampling.BICUBIC)
    return Image.composite(fresh.convert(image.mode), image, feathered(mask))


def feathered(mask: Image.Image) -> Image.Image:
    """The mask with its edge softened inwards only: black stays exactly black."""
    radius = max(2, min(mask.size) // 64)
    # A blur thresholded high shrinks the white area by about the radius; blurring that
    # again ramps from black at the old edge up to white inside.
    shrunk = mask.filter(ImageFilter.BoxBlur(radius)).point(lambda v: 255 if v >= 250 else 0)
    return ImageChops.darker(shrunk.filter(ImageFilter.GaussianBlur(radius)), mask)


def open_mask(data: bytes | None, size: tuple[int, int]) -> Image.Image:
    """A mask as 8-bit luminance (white = repaint), the size of the image it applies to."""
    if not data:
        raise ProviderError("Inpainting needs a mask.", permanent=True)
    try:
        with Image.open(io.BytesIO(data)) as mask:
            luminance = mask.convert("L")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ProviderError("The mask could not be read.", permanent=True) from error
    if luminance.size != size:
        raise ProviderError("The mask is not the size of the image.", permanent=True)
    return luminance


EDITS: dict[str, Edit] = {
    "cartoonify": cartoonify,
    "grayscale": grayscale,
    "sepia": sepia,
    "upscale": upscale,
}


def from_reference(reference: Image.Image, picture: Image.Image) -> Image.Image:
    """A picture that starts from `reference`: the reference, fitted to the picture's size,
    blended with the new picture as far as GENERATION_REFERENCE_STRENGTH allows."""
    fitted = ImageOps.fit(reference.convert("RGB"), picture.size)
    return Image.blend(fitted, picture.convert("RGB"), settings.GENERATION_REFERENCE_STRENGTH)
