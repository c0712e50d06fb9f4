"""Every page works under the Content-Security-Policy: a browser visits them all, as a
visitor, a user and a staff member, and fails on any violation Chromium reports."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from billing.tests.test_premium_browser import fake_checkout  # noqa: F401
from e2e.helpers import log_in, log_out
from generation.tests.factories import OutputFactory
from testing.mfa import activate_totp, totp_code

VISITOR_PAGES = ["home", "account_login", "account_signup", "account_reset_password"]
USER_PAGES = [
    "generation:generate",
    "generation:gallery",
    "generation:jobs",
    "apikeys:key_list",
    "apikeys:usage",
    "billing:premium",
    "accounts:account",
    "accounts:close",
    "accounts:defaults",
]
OUTPUT_PAGES = ["generation:output_detail", "generation:output_edit", "generation:output_delete"]
STAFF_PAGES = ["/admin/", "/admin/accounts/user/", "/admin/generation/generation/", "/api/v1/docs"]


def violations_on(page, urls) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    return seen


def test_the_policy_is_sent_and_strict(client):
    header = client.get(reverse("account_login"))["Content-Security-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert policy["script-src"] == "'self'"  # a nonce only where a page has an inline script
    assert "unsafe-inline" not in policy["style-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


@pytest.mark.usefixtures("fake_checkout")
def test_no_page_breaks_the_policy(page, user, password, make_user):
    output = OutputFactory(generation__user=user)
    urls = [reverse(name) for name in VISITOR_PAGES]
    assert violations_on(page, urls) == []

    log_in(page, user.email, password)
    urls = [reverse(name) for name in USER_PAGES]
    urls += [reverse(name, args=[output.pk]) for name in OUTPUT_PAGES]
    assert violations_on(page, urls) == []
    log_out(page)

    staff = make_user(is_staff=True, is_superuser=True)
    secret = activate_totp(staff)
    log_in_with_totp(page, staff.email, password, secret)
    assert violations_on(page, STAFF_PAGES) == []


def log_in_with_totp(page, email, password, secret):
    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_test_id("nav-email")).to_have_text(email)
