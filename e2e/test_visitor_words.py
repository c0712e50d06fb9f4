"""Visitors read words for users: the operator's set-up instruction (REPLICATE_API_TOKEN)
is on no page they reach, signed out or in; the demo line shows where pictures are made."""

from playwright.sync_api import expect

from e2e.helpers import log_in
from e2e.site_pages import shared_output_token, signed_in_pages, signed_out_pages


def pages_naming_the_token(page, pages: dict[str, str]) -> list[str]:
    named = []
    for name, url in pages.items():
        page.goto(url)
        if "REPLICATE_API_TOKEN" in page.content():
            named.append(name)
    return named


def test_no_signed_out_page_names_the_operators_token(page, user, settings):
    settings.GENERATION_PROVIDER = "local"
    assert pages_naming_the_token(page, signed_out_pages(shared_output_token(user))) == []


def test_no_signed_in_page_names_the_operators_token(page, user, password, settings):
    settings.GENERATION_PROVIDER = "local"
    pages = signed_in_pages(user)
    log_in(page, user.email, password)

    assert pages_naming_the_token(page, pages) == []
    page.goto(pages["generator"])
    expect(page.get_by_test_id("offline-renderer")).to_have_text(
        "Demo mode: pictures are drawn by a simple offline renderer, not an AI model."
    )
