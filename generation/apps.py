from django.apps import AppConfig


class GenerationConfig(AppConfig):
    name = "generation"
    verbose_name = "Generation"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        from . import checks, signals  # noqa: F401 (checks registers itself)

        # Bounds the memory any decode can take: bigger images raise DecompressionBombError.
        Image.MAX_IMAGE_PIXELS = settings.GENERATION_MAX_IMAGE_PIXELS
