"""An owner shares a picture; a signed-out visitor on a phone sees it (and its link preview
image), on Explore and on the home page; unsharing and a staff hide take it away at once.
The README's screenshot of a shared page is taken here (e2e/artifacts/readme-shared-page.png)."""

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from e2e.helpers import log_in
from e2e.phone import ARTIFACTS, overflow
from generation.models import Output
from generation.tests.factories import OutputFactory
from testing.mfa import activate_totp, totp_code

PROMPT = "a private lighthouse on a cliff at dusk"


def generate_one_picture(page: Page, user) -> Output:
    page.goto(reverse("generation:generate"))
    page.locator("#prompt").fill(PROMPT)
    page.locator("select[name=style]").select_option("watercolor")
    page.locator("select[name=count]").select_option("1")
    page.get_by_test_id("generate").click()
    job = page.locator("article.job", has_text=PROMPT)
    expect(job.get_by_test_id("job-status")).to_have_text("Succeeded")
    return Output.objects.filter(user=user).latest("id")


def share_from_output_page(page: Page, output) -> str:
    page.goto(reverse("generation:output_detail", args=[output.pk]))
    page.get_by_test_id("share").click()
    link = page.get_by_test_id("share-link")
    expect(link).to_be_visible()
    return link.get_attribute("href")


def staff_signs_in(page: Page, password: str) -> None:
    boss = UserFactory(email="mod@example.com", password=password, is_staff=True, is_superuser=True)
    secret = activate_totp(boss)
    page.goto("/admin/")
    page.locator("input[name=login]").fill(boss.email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator("#site-name")).to_contain_text("Cartonify staff")


def expect_listed(visitor: Page, path: str, listed: bool) -> None:
    tiles = visitor.locator(f'[data-testid=shared-item] a[href="{path}"]')
    for url in ["/explore/", "/"]:
        visitor.goto(url)
        expect(tiles).to_have_count(1 if listed else 0)


def test_a_shared_picture_is_public_until_unshared_or_hidden(
    page: Page, phone: Page, browser, live_server, user, password, settings
):
    settings.GENERATION_PROVIDER = "local"
    second = OutputFactory(generation__user=user, generation__prompt="a bright owl")
    log_in(page, user.email, password)
    first = generate_one_picture(page, user)
    path = share_from_output_page(page, first)
    assert re.fullmatch(r"/share/[\w-]{43}/", path)

    visitor = phone  # signed out, 390 px wide
    csp_violations = []
    visitor.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    visitor.goto(path)
    expect(visitor.get_by_test_id("shared-media")).to_be_visible()
    expect(visitor.get_by_test_id("made-with")).to_have_attribute("href", "/")
    html = visitor.content()
    assert user.email not in html and PROMPT not in html
    assert f"outputs/{user.pk}/" not in html and f"/gallery/{first.pk}/" not in html
    og_image = visitor.locator('meta[property="og:image"]').get_attribute("content")
    assert og_image.startswith(live_server.url)
    preview = visitor.request.get(og_image)
    assert preview.status == 200 and preview.headers["content-type"].startswith("image/")
    assert overflow(visitor, "shared-page") is None
    ARTIFACTS.mkdir(exist_ok=True)
    visitor.screenshot(path=ARTIFACTS / "readme-shared-page.png")
    expect_listed(visitor, path, listed=True)
    assert overflow(visitor, "home-with-shares") is None
    visitor.goto("/explore/")
    assert overflow(visitor, "explore") is None

    page.goto(path)  # the signed-in owner remixes it
    page.get_by_test_id("remix").click()
    expect(page).to_have_url(re.compile(r"/generate/\?.*style=watercolor"))
    expect(page.locator("select[name=style]")).to_have_value("watercolor")
    expect(page.locator("#prompt")).to_have_value("")  # not shared with its prompt

    page.goto(reverse("generation:output_detail", args=[first.pk]))
    page.get_by_test_id("unshare").click()
    expect(page.get_by_test_id("share")).to_be_visible()
    assert visitor.goto(path).status == 404
    assert visitor.request.get(og_image).status == 404
    expect_listed(visitor, path, listed=False)

    second_path = share_from_output_page(page, second)
    expect_listed(visitor, second_path, listed=True)
    staff = browser.new_context(base_url=live_server.url).new_page()
    staff_signs_in(staff, password)
    staff.get_by_role("link", name="Shares").click()
    staff.locator("#result_list tbody tr").first.locator("th a").click()
    staff.get_by_role("link", name="Hide from public pages (with a reason)").click()
    staff.locator("textarea[name=reason]").fill("Reported as spam")
    staff.get_by_role("button", name="Hide").click()
    expect(staff.locator(".messagelist")).to_contain_text("Reported as spam")
    staff.context.close()

    assert visitor.goto(second_path).status == 404
    expect_listed(visitor, second_path, listed=False)
    page.goto(reverse("generation:output_detail", args=[second.pk]))
    expect(page.get_by_test_id("share-hidden")).to_contain_text("Reported as spam")
    assert csp_violations == []
