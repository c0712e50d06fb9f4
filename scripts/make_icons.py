"""Draw the web app's PNG icons from the favicon's design (a picture frame: sun and hills).

    .venv/bin/python scripts/make_icons.py

Writes static/img/icon-192.png, icon-512.png (rounded, transparent corners) and
icon-maskable-512.png (full bleed, the drawing inside the 80% safe zone)."""

from pathlib import Path

from PIL import Image, ImageDraw

ACCENT, SUN, WHITE = "#5b4bdb", "#ffd166", "#ffffff"
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def draw(size: int, *, maskable: bool) -> Image.Image:
    scale = 4  # drawn large, then shrunk: smooth edges without an SVG renderer
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=ACCENT)
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 4, fill=ACCENT)
    # The favicon's 32-unit drawing, shrunk into the safe zone when maskable.
    inset = big * 0.1 if maskable else 0
    unit = (big - 2 * inset) / 32

    def at(x, y):
        return (inset + x * unit, inset + y * unit)

    pen.ellipse((*at(8, 9), *at(16, 17)), fill=SUN)
    pen.polygon([at(4, 26), at(12, 18), at(17, 23), at(21, 19), at(28, 26)], fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
    ]:
        draw(size, maskable=maskable).save(OUT / name, optimize=True)


if __name__ == "__main__":
    main()
