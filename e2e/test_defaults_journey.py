"""A user saves their defaults, and the composer starts from them."""

from playwright.sync_api import expect

from e2e.helpers import log_in


def test_saved_defaults_preselect_the_composer(page, user, password):
    log_in(page, user.email, password)
    page.goto("/account/")
    page.get_by_test_id("defaults-link").click()
    page.get_by_label("Style").select_option("watercolor")
    page.get_by_label("Colour").select_option("neon")
    page.get_by_label("Size").select_option("1024")
    page.get_by_label("Pictures per request").select_option("4")
    page.get_by_test_id("defaults-save").click()
    expect(page.get_by_text("Your defaults are saved.")).to_be_visible()

    page.goto("/generate/")
    composer = page.locator("#id_style").locator("xpath=ancestor::form")
    expect(composer.get_by_label("Style")).to_have_value("watercolor")
    expect(composer.get_by_label("Colour")).to_have_value("neon")
    expect(composer.get_by_label("Size")).to_have_value("1024")
    expect(composer.get_by_label("Count")).to_have_value("4")
