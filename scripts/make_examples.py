"""Draw the starter prompts' example pictures with the offline renderer.

    .venv/bin/python scripts/make_examples.py

Writes static/img/examples/<slug>.webp, one per generation.starters.STARTERS: the
signed-out home page shows them, labelled as examples, until someone shares a picture.
Run it again after changing the starters or the renderer; the files are committed."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (384, 384)  # small files; the wall shows them at about this size
SEED = 7

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cartonify.settings")


def main() -> None:
    import django

    django.setup()
    from generation.providers.local.artwork import render_picture
    from generation.starters import STARTERS

    out = ROOT / "static"
    for starter in STARTERS:
        picture = render_picture(starter.prompt, starter.style, starter.color, SIZE, SEED)
        path = out / starter.example
        path.parent.mkdir(parents=True, exist_ok=True)
        picture.convert("RGB").save(path, "WEBP", quality=80, method=6)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
