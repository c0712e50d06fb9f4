"""Serving stored files: the one place that knows where their bytes come from."""

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage


def stored_file_response(
    file: FieldFile,
    *,
    filename: str,
    download: bool,
    content_type: str = "",
    max_age: int | None = None,
) -> HttpResponse:
    """The file's bytes, or with an object store a 302 to a short-lived presigned link
    (named `filename`), so no web process carries the bytes. The answer may be kept in
    the browser's private cache for `max_age` seconds; None: not at all."""
    if isinstance(file.storage, S3Storage):
        # The redirect may be reused only while the link it names still works.
        max_age = None if max_age is None else min(max_age, settings.S3_PRESIGN_SECONDS // 2)
        response = HttpResponseRedirect(_presigned_url(file, filename, download, content_type))
    else:
        response = FileResponse(
            file.open("rb"),
            content_type=content_type or None,
            as_attachment=download,
            filename=filename,
        )
    response["Cache-Control"] = (
        "private, no-store" if max_age is None else f"private, max-age={max_age}"
    )
    return response


def _presigned_url(file: FieldFile, filename: str, download: bool, content_type: str) -> str:
    parameters = {"ResponseContentDisposition": content_disposition_header(download, filename)}
    if content_type:
        parameters["ResponseContentType"] = content_type
    return file.storage.url(file.name, parameters=parameters, expire=settings.S3_PRESIGN_SECONDS)
