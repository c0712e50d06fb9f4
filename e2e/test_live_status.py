"""A job card follows its job: it never shows a state the job has left for more than one
poll, Cancel goes when the job ends, and the card stops polling then."""

import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import log_in, polls_of
from generation.models import Generation, Status
from generation.tests.factories import GenerationFactory, OutputFactory

ALREADY_FINISHED = "This job already finished; nothing was charged back."


def test_a_card_follows_its_job_to_the_end_and_stops_polling(page, user, password):
    job = GenerationFactory(user=user, status=Status.QUEUED, prompt="a lighthouse on a cliff")
    log_in(page, user.email, password)
    page.goto(reverse("generation:jobs"))
    card = page.locator(f"#job-{job.pk}")
    expect(card.get_by_test_id("job-status")).to_have_text("Queued")

    with polls_of(page, job.pk) as polls:
        Generation.objects.filter(pk=job.pk).update(
            status=Status.RUNNING, started_at=timezone.now()
        )
        expect(card.get_by_test_id("job-status")).to_have_text("Running")
    assert len(polls) <= 2  # the one under way, then the next
    expect(card.get_by_role("button", name="Cancel")).to_be_visible()

    with polls_of(page, job.pk) as polls:
        OutputFactory(generation=job)
        Generation.objects.filter(pk=job.pk).update(
            status=Status.SUCCEEDED, finished_at=timezone.now()
        )
        expect(card.get_by_test_id("job-status")).to_have_text("Succeeded")
    assert len(polls) <= 2  # the one under way, then the next
    expect(card.get_by_role("button", name="Cancel")).to_have_count(0)
    expect(card.get_by_test_id("result")).to_have_count(1)
    # htmx polls while the card carries its trigger; the finished card has none.
    expect(card).not_to_have_attribute("hx-trigger", re.compile("every"))


def test_a_card_keeps_polling_through_a_failed_poll(page, user, password):
    job = GenerationFactory(user=user, status=Status.RUNNING, prompt="a fox")
    log_in(page, user.email, password)
    page.route(f"**/jobs/{job.pk}/", lambda route: route.fulfill(status=503, body="busy"))
    with page.expect_response(lambda response: response.status == 503):  # a poll refused
        page.goto(reverse("generation:jobs"))

    page.unroute(f"**/jobs/{job.pk}/")
    with polls_of(page, job.pk) as polls:
        Generation.objects.filter(pk=job.pk).update(status=Status.FAILED, error="It broke.")

        card = page.locator(f"#job-{job.pk}")
        expect(card.get_by_test_id("job-status")).to_have_text("Failed")
    assert len(polls) <= 2  # the one under way, then the next


def test_cancel_on_a_job_that_finished_meanwhile_says_so_on_the_card(page, user, password):
    job = GenerationFactory(user=user, status=Status.RUNNING, prompt="a fox")
    log_in(page, user.email, password)
    # Hold the card's polls back, so it still shows Running when the job has ended.
    page.route(f"**/jobs/{job.pk}/", lambda route: route.abort())
    page.goto(reverse("generation:jobs"))
    card = page.locator(f"#job-{job.pk}")
    expect(card.get_by_test_id("job-status")).to_have_text("Running")

    OutputFactory(generation=job)
    Generation.objects.filter(pk=job.pk).update(status=Status.SUCCEEDED, finished_at=timezone.now())
    card.get_by_role("button", name="Cancel").click()

    expect(card.get_by_test_id("job-notice")).to_have_text(ALREADY_FINISHED)
    expect(card.get_by_test_id("job-status")).to_have_text("Succeeded")
    expect(card.get_by_role("button", name="Cancel")).to_have_count(0)
    page.reload()
    expect(page.get_by_text(ALREADY_FINISHED)).to_have_count(0)


def test_cancel_ends_a_running_job_on_its_card(page, user, password):
    job = GenerationFactory(user=user, status=Status.RUNNING, prompt="a fox")
    log_in(page, user.email, password)
    page.goto(reverse("generation:jobs"))
    card = page.locator(f"#job-{job.pk}")

    card.get_by_role("button", name="Cancel").click()

    expect(card.get_by_test_id("job-status")).to_have_text("Canceled")
    expect(card.get_by_role("button", name="Cancel")).to_have_count(0)
    expect(card.get_by_role("button", name="Retry")).to_be_visible()
