from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from testing.mfa import activate_totp, totp_code


def test_superuser_signs_in_with_totp_and_grants_credits_with_a_reason(
    page: Page, transactional_db, password
):
    boss = UserFactory(
        email="boss@example.com", password=password, is_staff=True, is_superuser=True
    )
    secret = activate_totp(boss)
    UserFactory(email="customer@example.com")

    page.goto("/admin/")
    page.locator("input[name=login]").fill(boss.email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator("#site-name")).to_contain_text("Cartonify staff")

    page.get_by_role("link", name="Users").first.click()
    page.locator("#searchbar").fill("customer@")
    page.locator("#searchbar").press("Enter")
    page.get_by_role("link", name="customer@example.com").click()
    page.get_by_role("link", name="Grant or deduct credits").click()
    page.locator("input[name=amount]").fill("10")
    page.locator("textarea[name=reason]").fill("Sorry about Tuesday's outage")
    page.get_by_role("button", name="Adjust").click()

    ledger = page.get_by_test_id("user-ledger")
    expect(ledger.locator("tbody tr").first).to_contain_text("Sorry about Tuesday's outage")
    expect(ledger.locator("tbody tr").first).to_contain_text("+10")
    expect(ledger.locator("tbody tr").first).to_contain_text("boss@example.com")
    expect(page.get_by_text("15 credits")).to_be_visible()
