"""The offline provider: real pictures, clips, edits and prompt ideas, made in-process."""

import io
import secrets
import time
import uuid

from django.conf import settings
from PIL import Image

from ...options import MAX_COUNT
from ..base import (
    KINDS,
    GenerationSpec,
    Outcome,
    OutputFile,
    ProgressReport,
    ProviderError,
    Snapshot,
    Started,
)
from .animation import animate_still
from .artwork import render_clip, render_picture
from .edits import apply_edit, from_reference, inpaint, open_image, open_mask
from .enhance import enhance_prompt

MIN_SIDE = 16
MAX_SIDE = 2048
PNG_COMPRESS_LEVEL = 3  # level 6 (the default) doubles encode time for a few % smaller files


class LocalProvider:
    name = "local"

    def start(
        self,
        spec: GenerationSpec,
        *,
        webhook_url: str | None = None,
        report: ProgressReport | None = None,
    ) -> Started:
        report = report or _ignore
        latency = float(getattr(settings, "GENERATION_SIMULATED_LATENCY", 0.0) or 0.0)
        if latency > 0:
            report(0, "Waiting for the model")
            time.sleep(latency)
        return Started(f"local-{uuid.uuid4().hex}", run(spec, report))

    def poll(self, provider_job_id: str) -> Outcome | None:
        return None  # start() always finishes the job

    def cancel(self, provider_job_id: str) -> None:
        return None

    def outcome_from_webhook(self, payload: dict) -> Outcome | None:
        return None

    def check(self, provider_job_ids: list[str]) -> list[Snapshot]:
        return []  # nothing runs remotely

    def snapshot(self, payload: dict) -> Snapshot:
        raise ProviderError("The local provider sends no webhooks.", permanent=True)


def _ignore(percent: int, stage: str) -> None:
    pass


def run(spec: GenerationSpec, report: ProgressReport = _ignore) -> Outcome:
    """Make what `spec` asks for, telling `report` each stage as it begins."""
    if spec.kind not in KINDS:
        raise ProviderError(f"Unknown kind of job: {spec.kind!r}.", permanent=True)
    if spec.kind == "enhance":
        report(10, "Writing prompt ideas")
        return Outcome(
            "succeeded", text=enhance_prompt(spec.prompt, style=spec.style, color=spec.color)
        )
    if spec.kind == "edit":
        report(10, "Editing the image")
        file, method = _edit(spec)
        return Outcome("succeeded", files=(file,), text=method)
    size = _checked_size(spec)
    seed = spec.seed if spec.seed is not None else secrets.randbelow(2**31)
    if spec.kind == "video":
        report(10, "Animating the image" if spec.source_image else "Drawing the clip")
        return Outcome("succeeded", files=(_clip(spec, size, seed),))
    count = min(max(spec.count, 1), MAX_COUNT)
    pictures = []
    for index in range(count):
        report(10 + 85 * index // count, f"Drawing picture {index + 1} of {count}")
        pictures.append(_picture(spec, size, seed + index))
    return Outcome("succeeded", files=tuple(pictures))


def _checked_size(spec: GenerationSpec) -> tuple[int, int]:
    if not (MIN_SIDE <= spec.width <= MAX_SIDE and MIN_SIDE <= spec.height <= MAX_SIDE):
        raise ProviderError(
            f"Sizes must be between {MIN_SIDE} and {MAX_SIDE} pixels.", permanent=True
        )
    return spec.width, spec.height


def _picture(spec: GenerationSpec, size: tuple[int, int], seed: int) -> OutputFile:
    picture = render_picture(spec.prompt, spec.style, spec.color, size, seed)
    if spec.source_image:
        picture = from_reference(open_image(spec.source_image), picture)
    return png_file(picture)


def _clip(spec: GenerationSpec, size: tuple[int, int], seed: int) -> OutputFile:
    if spec.source_image:
        content, (width, height) = animate_still(open_image(spec.source_image))
    else:
        content, (width, height) = render_clip(spec.prompt, spec.style, spec.color, size, seed)
    return OutputFile(content, "image/gif", "gif", width, height)


def _edit(spec: GenerationSpec) -> tuple[OutputFile, str]:
    """The edited file and a line saying how it was made."""
    image = open_image(spec.source_image)
    if spec.edit_operation != "inpaint":
        edited, method = apply_edit(image, spec.edit_operation)
        return png_file(edited), method
    seed = spec.seed if spec.seed is not None else secrets.randbelow(2**31)
    mask = open_mask(spec.mask_image, image.size)
    painted = inpaint(
        image, mask, prompt=spec.prompt, style=spec.style, color=spec.color, seed=seed
    )
    return png_file(painted), "Painted in by the offline renderer."


def png_file(image: Image.Image) -> OutputFile:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return OutputFile(out.getvalue(), "image/png", "png", image.width, image.height)
