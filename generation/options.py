"""The product's vocabulary: the styles, colour schemes, sizes and edit operations a
user can ask for, and the words a model is given for each. Forms, the API schema,
validation and both providers read them from here."""

from django.conf import settings

# Ours, then the original service's own choices (its "photo realistic", "water" and
# "cartoon" are our photo, watercolor and cartoon).
STYLES = (
    "cartoon", "anime", "watercolor", "pixel-art", "comic", "3d-render", "sketch", "photo",
    "art-style", "logo", "banner",
)  # fmt: skip
# "auto" lets the model (or the offline renderer, from the prompt) choose the colours.
COLORS = ("vibrant", "pastel", "monochrome", "warm", "cool", "neon", "earthy", "auto")
# Sizes in pixels of the shorter side; 256 is the original service's smallest.
SIZES = (256, 512, 768, 1024)
DEFAULT_SIZE = 512
# Portrait and landscape are the original's 512x768 and 768x512, at any size.
SHAPES = ("square", "portrait", "landscape")
# Quality maps to the image model's steps (settings.REPLICATE_QUALITY_STEPS).
QUALITIES = ("standard", "high", "best")
DEFAULT_QUALITY = "best"  # the model's own default number of steps
MAX_COUNT = 4
# The longest prompt (and negative prompt) a request may carry, in characters.
PROMPT_MAX_LENGTH = settings.GENERATION_PROMPT_MAX_LENGTH
# The seeds the models take: an unsigned 32-bit number.
SEED_MIN = 0
SEED_MAX = 2**32 - 1
# The original service's free-text style and colour, in characters.
FREE_TEXT_MAX_LENGTH = 100
# "instruct" carries a free-text instruction in the prompt; only remote models follow it.
# "inpaint" repaints the white area of a mask (a PNG the size of the image) after the prompt.
EDIT_OPERATIONS = ("cartoonify", "grayscale", "sepia", "upscale", "instruct", "inpaint")
# The edits that read the prompt (the cartoon filter adds it to its instruction); the
# others are fixed filters, so the pages hide the field for them.
EDIT_OPERATIONS_WITH_PROMPT = ("cartoonify", "instruct", "inpaint")
# How the pages name each edit: in the form's choices and in an edit's caption.
EDIT_OPERATION_LABELS = {
    "cartoonify": "Cartoon filter",
    "grayscale": "Grayscale",
    "sepia": "Sepia",
    "upscale": "Upscale",
    "instruct": "Edit by instruction",
    "inpaint": "Repaint a masked area",
}

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
    "art-style": "digital art, detailed illustration, artstation style",
    "logo": "clean vector logo, simple flat shapes, centered on a plain background",
    "banner": "wide banner design, bold composition, clear space for a title",
}

COLOR_WORDS = {
    "vibrant": "vibrant saturated colors",
    "pastel": "soft pastel palette",
    "monochrome": "monochrome palette",
    "warm": "warm color palette",
    "cool": "cool color palette",
    "neon": "glowing neon colors on a dark background",
    "earthy": "earthy natural tones, ochre, olive and clay",
    "auto": "",
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
    ("logo", "logo"),
    ("banner", "banner"),
    ("art", "art-style"),
)
_COLOR_HINTS = (
    ("pastel", "pastel"),
    ("mono", "monochrome"),
    ("black", "monochrome"),
    ("gray", "monochrome"),
    ("grey", "monochrome"),
    ("earth", "earthy"),
    ("warm", "warm"),
    ("cool", "cool"),
    ("neon", "neon"),
    ("auto", "auto"),
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


def dimensions(size: int, shape: str) -> tuple[int, int]:
    """Width and height of a `shape` picture whose shorter side is `size`."""
    longer = size * 3 // 2
    return {"portrait": (size, longer), "landscape": (longer, size)}.get(shape, (size, size))


def shape_of(width: int, height: int) -> str:
    if width == height:
        return "square"
    return "portrait" if height > width else "landscape"
