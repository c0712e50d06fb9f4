"""A newcomer's generator, the landing prompt's way in, job cards and gallery tiles (issue 26)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from generation.models import Generation, Kind, Output, Status
from generation.starters import STARTERS
from generation.tests.factories import GenerationFactory, OutputFactory

pytestmark = pytest.mark.django_db


def test_a_newcomer_gets_the_welcome_and_every_starter(signed_in):
    page = signed_in.get(reverse("generation:generate")).content.decode()

    assert 'data-testid="welcome"' in page and "5 credits" in page
    assert page.count('data-testid="starter"') == len(STARTERS)
    assert f'data-prompt="{STARTERS[0].prompt}"' in page
    assert "autofocus" in page


def test_someone_with_a_job_gets_no_starters(signed_in, user):
    GenerationFactory(user=user)
    page = signed_in.get(reverse("generation:generate")).content.decode()

    assert 'data-testid="starter"' not in page and "autofocus" not in page


def test_every_starter_is_a_valid_request_with_its_example_shipped(settings):
    from django.contrib.staticfiles import finders

    from generation.options import COLORS, STYLES

    for starter in STARTERS:
        assert starter.style in STYLES and starter.color in COLORS
        assert finders.find(starter.example), starter.example


def test_the_landing_prompt_leads_a_visitor_through_sign_up_to_the_generator(client):
    response = client.get(reverse("generation:start"), {"prompt": "a fox & a map"})

    target = urlsplit(response["Location"])
    assert target.path == reverse("account_signup")
    after = parse_qs(target.query)["next"][0]
    assert urlsplit(after).path == reverse("generation:generate")
    assert parse_qs(urlsplit(after).query)["prompt"] == ["a fox & a map"]


def test_the_landing_prompt_takes_a_signed_in_user_straight_to_the_generator(signed_in):
    response = signed_in.get(reverse("generation:start"), {"prompt": "a fox"})

    assert response["Location"] == reverse("generation:generate") + "?prompt=a+fox"
    page = signed_in.get(response["Location"]).content.decode()
    assert ">a fox</textarea>" in page


def test_enhancements_are_not_listed_among_the_jobs(signed_in, user):
    GenerationFactory(user=user, kind=Kind.ENHANCE, prompt="make it better", result_text="x")
    GenerationFactory(user=user, prompt="a picture job")

    for name in ("generation:generate", "generation:jobs"):
        page = signed_in.get(reverse(name)).content.decode()
        assert "a picture job" in page and "make it better" not in page


def test_a_waiting_card_has_a_placeholder_per_picture_at_the_asked_shape(signed_in, user):
    job = GenerationFactory(user=user, status=Status.QUEUED, count=3, width=512, height=768)

    card = signed_in.get(reverse("generation:job_status", args=[job.pk])).content.decode()

    assert card.count('data-testid="placeholder"') == 3
    assert 'viewBox="0 0 512 768"' in card


def test_a_running_card_shows_its_percentage(signed_in, user):
    job = GenerationFactory(user=user, status=Status.RUNNING, progress=63)

    card = signed_in.get(reverse("generation:job_status", args=[job.pk])).content.decode()

    assert '<strong data-testid="job-percent">63%</strong>' in card


@pytest.mark.parametrize(
    ("seconds", "label"), [(0, "0 s"), (9, "9 s"), (60, "1 min 00 s"), (125, "2 min 05 s")]
)
def test_elapsed_time_reads_in_minutes_and_seconds(seconds, label):
    start = timezone.now()
    job = Generation(created_at=start, finished_at=start + timedelta(seconds=seconds))
    assert job.elapsed_label == label


def test_a_finished_card_counts_the_outputs_still_kept(signed_in, user):
    job = GenerationFactory(user=user, count=2)
    OutputFactory(generation=job)
    OutputFactory(generation=job).delete()

    card = signed_in.get(reverse("generation:job_status", args=[job.pk])).content.decode()

    assert "\u00d7 2" not in card and card.count('data-testid="result"') == 1
    assert Generation.objects.get(pk=job.pk).outputs_shown == 1


def test_a_tile_favourite_answers_with_the_tile_switch(signed_in, user):
    output = OutputFactory(generation__user=user)
    url = reverse("generation:output_favorite", args=[output.pk])

    answer = signed_in.post(url, {"favorite": "1", "on": "tile"}, headers={"HX-Request": "true"})

    assert 'data-testid="tile-favorite"' in answer.content.decode()
    assert 'aria-pressed="true"' in answer.content.decode()


def test_a_tile_delete_answers_with_nothing_in_its_place(signed_in, user):
    output = OutputFactory(generation__user=user)
    url = reverse("generation:output_delete", args=[output.pk])

    answer = signed_in.post(url, headers={"HX-Request": "true"})

    assert answer.status_code == 200 and answer.content == b""
    assert not Output.objects.filter(pk=output.pk).exists()


def test_the_grid_holds_no_csrf_token_for_the_cache_to_keep(signed_in, user):
    OutputFactory(generation__user=user)
    page = signed_in.get(reverse("generation:gallery")).content.decode()
    grid = page.split('class="grid gallery"', 1)[1]
    assert "csrfmiddlewaretoken" not in grid


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({}, "Your gallery is empty"),
        ({"favorites": "on"}, "No favourites yet — press ☆ on a picture."),
        ({"kind": "video"}, "No videos yet"),
        ({"q": "zebra"}, "Nothing matches “zebra”"),
    ],
)
def test_an_empty_gallery_says_what_to_do(signed_in, query, says):
    page = signed_in.get(reverse("generation:gallery"), query).content.decode()
    assert 'class="muted grid-empty"' in page and says in page


def test_a_video_tile_is_marked(signed_in, user):
    OutputFactory(generation__user=user, kind="video", content_type="image/gif")
    page = signed_in.get(reverse("generation:gallery")).content.decode()
    assert 'data-testid="video-marker"' in page
