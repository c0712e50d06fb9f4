"""A check that a page fits a phone (the `phone` fixture is in e2e/conftest.py)."""

from pathlib import Path

PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).parent / "artifacts"  # gitignored: screenshots of every page checked


def overflow(page, name: str) -> int | None:
    """Screenshot the page and return its width when it scrolls sideways, else None."""
    page.wait_for_load_state("load")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"phone-{name}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    return width if width > PHONE["width"] else None
