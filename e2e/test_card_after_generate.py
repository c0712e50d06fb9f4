"""On the embedded defaults (tasks run inline, the offline renderer) a job has ended by
the time Generate answers: the card that answer puts on the page shows how it ended."""

from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import log_in
from generation.models import Status

# The card's own polls held back: what it shows is what the Generate answer said.
CARD_POLLS = "**/jobs/*/"


def test_the_card_after_generate_shows_the_finished_job_and_offers_no_cancel(
    page, user, password, settings
):
    settings.GENERATION_PROVIDER = "local"
    log_in(page, user.email, password)
    page.goto(reverse("generation:generate"))
    page.route(CARD_POLLS, lambda route: route.abort())

    page.locator("#prompt").fill("a lighthouse on a cliff at dusk")
    page.locator("select[name=count]").select_option("2")
    page.get_by_test_id("generate").click()

    card = page.locator("article.job")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-status", Status.SUCCEEDED)
    expect(card.get_by_test_id("job-status")).to_have_text("Succeeded")
    expect(card.get_by_role("button", name="Cancel")).to_have_count(0)
    expect(card.get_by_test_id("result")).to_have_count(2)
    expect(page.get_by_test_id("credits")).to_contain_text("4")
