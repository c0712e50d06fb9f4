"""A rule-based prompt expander: the offline stand-in for a language model."""

import hashlib
import re

from ...options import COLOR_WORDS, STYLE_WORDS

MAX_LENGTH = 1000

# (words that trigger it, descriptors it adds)
RULES: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = (
    (
        frozenset({"portrait", "face", "girl", "boy", "man", "woman", "person", "character"}),
        ("expressive eyes", "detailed facial features", "soft rim light"),
    ),
    (
        frozenset({"cat", "dog", "fox", "bird", "animal", "rabbit", "bear", "dragon", "owl"}),
        ("fluffy fur texture", "playful pose", "big curious eyes"),
    ),
    (
        frozenset({"landscape", "mountain", "mountains", "hill", "hills", "valley", "field"}),
        ("sweeping vista", "layered depth", "atmospheric perspective"),
    ),
    (
        frozenset({"city", "street", "town", "building", "skyline", "castle"}),
        ("intricate architecture", "bustling details", "leading lines"),
    ),
    (
        frozenset({"sea", "ocean", "beach", "lake", "river", "water", "island"}),
        ("sparkling reflections on the water", "gentle waves"),
    ),
    (
        frozenset({"forest", "tree", "trees", "jungle", "garden", "flower", "flowers"}),
        ("lush foliage", "dappled sunlight", "rich natural textures"),
    ),
    (
        frozenset({"night", "moon", "stars", "dark", "midnight", "space", "galaxy"}),
        ("moonlit glow", "deep blue shadows", "twinkling stars"),
    ),
    (
        frozenset({"sunset", "sunrise", "dawn", "dusk", "evening"}),
        ("golden hour lighting", "warm glowing sky"),
    ),
    (
        frozenset({"snow", "winter", "ice", "frozen"}),
        ("crisp cold air", "sparkling snow", "cool tones"),
    ),
    (
        frozenset({"robot", "cyberpunk", "future", "futuristic", "spaceship", "neon"}),
        ("sleek metallic surfaces", "glowing neon accents"),
    ),
    (
        frozenset({"food", "cake", "pizza", "coffee", "fruit"}),
        ("appetizing close-up", "soft studio lighting", "shallow depth of field"),
    ),
)

LIGHTING = ("soft diffused lighting", "dramatic lighting", "cinematic lighting", "gentle backlight")
COMPOSITION = ("centered composition", "rule of thirds", "wide shot", "dynamic angle")
QUALITY = "highly detailed, sharp focus, high quality"


def enhance_prompt(prompt: str, *, style: str = "cartoon", color: str = "vibrant") -> str:
    """The prompt as written, followed by descriptors chosen from its own words."""
    base = " ".join(prompt.split()).rstrip(" ,.;")
    if len(base) >= MAX_LENGTH:
        return base[:MAX_LENGTH]
    extras = _descriptors(base, style, color)
    text = base
    for extra in extras:
        if extra.lower() in text.lower():
            continue
        candidate = f"{text}, {extra}" if text else extra
        if len(candidate) > MAX_LENGTH:
            break
        text = candidate
    return text


def _descriptors(prompt: str, style: str, color: str) -> list[str]:
    words = set(re.findall(r"[a-z]+", prompt.lower()))
    pick = int.from_bytes(hashlib.sha256(prompt.encode()).digest()[:4], "big")
    extras = [d for trigger, descriptors in RULES if words & trigger for d in descriptors]
    extras += [STYLE_WORDS.get(style, STYLE_WORDS["cartoon"]), COLOR_WORDS.get(color, "")]
    extras += [LIGHTING[pick % len(LIGHTING)], COMPOSITION[(pick // 7) % len(COMPOSITION)]]
    extras.append(QUALITY)
    return [e for e in extras if e]
