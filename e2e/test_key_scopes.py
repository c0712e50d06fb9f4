"""Choosing a key's scopes and monthly cap in the browser; the list shows spend against
the cap; the page fits a phone."""

from playwright.sync_api import expect

from e2e.helpers import log_in
from e2e.phone import overflow


def test_a_key_made_with_chosen_scopes_and_cap_shows_them_and_its_spend(
    phone, user, password, live_server
):
    log_in(phone, user.email, password)
    phone.goto("/account/api-keys/")

    phone.locator("input[name=name]").fill("read and generate")
    phone.get_by_label("Manage: cancel, delete").uncheck()
    phone.get_by_label("Monthly credit cap").fill("5")
    phone.get_by_role("button", name="Create key").click()

    expect(phone.get_by_test_id("new-key-value")).to_contain_text("ck_live_")
    expect(phone.get_by_test_id("key-scopes")).to_have_text("read, generate")
    expect(phone.get_by_test_id("key-spend")).to_contain_text("0 / 5 credits")
    assert overflow(phone, "api-keys-scopes") is None


def test_a_key_without_scopes_is_refused_in_the_browser(phone, user, password, live_server):
    log_in(phone, user.email, password)
    phone.goto("/account/api-keys/")

    phone.locator("input[name=name]").fill("nothing")
    for label in (
        "Read: list, get, download, usage",
        "Generate: create jobs",
        "Manage: cancel, delete",
    ):
        phone.get_by_label(label).uncheck()
    phone.get_by_role("button", name="Create key").click()

    expect(phone.get_by_text("Choose at least one scope")).to_be_visible()
    expect(phone.get_by_test_id("new-key-value")).to_have_count(0)
