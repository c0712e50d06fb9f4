"""POST /videos with a source image: the video starts from one of the caller's stills."""

import base64

import pytest

from billing import services as billing
from generation.models import Generation, OutputKind
from generation.tests.factories import OutputFactory, png_bytes

pytestmark = pytest.mark.django_db

VIDEO = {"prompt": "the sea breathes"}


def test_a_video_starts_from_the_callers_own_image(api, user):
    still = OutputFactory(generation__user=user)

    response = api.post("/videos", {**VIDEO, "source_image_id": still.pk})

    assert response.status_code == 202
    assert response.json()["kind"] == "video"
    assert response.json()["source_image_id"] == still.pk
    assert Generation.objects.get(kind="video").source_output == still
    assert billing.credits_balance(user=user) == 4


def test_a_video_starts_from_a_base64_image(api, user):
    encoded = base64.b64encode(png_bytes((40, 30))).decode()

    response = api.post("/videos", {**VIDEO, "source_image": f"data:image/png;base64,{encoded}"})

    assert response.status_code == 202
    job = Generation.objects.get(kind="video")
    assert job.source_file.read() == png_bytes((40, 30))
    assert job.animation_caption == "Animated from an upload"


def test_someone_elses_image_is_a_404_that_says_so(api, user, make_user):
    theirs = OutputFactory(generation__user=make_user())

    response = api.post("/videos", {**VIDEO, "source_image_id": theirs.pk})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["message"] == f"There is no image {theirs.pk} in your gallery."
    assert not Generation.objects.filter(kind="video").exists()
    assert billing.credits_balance(user=user) == 5


def test_a_video_as_the_source_is_refused(api, user):
    clip = OutputFactory(generation__user=user, kind=OutputKind.VIDEO, content_type="image/gif")

    response = api.post("/videos", {**VIDEO, "source_image_id": clip.pk})

    assert response.status_code == 422
    assert "only an image can be edited or animated" in response.json()["message"]
    assert [e["field"] for e in response.json()["errors"]] == ["source_image_id"]
    assert billing.credits_balance(user=user) == 5


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("not base64 at all!", "not valid base64"),
        (base64.b64encode(b"just some text").decode(), "not an image we can read"),
    ],
)
def test_a_bad_base64_image_is_a_422(api, user, source, message):
    response = api.post("/videos", {**VIDEO, "source_image": source})

    assert response.status_code == 422
    assert message in response.json()["message"]
    assert [e["field"] for e in response.json()["errors"]] == ["source_image"]
    assert billing.credits_balance(user=user) == 5


def test_an_id_and_an_upload_together_are_a_422(api, user):
    still = OutputFactory(generation__user=user)
    encoded = base64.b64encode(png_bytes()).decode()

    response = api.post("/videos", {**VIDEO, "source_image_id": still.pk, "source_image": encoded})

    assert response.status_code == 422
    assert "not both" in response.json()["message"]
    assert not Generation.objects.filter(kind="video").exists()


def test_an_animation_whose_still_was_deleted_cannot_be_retried(api, user):
    still = OutputFactory(generation__user=user)
    job_id = api.post("/videos", {**VIDEO, "source_image_id": still.pk}).json()["id"]
    api.post(f"/generations/{job_id}/cancel")
    api.delete(f"/images/{still.pk}")

    job = Generation.objects.get(pk=job_id)

    assert job.status == "canceled" and job.source_output is None
    assert job.retry_refusal == "The image this video was made from has been deleted."
