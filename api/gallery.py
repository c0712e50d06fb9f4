"""Your images, and the files of any of your outputs, with the key."""

from django.shortcuts import get_object_or_404
from ninja import Query, Status

from apikeys.models import Scope
from generation import services as generation
from generation.models import Image, Output
from generation.responses import output_file_response

from .auth import scoped
from .errors import ERROR_RESPONSES
from .router import router
from .schemas import ImagePage, OutputOut, PageQuery
from .serializers import output_json, page_json

TAGS = ["Images"]

FILE_CONTENT = {
    "image/png": {"schema": {"type": "string", "format": "binary"}},
    "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
    "image/webp": {"schema": {"type": "string", "format": "binary"}},
    "image/gif": {"schema": {"type": "string", "format": "binary"}},
    "video/mp4": {"schema": {"type": "string", "format": "binary"}},
}


@router.get(
    "/images",
    tags=TAGS,
    response={200: ImagePage, **ERROR_RESPONSES},
    summary="Your images, newest first",
)
def list_images(
    request,
    page: Query[PageQuery],
    favorite: bool | None = Query(None),
):
    images = Image.objects.for_user(request.user).select_related("generation")
    if favorite is not None:
        images = images.filter(favorite=favorite)
    return page_json(request, images, page, item=output_json)


@router.get(
    "/images/{image_id}",
    tags=TAGS,
    response={200: OutputOut, **ERROR_RESPONSES},
    summary="One image",
)
def get_image(request, image_id: int):
    image = get_object_or_404(
        Image.objects.select_related("generation"), pk=image_id, user=request.user
    )
    return output_json(request, image)


@router.delete(
    "/images/{image_id}",
    tags=TAGS,
    response={204: None, **ERROR_RESPONSES},
    auth=scoped(Scope.MANAGE),
    summary="Delete an image",
)
def delete_image(request, image_id: int):
    image = get_object_or_404(Image, pk=image_id, user=request.user)
    generation.output_delete(output=image)
    return Status(204, None)


@router.get(
    "/outputs/{output_id}/file",
    tags=TAGS,
    response={200: None, **ERROR_RESPONSES},
    url_name="output_file",
    summary="Download the file of an image or video",
    openapi_extra={"responses": {200: {"description": "The file.", "content": FILE_CONTENT}}},
)
def download_output(request, output_id: int):
    output = get_object_or_404(Output, pk=output_id, user=request.user)
    return output_file_response(output, download=True)
