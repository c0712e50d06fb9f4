"""The API fills the fields a request leaves out from the user's saved defaults."""

import pytest

from accounts.models import Preferences
from generation.models import Generation

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved(user):
    return Preferences.objects.create(
        user=user, style="anime", color="pastel", size=768, shape="portrait", quality="high",
        count=3,
    )  # fmt: skip


def test_a_request_without_style_gets_the_saved_style(api, saved):
    assert api.post("/images", {"prompt": "a fox"}).status_code == 202

    job = Generation.objects.get()
    assert (job.style, job.color, job.quality, job.count) == ("anime", "pastel", "high", 3)


def test_an_explicit_value_wins_over_the_saved_default(api, saved):
    api.post("/images", {"prompt": "a fox", "style": "comic", "count": None})

    job = Generation.objects.get()
    assert (job.style, job.count) == ("comic", 3)


def test_a_video_takes_the_saved_style_too(api, saved):
    api.post("/videos", {"prompt": "waves at night", "color": "neon"})

    job = Generation.objects.get()
    assert (job.style, job.color) == ("anime", "neon")


def test_without_saved_defaults_the_products_defaults_apply(api):
    api.post("/images", {"prompt": "a fox"})

    job = Generation.objects.get()
    assert (job.style, job.color, job.count) == ("cartoon", "vibrant", 2)
