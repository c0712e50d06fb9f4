"""The product's vocabulary: the styles, colour schemes, sizes and edit operations a
user can ask for, and the words a model is given for each. Forms, the API schema,
validation and both providers read them from here."""

STYLES = ("cartoon", "anime", "watercolor", "pixel-art", "comic", "3d-render", "sketch", "photo")
COLORS = ("vibrant", "pastel", "monochrome", "warm", "cool", "neon")
SIZES = (512, 768, 1024)
MAX_COUNT = 4
# "instruct" carries a free-text instruction in the prompt; only remote models follow it.
EDIT_OPERATIONS = ("cartoonify", "grayscale", "sepia", "upscale", "instruct")
# How the pages name each edit: in the form's choices and in an edit's caption.
EDIT_OPERATION_LABELS = {
    "cartoonify": "Cartoon filter",
    "grayscale": "Grayscale",
    "sepia": "Sepia",
    "upscale": "Upscale",
    "instruct": "Edit by instruction",
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
}

COLOR_WORDS = {
    "vibrant": "vibrant saturated colors",
    "pastel": "soft pastel palette",
    "monochrome": "monochrome palette",
    "warm": "warm color palette",
    "cool": "cool color palette",
    "neon": "glowing neon colors on a dark background",
}
