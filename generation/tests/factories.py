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
