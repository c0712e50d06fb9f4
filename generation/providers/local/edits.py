"""Real image edits on uploaded bytes, for the local provider."""

import io
import warnings
from collections.abc import Callable

from django.conf import settings
from PIL import Image, ImageChops, ImageFilter, ImageOps

from ..base import ProviderError
from .artwork import render_picture

UPSCALE_MAX_SIDE = 2048
# Cartoonify's filters are per-pixel neighbourhoods; bigger inputs are reduced first.
CARTOONIFY_MAX_SIDE = 1024
SMOOTHING_MAX_SIDE = 512
CARTOON_COLORS = 12
EDGE_THRESHOLD = 24
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


def apply_edit(image: Image.Image, operation: str) -> Image.Image:
    edit = EDITS.get(operation, cartoonify)  # "instruct" needs a model; the filter stands in
    return _keeping_alpha(image, edit)


def _keeping_alpha(image: Image.Image, edit: Callable[[Image.Image], Image.Image]) -> Image.Image:
    if image.mode != "RGBA":
        return edit(image)
    alpha = image.getchannel("A")
    result = edit(image.convert("RGB"))
    if result.size != alpha.size:
        alpha = alpha.resize(result.size, Image.Resampling.LANCZOS)
    result = result.convert("RGBA" if result.mode == "RGB" else "LA")
    result.putalpha(alpha)
    return result


def cartoonify(image: Image.Image) -> Image.Image:
    image = _fit(image, CARTOONIFY_MAX_SIDE)
    smooth = _flatten(image)
    flat = smooth.quantize(colors=CARTOON_COLORS, method=Image.Quantize.MEDIANCUT).convert("RGB")
    # Edges of the smoothed picture: outlines of shapes, not of grain and noise.
    return Image.composite(Image.new("RGB", image.size, (20, 20, 24)), flat, _edge_mask(smooth))


def _flatten(image: Image.Image) -> Image.Image:
    """Edge-preserving smoothing, at reduced size: ModeFilter would cost ~1.5 s a megapixel."""
    small = _fit(image, SMOOTHING_MAX_SIDE)
    for _ in range(2):
        small = small.filter(ImageFilter.MedianFilter(5))
    return small.resize(image.size, Image.Resampling.BICUBIC) if small.size != image.size else small


def _edge_mask(image: Image.Image) -> Image.Image:
    """Dark-line mask: strong luminance edges, thresholded and slightly thickened."""
    edges = image.convert("L").filter(ImageFilter.SMOOTH_MORE).filter(ImageFilter.FIND_EDGES)
    lines = edges.point(lambda v: 255 if v > EDGE_THRESHOLD else 0)
    thickness = 3 if max(image.size) > 600 else 1
    return lines.filter(ImageFilter.MaxFilter(thickness)) if thickness > 1 else lines


def _fit(image: Image.Image, max_side: int) -> Image.Image:
    if max(image.size) <= max_side:
        return image
    scale = max_side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def grayscale(image: Image.Image) -> Image.Image:
    return ImageOps.grayscale(image)


def sepia(image: Image.Image) -> Image.Image:
    return ImageOps.colorize(ImageOps.autocontrast(ImageOps.grayscale(image), cutoff=1), **SEPIA)


def upscale(image: Image.Image) -> Image.Image:
    """Twice the size, but never past UPSCALE_MAX_SIDE (and never smaller than given)."""
    scale = max(1.0, min(2.0, UPSCALE_MAX_SIDE / max(image.size)))
    size = (round(image.width * scale), round(image.height * scale))
    if size == image.size:
        return image
    bigger = image.resize(size, Image.Resampling.LANCZOS)
    return bigger.filter(ImageFilter.UnsharpMask(radius=1.5, percent=60, threshold=2))


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


EDITS: dict[str, Callable[[Image.Image], Image.Image]] = {
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
