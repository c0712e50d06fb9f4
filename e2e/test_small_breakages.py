"""Issue 26's small breakages and accessibility, as a newcomer meets them: a header that
stays one line, a composer whose tabs are real tabs and keep the Edit tab's image, words
that stay whole, an API docs page in the site's frame and theme, a readable usage chart, a
reference image shown and clearable, a credit history in prompts, plans side by side."""

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from e2e.helpers import edit_an_upload, log_in
from generation.tests.factories import OutputFactory
from testing.credits import reserve

LONG_EMAIL = "a.rather.long.name@example.com"


@pytest.fixture
def png(tmp_path):
    path = tmp_path / "photo.png"
    Image.new("RGB", (64, 64), "teal").save(path)
    return path


def one_line(locator) -> bool:
    """True when the element's text is laid out on a single line."""
    return locator.evaluate(
        """(el) => { const range = document.createRange(); range.selectNodeContents(el);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size === 1; }"""
    )


def test_a_long_email_folds_into_the_account_menu_and_the_header_stays_one_line(
    page, make_user, password
):
    user = make_user(email=LONG_EMAIL)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, user.email, password)

    brand, menu = page.locator(".brand"), page.get_by_test_id("account-menu")
    assert abs(brand.bounding_box()["y"] - menu.bounding_box()["y"]) < 20
    expect(page.get_by_test_id("nav-email")).to_be_hidden()
    menu.locator("summary").click()
    expect(page.get_by_test_id("nav-email")).to_be_visible()
    expect(page.get_by_test_id("logout")).to_be_visible()


def test_the_skip_link_is_the_first_stop_and_lands_on_the_content(page, user, password):
    log_in(page, user.email, password)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_composer_tabs_are_aria_tabs_and_arrow_keys_move_between_them(page, user, password):
    log_in(page, user.email, password)
    page.goto(reverse("generation:generate"))
    tabs = page.get_by_role("tablist").get_by_role("tab")
    expect(tabs).to_have_count(3)
    expect(page.get_by_role("tab", name="Images")).to_have_attribute("aria-selected", "true")

    page.get_by_role("tab", name="Images").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Video")).to_be_focused()
    expect(page.get_by_role("tab", name="Video")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tab", name="Images")).to_have_attribute("aria-selected", "false")
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="Edit an image")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel")).to_have_attribute("id", "edit-form")


def test_a_refused_edit_keeps_its_tab_and_its_image(page, user, password, png):
    reserve(user, 5, "generation:elsewhere")  # the free plan's 5 generations are spent
    log_in(page, user.email, password)
    page.goto(reverse("generation:generate"))
    edit_an_upload(page, png, "sepia")

    expect(page.get_by_test_id("composer-error")).to_be_visible()
    expect(page.locator("#edit-form")).to_be_visible()
    expect(page.get_by_role("tab", name="Edit an image")).to_have_attribute("aria-selected", "true")
    chosen = page.locator("#edit-form input[name=source_upload]")
    assert chosen.evaluate("(input) => input.files.length && input.files[0].name") == "photo.png"
    expect(page.locator("#edit-form input[name=prompt]")).to_be_hidden()  # sepia reads none


def test_a_started_edit_stays_on_the_edit_tab(page, user, password, png, settings):
    settings.GENERATION_PROVIDER = "local"
    log_in(page, user.email, password)
    page.goto(reverse("generation:generate"))
    edit_an_upload(page, png, "grayscale")

    expect(page.locator("article.job")).to_have_count(1)
    expect(page.locator("#edit-form")).to_be_visible()


def test_the_instruction_shows_only_for_edits_that_read_it(page, user, password):
    log_in(page, user.email, password)
    page.goto(reverse("generation:generate"))
    page.get_by_role("tab", name="Edit an image").click()
    operation = page.locator("#edit-form select[name=edit_operation]")
    instruction = page.locator("#edit-form input[name=prompt]")

    operation.select_option("sepia")
    expect(instruction).to_be_hidden()
    operation.select_option("instruct")
    expect(instruction).to_be_visible()


def test_revoke_stays_one_word_on_a_phone(phone, user, password):
    from apikeys import services as apikeys

    apikeys.api_key_create(user=user, name="a script with a rather long name indeed")
    log_in(phone, user.email, password)
    phone.goto(reverse("apikeys:key_list"))
    assert one_line(phone.get_by_role("link", name="Revoke"))


def test_the_api_docs_sit_in_the_site_and_follow_the_dark_theme(page):
    page.emulate_media(color_scheme="dark")
    page.goto("/api/v1/docs")
    expect(page.locator(".topbar .brand")).to_be_visible()
    title = page.locator(".swagger-ui .info .title")
    expect(title).to_contain_text("Cartonify API")

    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    ink = title.evaluate("(el) => getComputedStyle(el).color")
    assert background == "rgb(20, 19, 28)" and ink == "rgb(236, 235, 245)"


def test_the_usage_chart_labels_are_readable_on_a_phone(phone, user, password):
    log_in(phone, user.email, password)
    phone.goto(reverse("apikeys:usage"))
    heights = (
        phone.get_by_test_id("usage-chart")
        .locator("text")
        .evaluate_all("(texts) => texts.map((t) => t.getBoundingClientRect().height)")
    )
    assert heights and min(heights) >= 9, heights


def test_a_reference_image_is_shown_and_can_be_cleared(page, user, password):
    output = OutputFactory(generation__user=user)
    log_in(page, user.email, password)
    page.goto(reverse("generation:output_detail", args=[output.pk]))
    page.get_by_test_id("use-as-reference").click()

    thumb = page.get_by_test_id("reference-chosen").get_by_role("img")
    expect(thumb).to_be_visible()
    assert thumb.evaluate("(img) => img.complete && img.naturalWidth > 0")
    page.get_by_test_id("reference-clear").click()
    expect(page.get_by_test_id("reference-chosen")).to_have_count(0)
    expect(page.locator("input[name=reference_output]")).to_have_value("")
    expect(page.locator("input[name=reference_upload]")).to_be_visible()


def test_the_credit_history_names_each_job_by_its_prompt(page, user, password, settings):
    settings.GENERATION_PROVIDER = "local"
    log_in(page, user.email, password)
    page.goto(reverse("generation:generate"))
    page.locator("#prompt").fill("a heron in the reeds")
    page.get_by_test_id("generate").click()
    expect(page.locator("article.job")).to_have_count(1)

    page.goto(reverse("billing:premium"))
    row = page.get_by_test_id("ledger").locator("tbody tr").first
    expect(row).to_contain_text("“a heron in the reeds”")
    expect(row).to_contain_text("Spent")
    expect(row).not_to_contain_text("Reserve")


def test_the_premium_page_compares_the_plans_without_payments(page, user, password, settings):
    settings.RAZORPAY_KEY_ID = settings.RAZORPAY_KEY_SECRET = ""
    log_in(page, user.email, password)
    page.goto(reverse("billing:premium"))

    expect(page.get_by_test_id("payments-not-configured")).to_be_visible()
    plans = page.get_by_test_id("plan-comparison")
    for row in ("Price", "Credits", "Video", "API", "Limits"):
        expect(plans.get_by_role("rowheader", name=row)).to_be_visible()
    expect(plans).to_contain_text("5 generations in total")
    expect(plans).to_contain_text("1,600 credits every 30 days")
    expect(plans).to_contain_text("10 generations an hour")
