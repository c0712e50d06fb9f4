"""A newcomer on a phone, on the embedded defaults: told on the generator that pictures
come from the offline renderer, makes two, finds them by two words of the prompt. The
README's screenshots are taken here (e2e/artifacts/readme-*.png)."""

from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import log_in
from e2e.phone import ARTIFACTS

PROMPT = "a lighthouse on a cliff at dusk"


def open_menu_and_go(page, name):
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name=name).click()


def test_a_phone_user_makes_pictures_and_finds_them_by_two_words(phone, user, password, settings):
    settings.GENERATION_PROVIDER = "local"
    log_in(phone, user.email, password)
    open_menu_and_go(phone, "Generate")
    expect(phone.get_by_test_id("offline-renderer")).to_contain_text("Demo mode")

    phone.get_by_role("tab", name="Edit an image").click()
    expect(phone.locator("#edit-form")).to_be_visible()
    expect(phone.locator("#generate-form")).to_be_hidden()
    phone.get_by_role("tab", name="Images").click()
    phone.locator("#prompt").fill(PROMPT)
    phone.locator("select[name=style]").select_option("watercolor")
    phone.locator("select[name=count]").select_option("2")
    phone.get_by_test_id("generate").click()
    job = phone.locator("article.job").first
    expect(job.get_by_test_id("job-status")).to_have_text("Succeeded")
    expect(job.get_by_test_id("result")).to_have_count(2)
    expect(job.get_by_role("button", name="Cancel")).to_have_count(0)
    for picture in job.get_by_test_id("result").locator("img").all():
        picture.scroll_into_view_if_needed()  # results load lazily: the screenshot shows them
        expect(picture).to_have_js_property("complete", True)
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=ARTIFACTS / "readme-generator.png", full_page=True)

    open_menu_and_go(phone, "Gallery")
    phone.get_by_placeholder("Search prompts").fill("cliff lighthouse")
    phone.get_by_role("button", name="Search").click()
    expect(phone.get_by_test_id("gallery-item")).to_have_count(2)
    expect(phone.get_by_test_id("offline-renderer")).to_have_count(0)  # said where they are made
    phone.screenshot(path=ARTIFACTS / "readme-gallery.png")


def test_no_offline_renderer_notice_when_replicate_is_configured(
    page, user, password, fake_replicate
):
    log_in(page, user.email, password)
    for name in ["generation:generate", "generation:gallery", "generation:jobs"]:
        page.goto(reverse(name))
        expect(page.locator("h1, h2").first).to_be_visible()
        expect(page.get_by_test_id("offline-renderer")).to_have_count(0)
