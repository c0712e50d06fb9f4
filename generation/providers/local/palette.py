"""Colour schemes for the local renderer: each COLORS entry becomes a concrete palette."""

import colorsys
import random
from dataclasses import dataclass

RGB = tuple[int, int, int]

GOLDEN = 0.618033988749895


@dataclass(frozen=True)
class Palette:
    sky_top: RGB
    sky_bottom: RGB
    sun: RGB
    cloud: RGB
    hills: tuple[RGB, RGB, RGB]  # far to near
    accents: tuple[RGB, ...]
    water: RGB
    outline: RGB
    dark: bool


def hsv(h: float, s: float, v: float) -> RGB:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, _clamp(s), _clamp(v))
    return round(r * 255), round(g * 255), round(b * 255)


def mix(a: RGB, b: RGB, amount: float) -> RGB:
    """`amount` of the way from a to b."""
    return tuple(round(x + (y - x) * amount) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))


def make_palette(color: str, rng: random.Random, *, night: bool = False) -> Palette:
    if color == "auto":  # chosen by the prompt and seed that seeded `rng`: the same every time
        color = rng.choice(sorted(_SCHEMES))
    maker = _SCHEMES.get(color, _vibrant)
    palette = maker(rng)
    return _darken_for_night(palette) if night and not palette.dark else palette


def _from_hues(
    rng: random.Random, hues: list[float], sat: float, val: float, *, dark_sky: bool = False
) -> Palette:
    """A palette from a few hues; saturation and value set the scheme's mood."""
    sky_h = rng.choice(hues)
    sky_top = hsv(sky_h, sat * 0.9, val * (0.25 if dark_sky else 0.85))
    sky_bottom = hsv(sky_h + 0.05, sat * 0.45, val * (0.45 if dark_sky else 1.0))
    land = [hsv(rng.choice(hues) + rng.uniform(-0.04, 0.04), sat, val * v) for v in (0.7, 0.8, 0.9)]
    accents = tuple(
        hsv(h + rng.uniform(-0.03, 0.03), sat, val) for h in rng.sample(hues, len(hues))
    )
    return Palette(
        sky_top=sky_top,
        sky_bottom=sky_bottom,
        sun=hsv(rng.choice(hues) + 0.02, sat * 0.8, 1.0),
        cloud=hsv(sky_h, sat * 0.15, 0.55 if dark_sky else 1.0),
        hills=(land[0], land[1], land[2]),
        accents=accents,
        water=hsv(sky_h + 0.02, sat * 0.8, val * (0.45 if dark_sky else 0.8)),
        outline=(255, 255, 255) if dark_sky else hsv(sky_h, 0.5, 0.15),
        dark=dark_sky,
    )


def _spread(base: float, n: int) -> list[float]:
    return [(base + i * GOLDEN) % 1.0 for i in range(n)]


def _vibrant(rng: random.Random) -> Palette:
    return _from_hues(rng, _spread(rng.random(), 5), rng.uniform(0.75, 0.95), 1.0)


def _pastel(rng: random.Random) -> Palette:
    return _from_hues(rng, _spread(rng.random(), 5), rng.uniform(0.22, 0.35), 1.0)


def _monochrome(rng: random.Random) -> Palette:
    hue = rng.random()
    values = (0.55, 0.4, 0.25)
    return Palette(
        sky_top=hsv(hue, 0.08, 0.75),
        sky_bottom=hsv(hue, 0.04, 0.97),
        sun=hsv(hue, 0.05, 1.0),
        cloud=hsv(hue, 0.02, 0.92),
        hills=(hsv(hue, 0.1, values[0]), hsv(hue, 0.1, values[1]), hsv(hue, 0.1, values[2])),
        accents=tuple(hsv(hue, 0.12, v) for v in (0.15, 0.35, 0.6, 0.85)),
        water=hsv(hue, 0.1, 0.6),
        outline=hsv(hue, 0.1, 0.08),
        dark=False,
    )


def _warm(rng: random.Random) -> Palette:
    hues = [rng.uniform(0.95, 1.0), rng.uniform(0.0, 0.04), rng.uniform(0.05, 0.09)]
    hues += [rng.uniform(0.1, 0.15), rng.uniform(0.88, 0.95)]
    return _from_hues(rng, hues, rng.uniform(0.65, 0.85), 0.98)


def _cool(rng: random.Random) -> Palette:
    hues = [rng.uniform(0.45, 0.52), rng.uniform(0.53, 0.6), rng.uniform(0.6, 0.68)]
    hues += [rng.uniform(0.68, 0.76), rng.uniform(0.38, 0.45)]
    return _from_hues(rng, hues, rng.uniform(0.55, 0.8), 0.95)


def _earthy(rng: random.Random) -> Palette:
    hues = [rng.uniform(0.05, 0.09), rng.uniform(0.09, 0.13), rng.uniform(0.16, 0.22)]
    hues += [rng.uniform(0.02, 0.05), rng.uniform(0.22, 0.28)]
    return _from_hues(rng, hues, rng.uniform(0.35, 0.55), 0.8)


def _neon(rng: random.Random) -> Palette:
    hues = [0.83, 0.5, 0.25, 0.95, 0.15]
    rng.shuffle(hues)
    return _from_hues(rng, hues, 1.0, 1.0, dark_sky=True)


def _darken_for_night(p: Palette) -> Palette:
    night = (12, 16, 40)
    return Palette(
        sky_top=mix(p.sky_top, night, 0.85),
        sky_bottom=mix(p.sky_bottom, night, 0.6),
        sun=(245, 243, 220),
        cloud=mix(p.cloud, night, 0.55),
        hills=(
            mix(p.hills[0], night, 0.6),
            mix(p.hills[1], night, 0.5),
            mix(p.hills[2], night, 0.4),
        ),
        accents=tuple(mix(a, night, 0.2) for a in p.accents),
        water=mix(p.water, night, 0.5),
        outline=(235, 235, 255),
        dark=True,
    )


_SCHEMES = {
    "vibrant": _vibrant,
    "pastel": _pastel,
    "monochrome": _monochrome,
    "warm": _warm,
    "cool": _cool,
    "neon": _neon,
    "earthy": _earthy,
}
