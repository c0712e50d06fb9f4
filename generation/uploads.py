"""Checks on user-supplied images: decoded for real, never trusted by name or extension."""

import base64
import binascii
import io

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from .exceptions import InvalidRequest

ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def read_uploaded_image(upload) -> bytes:
    content = read_upload(upload, field="source_upload")
    check_image_bytes(content)
    return content


def read_upload(upload, *, field: str) -> bytes:
    """An uploaded file's bytes, bounded in size; the caller checks what they are."""
    limit = settings.GENERATION_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise InvalidRequest(f"The image is larger than {limit // (1024 * 1024)} MB.", field=field)
    return upload.read(limit + 1)


def decode_base64_image(text: str, *, field: str) -> bytes:
    """An image sent in JSON: plain base64 or a `data:` URI, bounded like an upload."""
    if text.startswith("data:"):
        text = text.partition(",")[2]
    limit = settings.GENERATION_MAX_UPLOAD_BYTES
    if len(text) > (limit + 2) // 3 * 4:
        raise InvalidRequest(f"The image is larger than {limit // (1024 * 1024)} MB.", field=field)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidRequest("The image is not valid base64.", field=field) from error


def check_image_bytes(content: bytes, *, field: str = "source_upload") -> tuple[int, int]:
    """Decode the whole image under Pillow's pixel limit; return its upright size."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise InvalidRequest("Upload a PNG, JPEG, WebP or GIF image.", field=field)
            if image.width * image.height > settings.GENERATION_MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError("over the pixel limit")
            image.load()
            return _upright_size(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise InvalidRequest("The file is not an image we can read.", field=field) from error
    except Image.DecompressionBombError as error:
        raise InvalidRequest("The image has too many pixels.", field=field) from error


def _upright_size(image: Image.Image) -> tuple[int, int]:
    """The size as shown (and as edits see it): EXIF rotations by 90° swap the sides."""
    orientation = image.getexif().get(ImageOps.ExifTags.Base.Orientation, 1)
    return (image.height, image.width) if orientation in (5, 6, 7, 8) else image.size


def check_mask_bytes(content: bytes, *, image_size: tuple[int, int]) -> None:
    """An inpaint mask: a PNG exactly the image's size, with something white to repaint."""
    if not content.startswith(PNG_SIGNATURE):
        raise InvalidRequest("The mask must be a PNG image.", field="mask")
    size = check_image_bytes(content, field="mask")
    if size != image_size:
        raise InvalidRequest(
            f"The mask is {size[0]}x{size[1]} pixels; it must be the size of the image "
            f"({image_size[0]}x{image_size[1]}).",
            field="mask",
        )
    with Image.open(io.BytesIO(content)) as mask:
        if mask.convert("L").getextrema()[1] < 128:
            raise InvalidRequest(
                "The mask is all black: paint the area to repaint in white.", field="mask"
            )
