"""The input each Replicate model takes, built from a GenerationSpec."""

import base64
from typing import Any

from django.conf import settings

from ...options import COLOR_WORDS, STYLE_WORDS
from ..base import GenerationSpec, ProviderError
from .outputs import sniff

ASPECT_RATIOS = ("1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21")
ENHANCE_SYSTEM_PROMPT = (
    "You improve prompts for an image generator. Rewrite the user's prompt into one vivid, "
    "specific prompt of at most 80 words: keep its subject and meaning first, then add style, "
    "lighting, composition and colour details. Answer with the improved prompt only, "
    "no quotes, no preamble."
)
EDIT_INSTRUCTIONS = {
    "grayscale": "Convert this image to black and white. Keep everything else unchanged.",
    "sepia": "Give this image a warm sepia-toned vintage photo look. Keep the content unchanged.",
    "upscale": "Restore this image with finer detail and sharpness. Keep the content unchanged.",
}


def build_input(spec: GenerationSpec) -> dict[str, Any]:
    if spec.kind not in INPUT_BUILDERS:
        raise ProviderError(f"Unknown kind of job: {spec.kind!r}.", permanent=True)
    return INPUT_BUILDERS[spec.kind](spec)


def styled_prompt(spec: GenerationSpec) -> str:
    style = STYLE_WORDS.get(spec.style, spec.style)
    color = COLOR_WORDS.get(spec.color, spec.color)  # "auto" adds nothing: the model picks
    return ", ".join(part for part in (spec.prompt.strip(), style, color) if part)


def aspect_ratio(width: int, height: int) -> str:
    """The supported ratio nearest to width:height (flux models take a ratio, not pixels)."""

    def distance(ratio: str) -> float:
        w, h = (int(part) for part in ratio.split(":"))
        return abs(w / h - width / max(height, 1))

    return min(ASPECT_RATIOS, key=distance)


def _image_input(spec: GenerationSpec) -> dict[str, Any]:
    data: dict[str, Any] = {
        "prompt": styled_prompt(spec),
        "aspect_ratio": aspect_ratio(spec.width, spec.height),
        "width": spec.width,
        "height": spec.height,
        "num_outputs": spec.count,
        "output_format": "png",
        "num_inference_steps": settings.REPLICATE_QUALITY_STEPS[spec.quality],
    }
    if spec.source_image:  # the reference model: its own default number of steps
        del data["num_inference_steps"]
        data["image"] = data_uri(spec.source_image)
        data["prompt_strength"] = settings.GENERATION_REFERENCE_STRENGTH
    return _with_common(data, spec)


def _edit_input(spec: GenerationSpec) -> dict[str, Any]:
    if not spec.source_image:
        raise ProviderError("There is no image to edit.", permanent=True)
    if spec.edit_operation == "inpaint":
        return _inpaint_input(spec)
    data: dict[str, Any] = {
        "prompt": edit_instruction(spec),
        "input_image": data_uri(spec.source_image),
        "aspect_ratio": "match_input_image",
        "output_format": "png",
    }
    return _with_common(data, spec)


def _inpaint_input(spec: GenerationSpec) -> dict[str, Any]:
    """For an inpainting model (flux-fill, SDXL inpainting): white mask pixels are repainted."""
    if not spec.mask_image:
        raise ProviderError("Inpainting needs a mask.", permanent=True)
    data: dict[str, Any] = {
        "prompt": spec.prompt.strip(),
        "image": data_uri(spec.source_image),
        "mask": data_uri(spec.mask_image),
        "output_format": "png",
    }
    return _with_common(data, spec)


def edit_instruction(spec: GenerationSpec) -> str:
    if spec.edit_operation == "instruct":
        return spec.prompt.strip()
    if spec.edit_operation in EDIT_INSTRUCTIONS:
        return EDIT_INSTRUCTIONS[spec.edit_operation]
    style = STYLE_WORDS.get(spec.style, spec.style)
    color = COLOR_WORDS.get(spec.color, spec.color)
    extra = f" {spec.prompt.strip()}" if spec.prompt.strip() else ""
    return f"Turn this image into a picture in this style: {style}, with {color}.{extra}"


def _video_input(spec: GenerationSpec) -> dict[str, Any]:
    if not spec.source_image:
        return {"prompt": styled_prompt(spec), "prompt_optimizer": True}
    # An animated image: the still sets the look, so the prompt carries no style words.
    return {
        "prompt": spec.prompt.strip(),
        "prompt_optimizer": True,
        settings.REPLICATE_VIDEO_IMAGE_INPUT: data_uri(spec.source_image),
    }


def _enhance_input(spec: GenerationSpec) -> dict[str, Any]:
    style = STYLE_WORDS.get(spec.style, spec.style)
    return {
        "prompt": f"Prompt: {spec.prompt.strip()}\nPreferred look: {style}.",
        "system_prompt": ENHANCE_SYSTEM_PROMPT,
        "max_tokens": 300,
        "temperature": 0.7,
    }


def _with_common(data: dict[str, Any], spec: GenerationSpec) -> dict[str, Any]:
    if spec.seed is not None:
        data["seed"] = spec.seed
    if spec.negative_prompt.strip():
        data["negative_prompt"] = spec.negative_prompt.strip()
    return data


def data_uri(content: bytes) -> str:
    content_type = (sniff(content) or ("application/octet-stream", ""))[0]
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


INPUT_BUILDERS = {
    "image": _image_input,
    "edit": _edit_input,
    "video": _video_input,
    "enhance": _enhance_input,
}
