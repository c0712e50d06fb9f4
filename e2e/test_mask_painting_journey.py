"""A user paints the area to repaint over an image, with a mouse or a finger; the painted
strokes become the inpaint mask at the image's own size."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from e2e.helpers import log_in
from e2e.phone import overflow
from generation.models import Generation, Status
from generation.tests.factories import OutputFactory, mask_png, png_bytes

# Wider than the edit card, so the canvas is shown smaller than the image it masks.
SIZE = (600, 400)


@pytest.fixture
def photo(user, settings):
    settings.GENERATION_PROVIDER = "local"
    return OutputFactory(
        generation__user=user,
        width=SIZE[0],
        height=SIZE[1],
        file=ContentFile(png_bytes(SIZE), name="photo.png"),
    )


def open_inpaint(page, photo):
    page.goto(reverse("generation:output_edit", args=[photo.pk]))
    page.locator("select[name=edit_operation]").select_option("inpaint")
    canvas = page.get_by_test_id("mask-canvas")
    expect(canvas).to_be_visible()
    return canvas.bounding_box()


def strokes(page) -> str:
    return page.locator("[data-mask-painter]").get_attribute("data-strokes")


def drag(page, start, end):
    """A mouse stroke between two points given as fractions of the canvas, measured anew:
    clicking a button may have scrolled the canvas since the last stroke."""
    canvas = page.get_by_test_id("mask-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] * start[0], box["y"] + box["height"] * start[1])
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * end[0], box["y"] + box["height"] * end[1], steps=12)
    page.mouse.up()


def sent_mask(job) -> Image.Image:
    with job.mask_file.open("rb") as handle:
        return Image.open(io.BytesIO(handle.read())).convert("L")


def test_a_mouse_painted_mask_with_undo_and_clear_inpaints_the_image(page, user, password, photo):
    log_in(page, user.email, password)
    box = open_inpaint(page, photo)
    assert box["width"] < SIZE[0]  # shown scaled down

    drag(page, (0.1, 0.1), (0.9, 0.9))
    drag(page, (0.1, 0.9), (0.9, 0.1))
    assert strokes(page) == "2"
    page.get_by_role("button", name="Clear").click()
    assert strokes(page) == "0"
    drag(page, (0.2, 0.5), (0.8, 0.5))
    drag(page, (0.5, 0.05), (0.5, 0.15))
    page.get_by_role("button", name="Undo").click()
    assert strokes(page) == "1"

    page.locator("input[name=prompt]").fill("a red kite")
    page.get_by_role("button", name="Edit", exact=True).click()

    expect(page.get_by_text("Your edit is queued.")).to_be_visible()
    job_card = page.locator("article.job").first
    expect(job_card.get_by_test_id("job-status")).to_have_text("Succeeded")
    job = Generation.objects.get(kind="edit")
    assert job.status == Status.SUCCEEDED and job.source_output == photo
    assert job.outputs.get().width == SIZE[0]
    mask = sent_mask(job)
    assert mask.size == SIZE
    assert mask.getpixel((300, 200)) == 255  # on the kept horizontal stroke
    assert mask.getpixel((300, 40)) == 0  # the undone stroke is gone
    assert mask.getpixel((60, 60)) == 0  # the cleared diagonals are gone
    assert mask.getpixel((10, 200)) == 0


def test_a_finger_paints_the_mask_on_a_phone(phone, user, password, photo):
    log_in(phone, user.email, password)
    box = open_inpaint(phone, photo)
    assert overflow(phone, "output-edit-mask-painter") is None

    # A real touch drag, through the browser's input pipeline (Pointer Events, pointerType touch).
    touch = phone.context.new_cdp_session(phone)
    y = box["y"] + box["height"] / 2
    xs = [box["x"] + box["width"] * f for f in (0.3, 0.4, 0.5, 0.6, 0.7)]
    touch.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": xs[0], "y": y}]}
    )
    for x in xs[1:]:
        touch.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert strokes(phone) == "1"
    overflow(phone, "output-edit-mask-painted")

    phone.locator("input[name=prompt]").fill("a yellow boat")
    phone.get_by_role("button", name="Edit", exact=True).click()

    # The page encodes the mask, uploads it and waits for the next page: on a loaded
    # 2-core runner that took longer than expect's 5 s, so wait as long as an action may.
    expect(phone.get_by_text("Your edit is queued.")).to_be_visible(timeout=10_000)
    job_card = phone.locator("article.job").first
    expect(job_card.get_by_test_id("job-status")).to_have_text("Succeeded")
    mask = sent_mask(Generation.objects.get(kind="edit"))
    assert mask.size == SIZE
    assert mask.getpixel((300, 200)) == 255 and mask.getpixel((300, 20)) == 0


def test_an_empty_mask_is_refused_in_the_page_and_nothing_is_sent(page, user, password, photo):
    log_in(page, user.email, password)
    open_inpaint(page, photo)
    drag(page, (0.2, 0.5), (0.8, 0.5))
    page.get_by_role("button", name="Clear").click()

    page.locator("input[name=prompt]").fill("a red kite")
    page.get_by_role("button", name="Edit", exact=True).click()

    expect(page.get_by_test_id("mask-error")).to_have_text(
        "Paint over the part of the image to repaint first."
    )
    expect(page).to_have_url(reverse("generation:output_edit", args=[photo.pk]))
    assert not Generation.objects.filter(kind="edit").exists()


def test_without_javascript_a_mask_file_still_inpaints(
    browser, live_server, user, password, photo, tmp_path
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    mask = tmp_path / "mask.png"
    mask.write_bytes(mask_png(SIZE))
    try:
        log_in(page, user.email, password)
        page.goto(reverse("generation:output_edit", args=[photo.pk]))
        page.locator("select[name=edit_operation]").select_option("inpaint")
        expect(page.get_by_test_id("mask-canvas")).to_be_hidden()
        page.locator("input[name=mask]").set_input_files(mask)
        page.locator("input[name=prompt]").fill("a red kite")
        page.get_by_role("button", name="Edit", exact=True).click()

        expect(page.get_by_text("Your edit is queued.")).to_be_visible()
        job = Generation.objects.get(kind="edit")
        assert job.status == Status.SUCCEEDED
        assert sent_mask(job).tobytes() == Image.open(io.BytesIO(mask_png(SIZE))).tobytes()
    finally:
        context.close()
