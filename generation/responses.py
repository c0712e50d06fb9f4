from django.http import FileResponse

from .models import Output


def output_file_response(output: Output, *, download: bool) -> FileResponse:
    """An owner's output file, for the web pages and the API alike."""
    response = FileResponse(
        output.file.open("rb"),
        content_type=output.content_type,
        as_attachment=download,
        filename=output.filename,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
