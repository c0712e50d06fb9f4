from contextlib import contextmanager
from pathlib import Path

from django.core import mail
from playwright.sync_api import Page, expect

from testing.mail import code_from_mail


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_test_id("nav-email")).to_have_text(email)


def sign_up(page: Page, email: str, password: str) -> None:
    """Fill the sign-up form the page is on, then the code mailed for it."""
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(password)
    page.locator("input[name=password2]").fill(password)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Enter Email Verification Code")).to_be_visible()
    page.locator("input[name=code]").fill(code_from_mail(mail.outbox[-1]))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("nav-email")).to_have_text(email)


def edit_an_upload(page: Page, picture: Path, operation: str) -> None:
    """On the generator: the Edit tab, `picture` uploaded, `operation` chosen, Edit pressed."""
    page.get_by_role("tab", name="Edit an image").click()
    form = page.locator("#edit-form")
    form.locator("input[name=source_upload]").set_input_files(picture)
    form.locator("select[name=edit_operation]").select_option(operation)
    form.get_by_role("button", name="Edit", exact=True).click()


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
