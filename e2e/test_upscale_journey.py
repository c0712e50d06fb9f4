"""A user upscales an uploaded picture: it comes back twice the size, and its card and
its page say Real-ESRGAN made it."""

from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import edit_an_upload, log_in
from generation.models import Generation
from generation.tests.factories import png_bytes


def test_a_user_upscales_an_uploaded_picture_with_real_esrgan(
    page, user, password, settings, tmp_path
):
    settings.GENERATION_PROVIDER = "local"
    picture = tmp_path / "picture.png"
    picture.write_bytes(png_bytes((80, 60)))
    log_in(page, user.email, password)
    page.goto(reverse("generation:generate"))

    edit_an_upload(page, picture, "upscale")

    job = page.locator("article.job").first
    expect(job.get_by_test_id("job-status")).to_have_text("Succeeded")
    expect(job.get_by_test_id("edit-method")).to_contain_text("Real-ESRGAN")
    output = Generation.objects.get(user=user).outputs.get()
    assert (output.width, output.height) == (160, 120)
    page.goto(reverse("generation:output_detail", args=[output.pk]))
    expect(page.get_by_test_id("edit-method")).to_have_text(
        "Upscaled by Real-ESRGAN (realesr-animevideov3-x2), offline on the CPU."
    )
