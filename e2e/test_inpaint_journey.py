"""A user repaints part of a photo: the mask field appears for inpaint only, and the
edit comes back with the masked area repainted."""

from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import log_in
from generation.models import Generation, Status
from generation.tests.factories import mask_png, png_bytes


def test_a_user_inpaints_an_uploaded_photo(page, user, password, settings, tmp_path):
    settings.GENERATION_PROVIDER = "local"
    photo, mask = tmp_path / "photo.png", tmp_path / "mask.png"
    photo.write_bytes(png_bytes((80, 60)))
    mask.write_bytes(mask_png((80, 60)))
    log_in(page, user.email, password)
    page.goto(reverse("generation:generate"))

    page.get_by_role("tab", name="Edit an image").click()
    form = page.locator("#edit-form")
    form.locator("input[name=source_upload]").set_input_files(photo)
    expect(form.locator("input[name=mask]")).to_be_hidden()
    form.locator("select[name=edit_operation]").select_option("inpaint")
    expect(form.locator("input[name=mask]")).to_be_visible()
    form.locator("input[name=mask]").set_input_files(mask)
    form.locator("input[name=prompt]").fill("a red kite")
    form.get_by_role("button", name="Edit", exact=True).click()

    job = page.locator("article.job").first
    expect(job.get_by_test_id("job-status")).to_have_text("Succeeded")
    edit = Generation.objects.get(user=user)
    assert edit.status == Status.SUCCEEDED and edit.edit_operation == "inpaint"
    assert edit.outputs.get().width == 80
