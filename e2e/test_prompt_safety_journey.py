"""A refused prompt charges nothing; a harmless one that contains a listed string passes."""

from playwright.sync_api import expect

from billing import services as billing
from e2e.helpers import log_in
from generation.models import Generation, RefusedPrompt


def test_a_refused_prompt_costs_nothing_and_scunthorpe_cocktail_is_made(page, user, password):
    log_in(page, user.email, password)
    page.get_by_role("link", name="Generate").click()
    expect(page.get_by_test_id("credits")).to_contain_text("5")

    page.locator("#prompt").fill("a nude statue in a park")
    page.get_by_test_id("generate").click()

    expect(page.get_by_text("This prompt was refused: sexual content.")).to_be_visible()
    expect(page.get_by_test_id("credits")).to_contain_text("5")
    assert billing.credits_balance(user=user) == 5
    assert not Generation.objects.exists() and RefusedPrompt.objects.count() == 1

    page.locator("#prompt").fill("Scunthorpe cocktail")
    page.get_by_test_id("generate").click()

    job = page.locator("article.job").first
    expect(job.get_by_test_id("job-status")).to_have_text("Succeeded")
    expect(page.get_by_test_id("credits")).to_contain_text("4")
    assert Generation.objects.get().prompt == "Scunthorpe cocktail"
