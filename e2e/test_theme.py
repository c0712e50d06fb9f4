"""The dark theme follows the system, and the switch's choice is remembered."""

from playwright.sync_api import expect

PAPER = "getComputedStyle(document.documentElement).backgroundColor"


def test_dark_theme_follows_the_system_and_the_switch_is_remembered(browser, live_server):
    context = browser.new_context(base_url=live_server.url, color_scheme="dark")
    page = context.new_page()
    page.goto("/accounts/login/")
    dark = page.evaluate(PAPER)
    assert dark == "rgb(20, 19, 28)"

    switch = page.get_by_test_id("theme-switch")
    switch.click()  # auto → light
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    assert page.evaluate(PAPER) == "rgb(247, 246, 251)"

    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    switch.click()  # light → dark
    switch.click()  # dark → auto: the system's again
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") is None
    assert page.evaluate(PAPER) == dark
    context.close()


def test_light_system_gets_the_light_theme(page):
    page.emulate_media(color_scheme="light")
    page.goto("/accounts/login/")

    assert page.evaluate(PAPER) == "rgb(247, 246, 251)"
