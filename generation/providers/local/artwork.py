"""Finished pictures and clips for the local provider: a planned scene plus a style's finish."""

import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from .scene import LOOKS, Layout, Look, plan_scene, render

CLIP_FRAMES = 16
CLIP_FRAME_MS = 90
CLIP_MAX_SIDE = 384
PIXEL_BLOCK = 8


def seeded_rng(*parts: object) -> random.Random:
    """A generator that depends on every part, stable across processes (unlike hash())."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def render_picture(
    prompt: str, style: str, color: str, size: tuple[int, int], seed: int
) -> Image.Image:
    layout = plan_scene(seeded_rng(prompt, seed, style, color), prompt, color, style)
    return _frame(layout, style, size, 0.0)


def render_clip(
    prompt: str, style: str, color: str, size: tuple[int, int], seed: int
) -> tuple[bytes, tuple[int, int]]:
    """An endlessly looping animated GIF of the scene; returns the bytes and frame size."""
    layout = plan_scene(seeded_rng(prompt, seed, style, color), prompt, color, style)
    clip_size = clip_dimensions(size)
    frames = [_frame(layout, style, clip_size, i / CLIP_FRAMES) for i in range(CLIP_FRAMES)]
    return looping_gif(frames), clip_size


def looping_gif(frames: list[Image.Image]) -> bytes:
    """The frames as an endlessly looping GIF, the local provider's video format."""
    # One palette for every frame keeps colours from flickering and the file small.
    first = frames[0].quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    indexed = [first] + [f.quantize(palette=first, dither=Image.Dither.NONE) for f in frames[1:]]
    out = io.BytesIO()
    indexed[0].save(
        out, "GIF", save_all=True, append_images=indexed[1:], duration=CLIP_FRAME_MS, loop=0
    )
    return out.getvalue()


def clip_dimensions(size: tuple[int, int]) -> tuple[int, int]:
    w, h = size
    scale = min(1.0, CLIP_MAX_SIDE / max(w, h))
    return max(16, round(w * scale)), max(16, round(h * scale))


def _frame(layout: Layout, style: str, size: tuple[int, int], t: float) -> Image.Image:
    look = LOOKS.get(style, Look())
    if style == "pixel-art":
        return _pixelate(layout, look, size, t)
    return FINISHES.get(style, _as_is)(render(layout, size, look, t))


def _pixelate(layout: Layout, look: Look, size: tuple[int, int], t: float) -> Image.Image:
    w, h = size
    small = render(layout, (max(8, w // PIXEL_BLOCK), max(8, h // PIXEL_BLOCK)), look, t)
    small = small.quantize(colors=16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    return small.convert("RGB").resize(size, Image.Resampling.NEAREST)


def _as_is(image: Image.Image) -> Image.Image:
    return image


def _cartoon(image: Image.Image) -> Image.Image:
    return ImageEnhance.Color(image).enhance(1.1)


def _anime(image: Image.Image) -> Image.Image:
    return ImageEnhance.Color(image.filter(ImageFilter.SMOOTH)).enhance(1.15)


def _watercolor(image: Image.Image) -> Image.Image:
    w, h = image.size
    soft = image.filter(ImageFilter.GaussianBlur(max(1, min(w, h) // 160)))
    # Coarse noise, scaled up: paper grain that still compresses well as PNG.
    grain = Image.effect_noise((max(1, w // 3), max(1, h // 3)), 40)
    paper = grain.resize((w, h), Image.Resampling.BILINEAR).convert("RGB")
    washed = Image.blend(soft, Image.new("RGB", (w, h), (252, 248, 238)), 0.18)
    return Image.blend(washed, paper, 0.07)


def _comic(image: Image.Image) -> Image.Image:
    inked = ImageOps.posterize(image, 3)
    dark = ImageEnhance.Brightness(inked).enhance(0.55)
    return Image.composite(dark, inked, _halftone(image.size))


def _halftone(size: tuple[int, int]) -> Image.Image:
    """A mask of dots on a grid; built by tiling one cell, so it costs a few hundred pastes."""
    w, h = size
    cell = max(6, min(w, h) // 90)
    tile = Image.new("L", (cell, cell), 0)
    ImageDraw.Draw(tile).ellipse((cell * 0.3, cell * 0.3, cell * 0.7, cell * 0.7), fill=110)
    row = Image.new("L", (w, cell))
    for x in range(0, w, cell):
        row.paste(tile, (x, 0))
    mask = Image.new("L", (w, h))
    for y in range(0, h, cell):
        mask.paste(row, (0, y))
    return mask


def _sketch(image: Image.Image) -> Image.Image:
    gray = image.convert("L")
    lines = ImageOps.invert(gray.filter(ImageFilter.FIND_EDGES)).point(
        lambda v: 0 if v < 200 else v
    )
    shading = gray.point(lambda v: 175 + v * 80 // 255)
    pencil = Image.composite(shading, lines, lines.point(lambda v: 255 if v else 0))
    return ImageOps.colorize(pencil, black=(45, 45, 60), white=(250, 246, 236))


def _photo(image: Image.Image) -> Image.Image:
    w, h = image.size
    soft = image.filter(ImageFilter.GaussianBlur(max(1, min(w, h) // 400)))
    soft = ImageEnhance.Contrast(ImageEnhance.Color(soft).enhance(0.85)).enhance(1.08)
    return _vignette(soft)


def _render3d(image: Image.Image) -> Image.Image:
    return _vignette(image.filter(ImageFilter.SMOOTH_MORE), strength=0.25)


def _vignette(image: Image.Image, strength: float = 0.4) -> Image.Image:
    edge = Image.radial_gradient("L").resize(image.size).point(lambda v: max(0, v - 150) * 2)
    dark = ImageEnhance.Brightness(image).enhance(1 - strength)
    return Image.composite(dark, image, edge)


FINISHES = {
    "cartoon": _cartoon,
    "anime": _anime,
    "watercolor": _watercolor,
    "comic": _comic,
    "sketch": _sketch,
    "photo": _photo,
    "3d-render": _render3d,
}
