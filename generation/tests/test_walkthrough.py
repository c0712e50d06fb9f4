"""What a new user tripped over: refusals said once and plainly, edits captioned, a cancel
that came too late said on the card, and the offline renderer named where outputs show."""

import pytest
from django.urls import reverse

from core.ratelimits import RateLimited
from generation.models import Kind, Status
from generation.tests.factories import GenerationFactory, OutputFactory
from testing.forms import generator_form

pytestmark = pytest.mark.django_db

FORM = generator_form(style="watercolor", color="warm")
OUTPUT_PAGES = ["generation:generate", "generation:jobs", "generation:gallery"]


@pytest.mark.parametrize(
    "seconds, rate, allowed, expected",
    [
        (
            7 * 60,
            "10/h",
            "start {count} generations",
            "You can start 10 generations an hour. Try again in 7 minutes.",
        ),
        (
            30,
            "30/h",
            "improve {count} prompts",
            "You can improve 30 prompts an hour. Try again in 1 minute.",
        ),
        (
            50,
            "5/m",
            "start {count} generations",
            "You can start 5 generations a minute. Try again in 1 minute.",
        ),
    ],
)
def test_a_rate_limit_reads_naturally(seconds, rate, allowed, expected):
    assert RateLimited(seconds, rate, allowed=allowed).message == expected


def test_a_refusal_is_shown_once(signed_in, user):
    for _ in range(5):
        signed_in.post(reverse("generation:generate"), FORM)

    page = signed_in.post(reverse("generation:generate"), FORM, headers={"HX-Request": "true"})

    text = page.content.decode()
    assert page.status_code == 402
    refusal = text.split('data-testid="composer-error">')[1].split("<a")[0].strip()
    assert refusal and text.count(refusal) == 1


def test_canceling_a_job_that_finished_meanwhile_says_so_on_its_card(signed_in, user):
    job = GenerationFactory(user=user, status=Status.SUCCEEDED)
    OutputFactory(generation=job)

    response = signed_in.post(
        reverse("generation:job_cancel", args=[job.pk]), headers={"HX-Request": "true"}
    )

    card = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="job-notice">This job already finished; nothing was charged back.' in card
    assert 'data-status="succeeded"' in card and ">Cancel<" not in card and "hx-trigger" not in card
    assert "already finished" not in signed_in.get(reverse("generation:jobs")).content.decode()


def test_edits_carry_a_caption_in_the_gallery_and_on_their_job_card(signed_in, user):
    source = OutputFactory(generation__user=user)
    edit = GenerationFactory(
        user=user, kind=Kind.EDIT, edit_operation="sepia", source_output=source, prompt=""
    )
    OutputFactory(generation=edit)
    upload_edit = GenerationFactory(user=user, kind=Kind.EDIT, edit_operation="cartoonify")
    OutputFactory(generation=upload_edit)

    gallery = signed_in.get(reverse("generation:gallery")).content.decode()
    jobs = signed_in.get(reverse("generation:jobs")).content.decode()

    for page in (gallery, jobs):
        assert f"Sepia, from image #{source.pk}" in page
        assert "Cartoon filter, from an upload" in page


@pytest.mark.parametrize(
    "name",
    [
        *OUTPUT_PAGES,
        "generation:output_detail",
        "generation:output_edit",
        "generation:output_delete",
    ],
)
def test_the_offline_renderer_is_named_on_every_page_with_outputs(signed_in, user, settings, name):
    output = OutputFactory(generation__user=user)
    url = reverse(name, args=[output.pk]) if name.startswith("generation:output") else reverse(name)

    settings.GENERATION_PROVIDER = "local"
    assert 'data-testid="offline-renderer"' in signed_in.get(url).content.decode()
    settings.GENERATION_PROVIDER = "replicate"
    assert 'data-testid="offline-renderer"' not in signed_in.get(url).content.decode()


def test_the_gallery_notice_is_outside_its_cached_fragment(signed_in, user, settings):
    OutputFactory(generation__user=user)
    settings.GENERATION_PROVIDER = "local"
    signed_in.get(reverse("generation:gallery"))  # fills the fragment cache

    settings.GENERATION_PROVIDER = "replicate"
    assert "offline-renderer" not in signed_in.get(reverse("generation:gallery")).content.decode()
