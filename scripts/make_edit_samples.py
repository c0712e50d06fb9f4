"""Draw the README's before/after pictures of the offline edits into docs/edits/.

The sources are made here (testing.pictures), never fetched:
    .venv/bin/python scripts/make_edit_samples.py
"""

import os
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "edits"
# The upscale pictures show one corner of the drawing, where its ink lines are.
CROP = (0, 0, 192, 192)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cartonify.settings")
    import django

    django.setup()
    from generation.providers.local.edits import cartoonify
    from generation.providers.local.upscaler import upscale
    from testing.pictures import flat_drawing, noisy_photo

    OUT.mkdir(parents=True, exist_ok=True)
    photo = noisy_photo((384, 288))
    save(photo, "photo.jpg")
    save(cartoonify(photo)[0], "photo-cartoonified.jpg")

    half = flat_drawing().resize((256, 256), Image.Resampling.LANCZOS)
    upscaled, method = upscale(half)
    print(method)
    save(half.resize((512, 512), Image.Resampling.BICUBIC).crop(CROP), "drawing-bicubic.png")
    save(upscaled.crop(CROP), "drawing-real-esrgan.png")
    return 0


def save(image: Image.Image, name: str) -> None:
    path = OUT / name
    if name.endswith(".jpg"):
        image.save(path, quality=82, optimize=True)
    else:
        image.save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    sys.exit(main())
