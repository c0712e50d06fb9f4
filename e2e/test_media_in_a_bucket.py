"""With media in the bucket, pages show and download outputs through presigned links,
under the Content-Security-Policy."""

from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import log_in
from e2e.test_csp import violations_on
from generation.tests.factories import OutputFactory, png_bytes


def loaded_images(page) -> int:
    return page.evaluate(
        "[...document.querySelectorAll('img')].filter(i => i.complete && i.naturalWidth).length"
    )


def test_the_gallery_and_an_output_page_show_pictures_from_the_bucket(
    page, user, password, fake_s3, tmp_path
):
    outputs = OutputFactory.create_batch(2, generation__user=user)
    log_in(page, user.email, password)
    detail = reverse("generation:output_detail", args=[outputs[0].pk])

    seen = violations_on(page, [reverse("generation:gallery"), detail])

    assert seen == []
    expect(page.get_by_role("link", name="Download")).to_be_visible()
    assert loaded_images(page) == 1
    page.goto(reverse("generation:gallery"))
    page.wait_for_load_state("networkidle")
    assert loaded_images(page) == 2
    sources = page.evaluate("[...document.images].map(i => i.currentSrc)")
    assert all(src.endswith("/file/") for src in sources)  # our links, which redirect

    page.goto(detail)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == f"cartonify-image-{outputs[0].pk}.png"
    assert Path(download.value.path()).read_bytes() == png_bytes()
