"""The public JSON shape of a job and its outputs: what GET /api/v1/generations/{id}
answers and what outgoing webhooks send. One builder beside the data, so the two never
drift; the API's schemas (api/schemas.py) describe this shape."""

import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from .models import Generation, Output, Status


def _link(site_url: str, name: str, pk: int) -> str:
    return site_url.rstrip("/") + reverse(f"api-v1:{name}", args=[pk])


def _timestamp(moment: datetime | None) -> str | None:
    # As the API renders a datetime (milliseconds, "Z"), so a webhook's body is the
    # GET answer byte for byte.
    return None if moment is None else DjangoJSONEncoder().default(moment)


def output_payload(output: Output, *, site_url: str, prompt: str | None = None) -> dict:
    """`prompt`: the job's, when the caller has it at hand (saves loading the job)."""
    return {
        "id": output.pk,
        "kind": output.kind,
        "content_type": output.content_type,
        "width": output.width,
        "height": output.height,
        "bytes": output.bytes,
        "favorite": output.favorite,
        "created_at": _timestamp(output.created_at),
        "generation_id": output.generation_id,
        "prompt": output.generation.prompt if prompt is None else prompt,
        "download_url": _link(site_url, "output_file", output.pk),
    }


def generation_payload(generation: Generation, *, site_url: str) -> dict:
    """Links are absolute, on `site_url` (the site's address as the client reached it)."""
    outputs = []
    if generation.status == Status.SUCCEEDED:  # only finished jobs have outputs to fetch
        outputs = [
            output_payload(output, site_url=site_url, prompt=generation.prompt)
            for output in generation.outputs.all()
        ]
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
        "created_at": _timestamp(generation.created_at),
        "started_at": _timestamp(generation.started_at),
        "finished_at": _timestamp(generation.finished_at),
        "outputs": outputs,
        "url": _link(site_url, "generation_get", generation.pk),
    }


def generation_payload_json(generation: Generation, *, site_url: str) -> str:
    """The JSON text of `generation_payload`, as the API writes it."""
    return json.dumps(generation_payload(generation, site_url=site_url), cls=DjangoJSONEncoder)
