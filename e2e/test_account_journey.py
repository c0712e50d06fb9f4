from playwright.sync_api import expect

from e2e.helpers import log_out, sign_up

EMAIL = "journey@example.com"
PASSWORD = "a long and unusual passphrase 7"


def test_sign_up_confirm_log_out_and_back_in(page, tmp_path):
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    sign_up(page, EMAIL, PASSWORD)
    page.screenshot(path=tmp_path / "signed-in.png", full_page=True)

    log_out(page)
    expect(page.get_by_test_id("nav-email")).to_have_count(0)

    page.get_by_role("link", name="Log in").first.click()
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_test_id("nav-email")).to_have_text(EMAIL)
