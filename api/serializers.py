"""Plain dicts for the response schemas; stored as-is for idempotent replays. A job's
shape is generation.payloads' (outgoing webhooks send the same); links point at the host
the request came to."""

from generation.models import Generation, Output
from generation.pagination import KeysetPage
from generation.payloads import generation_payload, output_payload


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


def output_json(request, output: Output) -> dict:
    return output_payload(output, site_url=_site_url(request))


def generation_json(request, generation: Generation) -> dict:
    return generation_payload(generation, site_url=_site_url(request))


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
