from django.http import HttpResponse

from core.files import stored_file_response

from .models import Output


def output_file_response(
    output: Output, *, download: bool, filename: str | None = None
) -> HttpResponse:
    """An output's file, for every page and API that shows one: the gallery, the admin,
    the API's downloads and signed links, and public share pages alike (which pass a
    `filename` that names no id)."""
    return stored_file_response(
        output.file,
        filename=filename or output.filename,
        content_type=output.content_type,
        download=download,
        max_age=3600,
    )
