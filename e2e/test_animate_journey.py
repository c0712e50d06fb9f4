"""A user animates an image of the gallery into a video from the image's page."""

from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import expect

from billing import services as billing
from e2e.helpers import log_in
from generation.models import Generation, Kind, OutputKind, Status
from generation.tests.factories import OutputFactory, png_bytes


def test_a_user_animates_an_image_into_a_video_that_lands_in_the_gallery(
    page, user, password, settings
):
    settings.GENERATION_PROVIDER = "local"
    still = OutputFactory(
        generation__user=user,
        generation__prompt="a lighthouse at dusk",
        width=160,
        height=120,
        file=ContentFile(png_bytes((160, 120)), name="still.png"),
    )
    log_in(page, user.email, password)
    page.goto(reverse("generation:output_detail", args=[still.pk]))

    form = page.get_by_test_id("animate-form")
    expect(form).to_contain_text("1 credit")
    # One click: "What happens" starts as the prompt that made the image.
    expect(form.get_by_label("What happens")).to_have_value("a lighthouse at dusk")
    form.get_by_role("button", name="Animate").click()

    expect(page.get_by_text("Your video is queued.")).to_be_visible()
    job = page.locator("article.job").first
    expect(job.get_by_test_id("job-status")).to_have_text("Succeeded")
    expect(job.get_by_test_id("animation-caption")).to_have_text(f"Animated from image #{still.pk}")
    expect(job.get_by_test_id("result")).to_have_count(1)
    video = Generation.objects.get(kind=Kind.VIDEO)
    assert video.status == Status.SUCCEEDED and video.source_output == still
    assert video.prompt == "a lighthouse at dusk"
    assert billing.credits_balance(user=user) == 4

    page.goto(reverse("generation:gallery") + "?kind=video")
    tiles = page.get_by_test_id("gallery-item")
    expect(tiles).to_have_count(1)
    tiles.first.locator("a").first.click()
    expect(page.get_by_text(f"Animated from image #{still.pk}")).to_be_visible()
    clip = video.outputs.get()
    assert clip.kind == OutputKind.VIDEO and clip.content_type == "image/gif"
    # A video's page offers no "Animate" (only images can be animated).
    expect(page.get_by_test_id("animate-form")).to_have_count(0)
