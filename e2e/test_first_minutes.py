"""A newcomer's first minutes (issue 26): the signed-out home is a wall of pictures with a
prompt box; the prompt, or a remix, survives sign-up and the code step; a new account lands
on the generator with starter prompts; a waiting card shows its pictures' shapes; the
results open large; a share link copies. The README's home screenshot is taken here
(e2e/artifacts/readme-home.png)."""

import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import log_in, sign_up
from e2e.phone import ARTIFACTS
from generation.models import Generation, Status
from generation.starters import STARTERS
from generation.tests.factories import GenerationFactory, OutputFactory
from sharing.models import Share

EMAIL = "newcomer@example.com"
PASSWORD = "a long and unusual passphrase 7"


def test_a_new_account_lands_on_the_generator_with_starter_prompts(page):
    page.goto(reverse("account_signup"))
    sign_up(page, EMAIL, PASSWORD)

    expect(page).to_have_url(reverse("generation:generate"))
    expect(page.locator("#prompt")).to_be_focused()
    expect(page.get_by_test_id("welcome")).to_contain_text("5 credits")
    expect(page.locator(".messages")).to_have_count(0)  # the welcome replaces the banners
    expect(page.get_by_test_id("starter")).to_have_count(len(STARTERS))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "first-minutes-welcome.png")

    starter = STARTERS[2]
    page.get_by_test_id("starter").nth(2).click()
    expect(page.locator("#prompt")).to_have_value(starter.prompt)
    expect(page.locator("select[name=style]")).to_have_value(starter.style)
    expect(page.locator("select[name=color]")).to_have_value(starter.color)
    expect(page.locator("#prompt")).to_be_focused()


def test_the_landing_prompt_survives_sign_up_into_the_generator(page):
    prompt = "a hedgehog knitting a scarf by the fire"
    page.goto("/")
    page.get_by_label("What should we draw?").fill(prompt)
    page.get_by_role("button", name="Create it").click()
    sign_up(page, EMAIL, PASSWORD)

    expect(page.locator("#prompt")).to_have_value(prompt)


def test_the_signed_out_home_shows_example_pictures_on_an_empty_database(page):
    assert not Share.objects.exists()
    page.goto("/")
    pictures = page.get_by_test_id("wall-picture")
    expect(pictures).to_have_count(len(STARTERS))
    assert len(STARTERS) >= 6
    expect(pictures.first).to_contain_text("Example")
    for img in pictures.locator("img").all():
        expect(img).to_have_js_property("complete", True)
        assert img.evaluate("img => img.naturalWidth") > 0  # the static file is there
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "readme-home.png", full_page=True)


def test_a_waiting_card_shows_its_pictures_shapes_then_the_results_open_large(page, user, password):
    job = GenerationFactory(
        user=user, status=Status.QUEUED, count=3, width=768, height=512, prompt="wide hills"
    )
    log_in(page, user.email, password)
    page.goto(reverse("generation:generate"))
    card = page.locator(f"#job-{job.pk}")
    expect(card.get_by_test_id("job-status")).to_have_text("Queued")
    placeholders = card.get_by_test_id("placeholder")
    expect(placeholders).to_have_count(3)
    # Landscape, as asked. Measured in the page: the polling card is replaced every second.
    page.wait_for_function(
        """([selector, ratio]) => {
          const box = document.querySelector(selector)?.getBoundingClientRect();
          return box?.height > 0 && Math.abs(box.width / box.height - ratio) < 0.05;
        }""",
        arg=[f"#job-{job.pk} [data-testid=placeholder]", 768 / 512],
    )
    expect(card.get_by_test_id("job-elapsed")).to_have_text(re.compile(r"^\d+ s$"))

    Generation.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, started_at=timezone.now(), progress=40
    )
    expect(card.get_by_test_id("job-percent")).to_have_text("40%")
    expect(placeholders).to_have_count(3)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "first-minutes-waiting.png")

    for _ in range(3):
        OutputFactory(generation=job, width=768, height=512)
    Generation.objects.filter(pk=job.pk).update(status=Status.SUCCEEDED, finished_at=timezone.now())
    results = card.get_by_test_id("result")
    expect(results).to_have_count(3)
    expect(placeholders).to_have_count(0)
    card_width = card.bounding_box()["width"]
    assert results.first.bounding_box()["width"] > max(card_width / 3, 120)

    results.first.click()
    lightbox = card.get_by_test_id("lightbox").first
    expect(lightbox).to_be_visible()
    for action in ["Download", "Share", "Edit", "Animate"]:
        expect(lightbox.get_by_role("link", name=action)).to_be_visible()
    expect(lightbox.get_by_test_id("favorite")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "first-minutes-lightbox.png")
    lightbox.get_by_test_id("lightbox-close").click()
    expect(lightbox).to_be_hidden()


def test_a_card_counts_the_outputs_that_are_left(page, user, password):
    job = GenerationFactory(user=user, count=2, prompt="two foxes")
    OutputFactory(generation=job)
    OutputFactory(generation=job).delete()
    log_in(page, user.email, password)
    page.goto(reverse("generation:generate"))
    card = page.locator(f"#job-{job.pk}")
    expect(card.get_by_test_id("result")).to_have_count(1)
    expect(card.get_by_test_id("job-kind")).not_to_contain_text("\u00d7 2")


def test_copy_link_puts_the_share_address_on_the_clipboard(browser, live_server, user, password):
    output = OutputFactory(generation__user=user)
    context = browser.new_context(
        base_url=live_server.url, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    try:
        log_in(page, user.email, password)
        page.goto(reverse("generation:output_detail", args=[output.pk]))
        page.get_by_test_id("share").click()
        link = page.get_by_test_id("share-link")
        page.get_by_role("button", name="Copy link").click()
        expect(page.get_by_role("button", name="Copied")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == link.text_content().strip()
        assert link.text_content().strip().endswith(link.get_attribute("href"))
    finally:
        context.close()


def test_sign_up_to_remix_keeps_the_remix_through_sign_up(page, user):
    output = OutputFactory(generation__user=user, generation__style="pixel-art")
    share = Share.objects.create(output=output, show_prompt=True)
    page.goto(reverse("sharing:page", args=[share.token]))
    page.get_by_role("link", name="Sign up to remix").click()
    sign_up(page, EMAIL, PASSWORD)

    expect(page.locator("#prompt")).to_have_value(output.generation.prompt)
    expect(page.locator("select[name=style]")).to_have_value("pixel-art")


def test_gallery_tiles_favourite_and_delete_in_place(page, user, password):
    keep = OutputFactory(generation__user=user, generation__prompt="a keeper")
    drop = OutputFactory(generation__user=user, generation__prompt="a goner")
    log_in(page, user.email, password)
    page.goto(reverse("generation:gallery") + "?favorites=on")
    expect(page.get_by_test_id("empty")).to_have_text("No favourites yet — press ☆ on a picture.")

    page.goto(reverse("generation:gallery"))
    tile = page.locator(f"[data-testid=gallery-item][data-prompt='{keep.generation.prompt}']")
    tile.hover()
    tile.get_by_role("button", name="Add to favourites").click()
    expect(tile.get_by_role("button", name="Remove from favourites")).to_be_visible()

    page.on("dialog", lambda dialog: dialog.accept())
    gone = page.locator(f"[data-testid=gallery-item][data-prompt='{drop.generation.prompt}']")
    gone.hover()
    gone.get_by_role("button", name="Delete").click()
    expect(gone).to_have_count(0)

    page.reload()  # the cached grid follows both changes
    expect(page.get_by_test_id("gallery-item")).to_have_count(1)
    page.goto(reverse("generation:gallery") + "?favorites=on")
    expect(page.get_by_test_id("gallery-item")).to_have_count(1)


def test_a_phone_offers_its_share_sheet_with_the_share_address(
    browser, live_server, user, password
):
    output = OutputFactory(generation__user=user)
    context = browser.new_context(base_url=live_server.url, is_mobile=True, has_touch=True)
    # Chromium here has no share sheet: a stand-in records what the page would hand it.
    context.add_init_script(
        "navigator.share = (data) => { window.sharedWith = data; return Promise.resolve(); };"
    )
    page = context.new_page()
    try:
        log_in(page, user.email, password)
        page.goto(reverse("generation:output_detail", args=[output.pk]))
        page.get_by_test_id("share").click()
        page.get_by_role("button", name="Share…").click()
        page.wait_for_function("window.sharedWith !== undefined")
        shared = page.evaluate("window.sharedWith")
        assert shared["url"] == page.get_by_test_id("share-link").text_content().strip()
        assert shared["title"] == "A picture made with Cartonify"
    finally:
        context.close()


def test_without_a_share_sheet_the_button_stays_hidden(page, user, password):
    output = OutputFactory(generation__user=user)
    log_in(page, user.email, password)
    page.goto(reverse("generation:output_detail", args=[output.pk]))
    page.get_by_test_id("share").click()
    expect(page.get_by_test_id("copy-link")).to_be_visible()
    assert page.evaluate("navigator.share === undefined")
    expect(page.get_by_test_id("native-share")).to_be_hidden()
