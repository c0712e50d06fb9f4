import io

import factory
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from accounts.tests.factories import UserFactory
from generation.models import Generation, Kind, Output, OutputKind, Status


def png_bytes(size=(64, 64), color=(200, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def mask_png(size=(64, 64), box=None) -> bytes:
    """An inpaint mask: black, with `box` (left, top, right, bottom; default the middle) white."""
    w, h = size
    mask = PILImage.new("L", size, 0)
    mask.paste(255, box or (w // 4, h // 4, 3 * w // 4, 3 * h // 4))
    buffer = io.BytesIO()
    mask.save(buffer, "PNG")
    return buffer.getvalue()


class GenerationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Generation

    user = factory.SubFactory(UserFactory)
    kind = Kind.IMAGE
    prompt = factory.Sequence(lambda n: f"a lighthouse number {n}")
    style = "cartoon"
    color = "vibrant"
    provider = "local"
    status = Status.SUCCEEDED
    source_output = None
    started_from_output = factory.LazyAttribute(lambda job: job.source_output is not None)


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output

    generation = factory.SubFactory(GenerationFactory)
    user = factory.SelfAttribute("generation.user")
    kind = OutputKind.IMAGE
    content_type = "image/png"
    width = 64
    height = 64
    file = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="out.png"))
