"""A small procedural landscape (sky, sun, clouds, hills, creatures) drawn with Pillow.

`plan_scene` makes every random choice once, in relative coordinates, so the same
layout can be drawn at any size and at any moment `t` of an animation.
"""

import math
import random
import re
from dataclasses import dataclass

from PIL import Image, ImageDraw

from .palette import RGB, Palette, make_palette, mix

Wave = tuple[float, float, float]  # amplitude, frequency, phase


@dataclass(frozen=True)
class Cloud:
    x: float
    y: float
    scale: float
    speed: float


@dataclass(frozen=True)
class Hill:
    base: float
    waves: tuple[Wave, ...]
    color: RGB


@dataclass(frozen=True)
class Blob:
    x: float
    radius: float
    color: RGB
    look: float  # where the eyes look, -1 left .. 1 right
    phase: float


@dataclass(frozen=True)
class Layout:
    palette: Palette
    sun: tuple[float, float, float]  # x, y, radius
    clouds: tuple[Cloud, ...]
    hills: tuple[Hill, ...]
    blobs: tuple[Blob, ...]
    trees: tuple[tuple[float, float], ...]  # x, height
    buildings: tuple[tuple[float, float, float], ...]  # x, width, height
    stars: tuple[tuple[float, float], ...]
    flakes: tuple[tuple[float, float], ...]
    sea: bool
    night: bool
    sparkles: bool


@dataclass(frozen=True)
class Look:
    """How a style draws the scene: outline width (relative) and shading."""

    outline: float = 0.006
    shaded: bool = False
    sparkles: bool = False


LOOKS = {
    "cartoon": Look(outline=0.006),
    "anime": Look(outline=0.003, sparkles=True),
    "comic": Look(outline=0.011),
    "3d-render": Look(outline=0.0, shaded=True),
    "watercolor": Look(outline=0.0),
    "photo": Look(outline=0.0, shaded=True),
    "sketch": Look(outline=0.004),
    "pixel-art": Look(outline=0.004),
}

_WORDS = {
    "night": {"night", "moon", "star", "stars", "midnight", "dark", "galaxy", "space"},
    "sea": {"sea", "ocean", "beach", "lake", "water", "river", "island", "boat", "fish"},
    "trees": {"tree", "trees", "forest", "woods", "jungle", "park", "garden"},
    "city": {"city", "town", "building", "buildings", "street", "skyline", "castle", "house"},
    "snow": {"snow", "winter", "ice", "frozen", "christmas", "snowy"},
}


def prompt_mentions(prompt: str, topic: str) -> bool:
    words = set(re.findall(r"[a-z]+", prompt.lower()))
    return bool(words & _WORDS[topic])


def plan_scene(rng: random.Random, prompt: str, color: str, style: str) -> Layout:
    night = prompt_mentions(prompt, "night")
    sea = prompt_mentions(prompt, "sea")
    palette = make_palette(color, rng, night=night)
    hills = _plan_hills(rng, palette, count=1 if sea else 3)
    return Layout(
        palette=palette,
        sun=(rng.uniform(0.15, 0.85), rng.uniform(0.12, 0.3), rng.uniform(0.06, 0.11)),
        clouds=tuple(_plan_cloud(rng) for _ in range(rng.randint(2, 5))),
        hills=hills,
        blobs=_plan_blobs(rng, palette),
        trees=_plan_trees(rng) if prompt_mentions(prompt, "trees") else (),
        buildings=_plan_buildings(rng) if prompt_mentions(prompt, "city") else (),
        stars=_scatter(rng, 60, y_max=0.5) if night or palette.dark else (),
        flakes=_scatter(rng, 80, y_max=1.0) if prompt_mentions(prompt, "snow") else (),
        sea=sea,
        night=night,
        sparkles=LOOKS.get(style, Look()).sparkles,
    )


def _plan_cloud(rng: random.Random) -> Cloud:
    return Cloud(
        rng.random(), rng.uniform(0.08, 0.35), rng.uniform(0.7, 1.4), rng.uniform(0.1, 0.3)
    )


def _plan_hills(rng: random.Random, palette: Palette, count: int) -> tuple[Hill, ...]:
    bases = (0.55, 0.66, 0.8)[-count:]
    colors = palette.hills[-count:]
    return tuple(
        Hill(
            base=base + rng.uniform(-0.04, 0.04),
            waves=tuple(
                (rng.uniform(0.02, 0.08), rng.uniform(1.0, 4.0), rng.uniform(0, math.tau))
                for _ in range(2)
            ),
            color=color,
        )
        for base, color in zip(bases, colors, strict=True)
    )


def _plan_blobs(rng: random.Random, palette: Palette) -> tuple[Blob, ...]:
    count = rng.randint(1, 3)
    slots = sorted(rng.sample(range(8), count))
    return tuple(
        Blob(
            x=(slot + 0.5) / 8 + rng.uniform(-0.03, 0.03),
            radius=rng.uniform(0.05, 0.1),
            color=rng.choice(palette.accents),
            look=rng.uniform(-1, 1),
            phase=rng.random(),
        )
        for slot in slots
    )


def _plan_trees(rng: random.Random) -> tuple[tuple[float, float], ...]:
    return tuple((rng.random(), rng.uniform(0.08, 0.16)) for _ in range(rng.randint(4, 9)))


def _plan_buildings(rng: random.Random) -> tuple[tuple[float, float, float], ...]:
    x, out = 0.0, []
    while x < 1.0:
        width = rng.uniform(0.05, 0.11)
        out.append((x, width, rng.uniform(0.12, 0.35)))
        x += width + rng.uniform(0.0, 0.02)
    return tuple(out)


def _scatter(rng: random.Random, n: int, y_max: float) -> tuple[tuple[float, float], ...]:
    return tuple((rng.random(), rng.uniform(0, y_max)) for _ in range(n))


def render(layout: Layout, size: tuple[int, int], look: Look, t: float = 0.0) -> Image.Image:
    """Draw the layout at `size`; `t` in [0, 1) moves sun, clouds, water, snow and creatures."""
    w, h = size
    image = vertical_gradient(size, layout.palette.sky_top, layout.palette.sky_bottom)
    draw = ImageDraw.Draw(image)
    pen = max(1, round(look.outline * min(w, h))) if look.outline else 0
    _draw_stars(draw, layout, size, t)
    _draw_sun(draw, layout, size, t)
    for cloud in layout.clouds:
        _draw_cloud(draw, cloud, layout.palette.cloud, size, t, pen)
    _draw_buildings(draw, layout, size, pen)
    if layout.sea:
        _draw_sea(draw, layout, size, t, pen)
    for hill in layout.hills:
        _draw_hill(draw, hill, size, layout.palette.outline, pen)
    _draw_trees(draw, layout, size, pen)
    for blob in layout.blobs:
        _draw_blob(image, draw, blob, layout, size, t, pen, look.shaded)
    _draw_flakes(draw, layout, size, t)
    if layout.sparkles:
        _draw_sparkles(draw, layout, size, t)
    return image


def vertical_gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def hill_y(hill: Hill, x: float) -> float:
    return hill.base - sum(a * math.sin(f * math.tau * x + p) for a, f, p in hill.waves)


def _draw_stars(draw: ImageDraw.ImageDraw, layout: Layout, size: tuple[int, int], t: float):
    w, h = size
    dot = max(1, min(w, h) // 300)
    for i, (x, y) in enumerate(layout.stars):
        if (i + int(t * 8)) % 7:  # a few stars twinkle off in turn
            draw.ellipse((x * w - dot, y * h - dot, x * w + dot, y * h + dot), fill=(255, 255, 230))


def _draw_sun(draw: ImageDraw.ImageDraw, layout: Layout, size: tuple[int, int], t: float):
    w, h = size
    x, y, r = layout.sun
    x = (x + 0.3 * t) % 1.0
    y = y + 0.08 * math.sin(math.pi * t)
    cx, cy, radius = x * w, y * h, r * min(w, h)
    sky = layout.palette.sky_bottom
    for ring in range(4, 0, -1):  # a soft halo, lightest outside
        rr = radius * (1 + ring * 0.22)
        glow = mix(sky, layout.palette.sun, 0.5 / ring)
        draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), fill=glow)
    if layout.night:
        _draw_crescent(draw, (cx, cy), radius, layout.palette.sun)
    else:
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=layout.palette.sun)


def _draw_crescent(draw, centre: tuple[float, float], radius: float, color: RGB) -> None:
    side = max(2, round(radius * 2))
    mask = Image.new("1", (side, side), 0)
    shape = ImageDraw.Draw(mask)
    shape.ellipse((0, 0, side - 1, side - 1), fill=1)
    off = side * 0.3
    shape.ellipse((off, -off * 0.4, side - 1 + off, side - 1 - off * 0.4), fill=0)
    draw.bitmap((round(centre[0] - side / 2), round(centre[1] - side / 2)), mask, fill=color)


def _draw_cloud(draw, cloud: Cloud, color: RGB, size, t: float, pen: int) -> None:
    w, h = size
    unit = min(w, h) * 0.06 * cloud.scale
    cx = ((cloud.x + cloud.speed * t) % 1.2 - 0.1) * w
    cy = cloud.y * h
    puffs = ((-1.6, 0.3, 1.0), (-0.6, -0.3, 1.3), (0.6, -0.1, 1.2), (1.6, 0.35, 0.9))
    boxes = [
        (
            cx + dx * unit - r * unit,
            cy + dy * unit - r * unit,
            cx + dx * unit + r * unit,
            cy + dy * unit + r * unit,
        )
        for dx, dy, r in puffs
    ]
    if pen:
        for box in boxes:
            draw.ellipse(_grow(box, pen), fill=mix(color, (0, 0, 0), 0.35))
    for box in boxes:
        draw.ellipse(box, fill=color)


def _grow(box, by: float):
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _draw_buildings(draw, layout: Layout, size, pen: int) -> None:
    w, h = size
    horizon = (layout.hills[0].base if layout.hills else 0.6) * h + 0.04 * h
    for i, (x, bw, bh) in enumerate(layout.buildings):
        color = mix(layout.palette.hills[0], layout.palette.sky_top, 0.35)
        box = (x * w, horizon - bh * h, (x + bw) * w, horizon)
        draw.rectangle(box, fill=color, outline=layout.palette.outline if pen else None, width=pen)
        _draw_windows(draw, box, i, layout)


def _draw_windows(draw, box, seed: int, layout: Layout) -> None:
    x0, y0, x1, y1 = box
    step = max(4.0, (x1 - x0) / 4)
    lit = layout.palette.sun if layout.night or layout.palette.dark else layout.palette.sky_bottom
    y, row = y0 + step * 0.6, 0
    while y + step * 0.5 < y1:
        x, col = x0 + step * 0.5, 0
        while x + step * 0.5 < x1:
            if (seed + row * 3 + col) % 3:
                draw.rectangle((x, y, x + step * 0.45, y + step * 0.55), fill=lit)
            x, col = x + step, col + 1
        y, row = y + step, row + 1


def _draw_sea(draw, layout: Layout, size, t: float, pen: int) -> None:
    w, h = size
    top = 0.58 * h
    draw.rectangle((0, top, w, h), fill=layout.palette.water)
    crest = mix(layout.palette.water, (255, 255, 255), 0.45)
    for row in range(6):
        y = top + (row + 1) * (h - top) / 7
        shift = (t + row * 0.17) % 1.0
        for k in range(-1, 6):
            x = (k / 5 + shift / 5) * w + (row % 2) * w / 10
            draw.arc(
                (x, y - h * 0.01, x + w / 14, y + h * 0.01),
                200,
                340,
                fill=crest,
                width=max(1, pen or h // 300),
            )


def _draw_hill(draw, hill: Hill, size, outline: RGB, pen: int) -> None:
    w, h = size
    steps = 48
    # Sampled a little past both edges so the outline never shows at the sides.
    points = [(w * i / steps, h * hill_y(hill, i / steps)) for i in range(-2, steps + 3)]
    polygon = [(points[0][0], h + pen + 1), *points, (points[-1][0], h + pen + 1)]
    draw.polygon(polygon, fill=hill.color, outline=outline if pen else None, width=pen or 1)


def _draw_trees(draw, layout: Layout, size, pen: int) -> None:
    if not layout.trees:
        return
    w, h = size
    hill = layout.hills[len(layout.hills) // 2]
    leaf = mix(layout.palette.hills[-1], (0, 60, 0), 0.35)
    trunk = mix(layout.palette.outline, (120, 80, 40), 0.6)
    for x, th in layout.trees:
        base = hill_y(hill, x) * h + h * 0.01
        px, top, half = x * w, base - th * h, th * h * 0.32
        draw.rectangle((px - half * 0.18, base - th * h * 0.3, px + half * 0.18, base), fill=trunk)
        draw.polygon(
            [(px, top), (px - half, base - th * h * 0.25), (px + half, base - th * h * 0.25)],
            fill=leaf,
            outline=layout.palette.outline if pen else None,
            width=pen or 1,
        )


def _draw_blob(image, draw, blob: Blob, layout: Layout, size, t: float, pen: int, shaded: bool):
    w, h = size
    front = layout.hills[-1]
    r = blob.radius * min(w, h)
    hop = abs(math.sin(math.tau * (t + blob.phase))) * r * 0.5
    cx = blob.x * w
    ground = hill_y(front, blob.x) * h + r * 0.35
    box = (cx - r, ground - 1.7 * r - hop, cx + r, ground - hop)
    shadow = mix(front.color, (0, 0, 0), 0.3)
    draw.ellipse((cx - r * 0.9, ground - r * 0.15, cx + r * 0.9, ground + r * 0.15), fill=shadow)
    if shaded:
        _paste_shaded_ellipse(image, box, blob.color)
    else:
        draw.ellipse(
            box, fill=blob.color, outline=layout.palette.outline if pen else None, width=pen or 1
        )
    _draw_eyes(draw, box, blob.look)


def _paste_shaded_ellipse(image: Image.Image, box, color: RGB) -> None:
    """A sphere-like body: a radial gradient from a highlight to a dark rim."""
    x0, y0, x1, y1 = (round(v) for v in box)
    bw, bh = max(2, x1 - x0), max(2, y1 - y0)
    left, top = round(bw * 0.7), round(bh * 0.6)  # highlight up and to the left
    ramp = Image.radial_gradient("L").resize((bw * 2, bh * 2))
    ramp = ramp.crop((left, top, left + bw, top + bh))
    light, dark = mix(color, (255, 255, 255), 0.55), mix(color, (0, 0, 0), 0.45)
    body = Image.composite(
        Image.new("RGB", (bw, bh), dark), Image.new("RGB", (bw, bh), light), ramp
    )
    mask = Image.new("L", (bw, bh), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, bw - 1, bh - 1), fill=255)
    image.paste(body, (x0, y0), mask)


def _draw_eyes(draw, box, look: float) -> None:
    x0, y0, x1, y1 = box
    r = (x1 - x0) / 2
    cx, eye_y = (x0 + x1) / 2, y0 + (y1 - y0) * 0.38
    for side in (-1, 1):
        ex = cx + side * r * 0.38 + look * r * 0.12
        er = r * 0.2
        draw.ellipse((ex - er, eye_y - er * 1.2, ex + er, eye_y + er * 1.2), fill=(255, 255, 255))
        pr, px = er * 0.5, ex + look * er * 0.4
        draw.ellipse((px - pr, eye_y - pr, px + pr, eye_y + pr), fill=(20, 20, 30))


def _draw_flakes(draw, layout: Layout, size, t: float) -> None:
    w, h = size
    dot = max(1, min(w, h) // 160)
    for x, y in layout.flakes:
        fy = ((y + t) % 1.0) * h
        fx = (x + 0.02 * math.sin(math.tau * (t + y))) * w
        draw.ellipse((fx - dot, fy - dot, fx + dot, fy + dot), fill=(255, 255, 255))


def _draw_sparkles(draw, layout: Layout, size, t: float) -> None:
    w, h = size
    for i, (cloud, accent) in enumerate(zip(layout.clouds, layout.palette.accents, strict=False)):
        x, y = (cloud.x * 0.8 + 0.1) * w, (cloud.y + 0.15) * h
        s = min(w, h) * 0.02 * (1 + 0.5 * math.sin(math.tau * (t + i / 4)))
        star = [
            (x, y - s),
            (x + s * 0.25, y - s * 0.25),
            (x + s, y),
            (x + s * 0.25, y + s * 0.25),
            (x, y + s),
            (x - s * 0.25, y + s * 0.25),
            (x - s, y),
            (x - s * 0.25, y - s * 0.25),
        ]
        draw.polygon(star, fill=mix(accent, (255, 255, 255), 0.6))
