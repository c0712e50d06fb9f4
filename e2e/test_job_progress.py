"""A running job's card shows how far the model has got, and the bar moves as it reports."""

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import log_in, polls_of
from generation.models import Generation, Status
from generation.tests.factories import GenerationFactory, OutputFactory

STEP = " 45%|████▌     | 9/20 [00:02<00:02, 4.1it/s]"


def test_the_card_shows_the_models_progress_as_it_moves(phone, user, password):
    job = GenerationFactory(
        user=user, status=Status.RUNNING, started_at=timezone.now(), prompt="a fox"
    )
    log_in(phone, user.email, password)
    phone.goto(reverse("generation:jobs"))
    card = phone.locator(f"#job-{job.pk}")
    expect(card.get_by_test_id("job-progress")).to_have_count(0)

    with polls_of(phone, job.pk) as polls:
        Generation.objects.filter(pk=job.pk).update(progress=45, logs_excerpt=STEP.strip())
        bar = card.get_by_test_id("job-progress")
        expect(bar).to_have_attribute("value", "45")
    assert len(polls) <= 2  # the one under way, then the next
    expect(card.get_by_test_id("job-stage")).to_contain_text("9/20")
    box = bar.bounding_box()
    assert box and box["width"] > 100 and box["x"] + box["width"] <= 390

    with polls_of(phone, job.pk) as polls:
        Generation.objects.filter(pk=job.pk).update(progress=90)
        expect(bar).to_have_attribute("value", "90")
    assert len(polls) <= 2  # the one under way, then the next

    with polls_of(phone, job.pk) as polls:
        OutputFactory(generation=job)
        Generation.objects.filter(pk=job.pk).update(
            status=Status.SUCCEEDED, progress=100, finished_at=timezone.now()
        )
        expect(card.get_by_test_id("job-status")).to_have_text("Succeeded")
    assert len(polls) <= 2  # the one under way, then the next
    expect(card.get_by_test_id("job-progress")).to_have_count(0)
