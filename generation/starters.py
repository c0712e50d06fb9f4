"""Starter prompts: one click fills the generator's prompt, style and colour for a
newcomer. Each has an example picture drawn once by the offline renderer
(scripts/make_examples.py), which the signed-out home page shows until someone shares."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Starter:
    slug: str
    prompt: str
    style: str
    color: str

    @property
    def example(self) -> str:
        """The example picture's path under static/."""
        return f"img/examples/{self.slug}.webp"


STARTERS = (
    Starter("fox-map", "A fox reading a map in a misty forest at dawn", "watercolor", "earthy"),
    Starter("robot-garden", "A friendly robot watering a rooftop garden", "cartoon", "vibrant"),
    Starter("lighthouse", "A lighthouse on a cliff under a starry sky", "anime", "cool"),
    Starter("cat-astronaut", "A cat astronaut floating above the moon", "3d-render", "pastel"),
    Starter("neon-city", "A rainy city street at night with glowing signs", "pixel-art", "neon"),
    Starter("mountain-cabin", "A cabin by a lake below snowy mountains", "sketch", "monochrome"),
    Starter("coffee-dragon", "A tiny dragon sipping coffee in a sunny cafe", "comic", "warm"),
    Starter("desert-bloom", "Cactus flowers blooming in a desert at sunset", "photo", "warm"),
)  # fmt: skip
