from playwright.sync_api import expect

from e2e.helpers import log_in


def test_generate_two_images_curate_them_and_find_the_favourite(page, user, password, tmp_path):
    log_in(page, user.email, password)

    page.get_by_role("link", name="Generate").click()
    page.locator("#prompt").fill("a lighthouse on a cliff at dusk")
    page.locator("select[name=count]").select_option("2")
    page.get_by_test_id("generate").click()

    job = page.locator("article.job").first
    expect(job.get_by_test_id("job-status")).to_have_text("Succeeded")
    expect(job.get_by_test_id("result")).to_have_count(2)
    expect(page.get_by_test_id("credits")).to_contain_text("4")
    page.screenshot(path=tmp_path / "generated.png", full_page=True)

    page.get_by_role("link", name="Gallery").click()
    tiles = page.get_by_test_id("gallery-item")
    expect(tiles).to_have_count(2)

    tiles.nth(0).locator("a").first.click()
    page.get_by_test_id("favorite").click()
    expect(page.get_by_test_id("favorite")).to_contain_text("★ Favourite")

    page.get_by_role("link", name="Gallery").click()
    tiles.nth(1).locator("a").first.click()
    page.get_by_role("link", name="Delete").click()
    page.get_by_test_id("confirm-delete").click()
    expect(page.get_by_text("Deleted.")).to_be_visible()
    expect(tiles).to_have_count(1)

    page.get_by_placeholder("Search prompts").fill("lighthouse")
    page.get_by_role("button", name="Search").click()
    expect(tiles).to_have_count(1)
    expect(tiles.first).to_contain_text("★")
    page.screenshot(path=tmp_path / "gallery.png", full_page=True)
