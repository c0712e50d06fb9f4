"""The product's vocabulary: the styles, colour schemes, sizes and edit operations a
user can ask for, and the words a model is given for each. Forms, the API schema,
validation and both providers read them from here."""

STYLES = ("cartoon", "anime", "watercolor", "pixel-art", "comic", "3d-render", "sketch", "photo")
COLORS = ("vibrant", "pastel", "monochrome", "warm", "cool", "neon")
# Square sizes in pixels; 256 is the original service's smallest.
SIZES = (256, 512, 768, 1024)
DEFAULT_SIZE = 512
MAX_COUNT = 4
# "instruct" carries a free-text instruction in the prompt; only remote models follow it.
EDIT_OPERATIONS = ("cartoonify", "grayscale", "sepia", "upscale", "instruct")

# What a model is told for each style and colour scheme.
STYLE_WORDS = {
    "cartoon": "bold clean outlines, flat cheerful colors, cartoon illustration",
    "anime": "anime style, cel shading, vivid sky",
    "watercolor": "watercolor painting, soft washes, paper texture",
    "pixel-art": "pixel art, crisp pixels, limited palette",
    "comic": "comic book style, ink lines, halftone shading",
    "3d-render": "3D render, soft global illumination, smooth materials",
    "sketch": "pencil sketch, fine cross-hatching",
    "photo": "photorealistic, natural light, 35mm photo",
}

COLOR_WORDS = {
    "vibrant": "vibrant saturated colors",
    "pastel": "soft pastel palette",
    "monochrome": "monochrome palette",
    "warm": "warm color palette",
    "cool": "cool color palette",
    "neon": "glowing neon colors on a dark background",
}


# The original service took free-text styles and colours; these words pick our nearest
# look for them (first match wins), so the offline renderer draws any of them the same way
# every time.
_STYLE_HINTS = (
    ("photo", "photo"),
    ("real", "photo"),
    ("water", "watercolor"),
    ("anime", "anime"),
    ("manga", "anime"),
    ("pixel", "pixel-art"),
    ("comic", "comic"),
    ("3d", "3d-render"),
    ("render", "3d-render"),
    ("sketch", "sketch"),
    ("pencil", "sketch"),
)
_COLOR_HINTS = (
    ("pastel", "pastel"),
    ("mono", "monochrome"),
    ("black", "monochrome"),
    ("gray", "monochrome"),
    ("grey", "monochrome"),
    ("earth", "warm"),
    ("warm", "warm"),
    ("cool", "cool"),
    ("neon", "neon"),
)


def nearest_style(text: str) -> str:
    return _nearest(text, STYLES, _STYLE_HINTS, default="cartoon")


def nearest_color(text: str) -> str:
    return _nearest(text, COLORS, _COLOR_HINTS, default="vibrant")


def _nearest(text: str, known: tuple, hints: tuple, *, default: str) -> str:
    text = text.strip().lower()
    if text in known:
        return text
    return next((ours for word, ours in hints if word in text), default)
