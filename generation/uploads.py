"""Checks on user-supplied images: decoded for real, never trusted by name or extension."""

import io

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from .exceptions import InvalidRequest

ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def read_uploaded_image(upload) -> bytes:
    limit = settings.GENERATION_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise InvalidRequest(
            f"The image is larger than {limit // (1024 * 1024)} MB.", field="source_upload"
        )
    content = upload.read(limit + 1)
    check_image_bytes(content)
    return content


def check_image_bytes(content: bytes) -> tuple[int, int]:
    """Decode the whole image under Pillow's pixel limit; return its size."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise InvalidRequest(
                    "Upload a PNG, JPEG, WebP or GIF image.", field="source_upload"
                )
            if image.width * image.height > settings.GENERATION_MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError("over the pixel limit")
            image.load()
            return image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise InvalidRequest(
            "The file is not an image we can read.", field="source_upload"
        ) from error
    except Image.DecompressionBombError as error:
        raise InvalidRequest("The image has too many pixels.", field="source_upload") from error
