"""Plain dicts for the response schemas; stored as-is for idempotent replays."""

import json

from django.urls import reverse
from ninja.responses import NinjaJSONEncoder

from generation.models import Generation, Output
from generation.models import Status as JobStatus
from generation.pagination import KeysetPage

from .schemas import GenerationOut


def _absolute(request, name: str, pk: int) -> str:
    return request.build_absolute_uri(reverse(f"api-v1:{name}", args=[pk]))


def output_json(request, output: Output, prompt: str | None = None) -> dict:
    return {
        "id": output.pk,
        "kind": output.kind,
        "content_type": output.content_type,
        "width": output.width,
        "height": output.height,
        "bytes": output.bytes,
        "favorite": output.favorite,
        "created_at": output.created_at.isoformat(),
        "generation_id": output.generation_id,
        "prompt": output.generation.prompt if prompt is None else prompt,
        "download_url": _absolute(request, "output_file", output.pk),
    }


def generation_json(request, generation: Generation) -> dict:
    outputs = []
    if generation.status == JobStatus.SUCCEEDED:  # only finished jobs have outputs to fetch
        outputs = [output_json(request, o, generation.prompt) for o in generation.outputs.all()]
    return {
        "id": generation.pk,
        "kind": generation.kind,
        "status": generation.status,
        "via": generation.via,
        "prompt": generation.prompt,
        "negative_prompt": generation.negative_prompt,
        "style": generation.style,
        "color": generation.color,
        "width": generation.width,
        "height": generation.height,
        "count": generation.count,
        "seed": generation.seed,
        "edit_operation": generation.edit_operation,
        "source_image_id": generation.source_output_id,
        "error": generation.error,
        "progress": generation.progress,
        "logs_excerpt": generation.logs_excerpt,
        "enhanced_prompt": generation.enhanced_prompt,
        "credits_charged": generation.credits_charged,
        "created_at": generation.created_at.isoformat(),
        "started_at": generation.started_at and generation.started_at.isoformat(),
        "finished_at": generation.finished_at and generation.finished_at.isoformat(),
        "outputs": outputs,
        "url": _absolute(request, "generation_get", generation.pk),
    }


def generation_body(request, generation: Generation) -> str:
    """The JSON text GET /generations/{id} answers for `generation`, byte for byte the
    same rendering (outgoing webhooks send it)."""
    data = GenerationOut.model_validate(generation_json(request, generation)).model_dump()
    return json.dumps(data, cls=NinjaJSONEncoder)


def page_json(request, queryset, query, *, item) -> dict:
    """A newest-first page as `query` (a PageQuery) asks; `next` carries the cursor to the
    older page."""
    page = KeysetPage(queryset, before=query.before, size=query.page_size)
    next_link = None
    if page.has_next:
        query = request.GET.copy()
        query["before"] = page.next_before
        next_link = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"next": next_link, "items": [item(request, obj) for obj in page]}
