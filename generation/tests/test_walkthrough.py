"""What a new user tripped over: refusals said once and plainly, edits captioned, a cancel
that came too late said on the card, and the offline renderer named
calmly where pictures are made (the operator's instruction goes to staff only)."""

import pytest
from django.urls import reverse

from core.ratelimits import RateLimited
from generation.models import Kind, Status
from generation.tests.factories import GenerationFactory, OutputFactory
from testing.forms import generator_form
from testing.mfa import log_in_as_staff

pytestmark = pytest.mark.django_db

FORM = generator_form(style="watercolor", color="warm")


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


def page_url(name, output):
    return (
        reverse(name, args=[output.pk]) if name.startswith("generation:output") else reverse(name)
    )


@pytest.mark.parametrize("name", ["generation:generate", "generation:output_edit"])
def test_demo_mode_is_said_calmly_where_pictures_are_made(signed_in, user, settings, name):
    url = page_url(name, OutputFactory(generation__user=user))

    settings.GENERATION_PROVIDER = "local"
    page = signed_in.get(url).content.decode()
    assert "Demo mode: pictures are drawn by a simple offline renderer" in page
    assert "REPLICATE_API_TOKEN" not in page
    settings.GENERATION_PROVIDER = "replicate"
    assert 'data-testid="offline-renderer"' not in signed_in.get(url).content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "generation:jobs",
        "generation:gallery",
        "generation:output_detail",
        "generation:output_delete",
    ],
)
def test_pages_that_only_show_pictures_carry_no_renderer_notice(signed_in, user, settings, name):
    settings.GENERATION_PROVIDER = "local"
    page = signed_in.get(page_url(name, OutputFactory(generation__user=user))).content.decode()

    assert 'data-testid="offline-renderer"' not in page


def test_staff_are_told_how_to_switch_to_replicate_on_the_admin_index(client, make_user, settings):
    log_in_as_staff(client, make_user(is_staff=True, is_superuser=True))
    settings.GENERATION_PROVIDER = "local"
    assert "REPLICATE_API_TOKEN" in client.get(reverse("admin:index")).content.decode()
    settings.GENERATION_PROVIDER = "replicate"
    assert "REPLICATE_API_TOKEN" not in client.get(reverse("admin:index")).content.decode()


def test_a_system_check_warns_the_operator_of_the_offline_renderer(settings):
    from django.core.checks import run_checks

    settings.GENERATION_PROVIDER = "local"
    assert "generation.W001" in [message.id for message in run_checks()]
    settings.GENERATION_PROVIDER = "replicate"
    assert "generation.W001" not in [message.id for message in run_checks()]
