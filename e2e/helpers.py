from contextlib import contextmanager

from playwright.sync_api import Page, expect


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_test_id("nav-email")).to_have_text(email)


def log_out(page: Page) -> None:
    """Open the account menu (the ◐ button's neighbour; on a phone, inside Menu) and log out."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_test_id("account-menu").locator("summary").click()
    page.get_by_test_id("logout").click()


@contextmanager
def polls_of(page: Page, job_pk: int):
    """Yields the list of poll answers job `job_pk`'s card gets while the block runs.

    "Shown within one poll" counted in polls, not seconds: a change made during a poll
    may miss it, so the card must show it by the next one, however slow the machine."""
    answers = []

    def heard(response):
        if response.url.endswith(f"/jobs/{job_pk}/"):
            answers.append(response)

    page.on("response", heard)
    try:
        yield answers
    finally:
        page.remove_listener("response", heard)
