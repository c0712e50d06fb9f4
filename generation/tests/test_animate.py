"""Animating an image: a video that starts from one of the user's own stills."""

import base64
import io
import itertools

import pytest
from django.urls import reverse
from PIL import Image, ImageChops, ImageStat

from billing import services as billing
from generation import services
from generation.exceptions import InvalidRequest
from generation.models import Generation, Kind, OutputKind, Status
from generation.providers import GenerationSpec, get_provider
from generation.services import GenerationRequest
from generation.tests.factories import OutputFactory

pytestmark = pytest.mark.django_db

ANIMATE = GenerationRequest(kind=Kind.VIDEO, prompt="the clouds drift by")


def striped_png(size=(200, 120)) -> bytes:
    """A still with detail, so a zoom or a drift changes its pixels."""
    image = Image.new("RGB", size, (30, 90, 200))
    for x in range(0, size[0], 20):
        image.paste((240, 200, 40), (x, 0, x + 10, size[1]))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def frames_of(content: bytes) -> list[Image.Image]:
    clip = Image.open(io.BytesIO(content))
    frames = []
    for index in range(clip.n_frames):
        clip.seek(index)
        frames.append(clip.convert("RGB"))
    return frames


def difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def test_a_video_starts_from_the_users_own_image_and_costs_a_video(user):
    still = OutputFactory(generation__user=user)

    job = services.generation_submit(user=user, request=ANIMATE, source_output=still)

    assert job.kind == Kind.VIDEO and job.source_output == still
    assert job.animation_caption == f"Animated from image #{still.pk}"
    assert billing.credits_balance(user=user) == 4  # the free plan: one of five


def test_someone_elses_image_cannot_be_animated(user, make_user):
    theirs = OutputFactory(generation__user=make_user())

    with pytest.raises(InvalidRequest, match="not in your gallery"):
        services.generation_submit(user=user, request=ANIMATE, source_output=theirs)

    assert not Generation.objects.filter(user=user).exists()
    assert billing.credits_balance(user=user) == 5


def test_a_video_cannot_be_animated(user):
    clip = OutputFactory(generation__user=user, kind=OutputKind.VIDEO, content_type="image/gif")

    with pytest.raises(InvalidRequest, match="only an image can be edited or animated"):
        services.generation_submit(user=user, request=ANIMATE, source_output=clip)

    assert billing.credits_balance(user=user) == 5


def test_the_local_video_starts_on_the_still_and_moves_frame_to_frame():
    source = striped_png()
    outcome = (
        get_provider("local")
        .start(
            GenerationSpec(kind="video", prompt="wind", source_image=source, width=512, height=512)
        )
        .outcome
    )

    file = outcome.files[0]
    frames = frames_of(file.content)
    assert file.content_type == "image/gif" and len(frames) >= 12
    assert (file.width, file.height) == frames[0].size == (200, 120)  # the still's shape
    still = Image.open(io.BytesIO(source)).convert("RGB")
    assert difference(frames[0], still) < 4  # the first frame is the still (GIF palette aside)
    steps = [difference(a, b) for a, b in itertools.pairwise(frames)]
    assert all(step > 0.5 for step in steps)
    assert difference(frames[len(frames) // 2], still) > 10


def test_the_local_video_without_a_still_is_the_rendered_scene():
    spec = GenerationSpec(kind="video", prompt="wind", seed=4, width=256, height=256)
    file = get_provider("local").start(spec).outcome.files[0]

    assert (file.width, file.height) == (256, 256)


def test_an_animated_image_is_run_and_lands_in_the_gallery_as_a_video(
    user, django_capture_on_commit_callbacks
):
    still = OutputFactory(generation__user=user)

    with django_capture_on_commit_callbacks(execute=True):
        job = services.generation_submit(user=user, request=ANIMATE, source_output=still)

    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    assert job.outputs.get().kind == OutputKind.VIDEO


def test_replicate_gets_the_still_as_the_video_models_first_frame(
    user, fake_replicate, settings, django_capture_on_commit_callbacks
):
    settings.GENERATION_POLL_INTERVAL = 0
    still = OutputFactory(generation__user=user)

    with django_capture_on_commit_callbacks(execute=True):
        job = services.generation_submit(user=user, request=ANIMATE, source_output=still)

    sent = fake_replicate.created[0]["input"]
    still.file.open("rb")
    expected = "data:image/png;base64," + base64.b64encode(still.file.read()).decode()
    assert sent["first_frame_image"] == expected
    assert sent["prompt"] == "the clouds drift by"  # the still sets the look: no style words
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED and job.outputs.get().kind == OutputKind.VIDEO


def test_the_first_frame_input_name_is_a_setting(user, fake_replicate, settings):
    settings.REPLICATE_VIDEO_IMAGE_INPUT = "start_image"

    get_provider().start(GenerationSpec(kind="video", prompt="rain", source_image=striped_png()))

    sent = fake_replicate.created[0]["input"]
    assert sent["start_image"].startswith("data:image/png;base64,")
    assert "first_frame_image" not in sent


def test_the_image_page_offers_to_animate_it_at_a_videos_cost(signed_in, user):
    still = OutputFactory(generation__user=user)

    page = signed_in.get(reverse("generation:output_detail", args=[still.pk]))

    assert reverse("generation:output_animate", args=[still.pk]) in page.content.decode()
    assert page.context["video_cost"] == 1


def test_the_animate_form_is_prefilled_with_the_prompt_that_made_the_image(signed_in, user):
    still = OutputFactory(generation__user=user, generation__prompt="a fox & a lighthouse")

    page = signed_in.get(reverse("generation:output_detail", args=[still.pk]))

    assert page.context["animate_form"]["prompt"].value() == "a fox & a lighthouse"
    assert 'value="a fox &amp; a lighthouse"' in page.content.decode()


def test_an_image_without_a_prompt_leaves_the_animate_field_for_the_user(signed_in, user):
    still = OutputFactory(generation__user=user, generation__kind=Kind.EDIT, generation__prompt="")

    page = signed_in.get(reverse("generation:output_detail", args=[still.pk]))

    assert not page.context["animate_form"]["prompt"].value()


def test_the_animate_form_queues_a_video_from_the_image(signed_in, user):
    still = OutputFactory(generation__user=user)

    response = signed_in.post(
        reverse("generation:output_animate", args=[still.pk]), {"prompt": "waves roll in"}
    )

    assert response.status_code == 302
    job = Generation.objects.get(kind=Kind.VIDEO)
    assert job.source_output == still and job.prompt == "waves roll in"


def test_animating_someone_elses_image_is_a_404(signed_in, make_user):
    theirs = OutputFactory(generation__user=make_user())

    response = signed_in.post(
        reverse("generation:output_animate", args=[theirs.pk]), {"prompt": "waves"}
    )

    assert response.status_code == 404
    assert not Generation.objects.filter(kind=Kind.VIDEO).exists()


def test_animating_a_video_is_refused_on_its_page(signed_in, user):
    clip = OutputFactory(generation__user=user, kind=OutputKind.VIDEO, content_type="image/gif")

    response = signed_in.post(
        reverse("generation:output_animate", args=[clip.pk]), {"prompt": "waves"}
    )

    assert response.status_code == 400
    assert "only an image can be edited or animated" in response.content.decode()
    assert billing.credits_balance(user=user) == 5


def test_the_animate_form_needs_a_prompt(signed_in, user):
    still = OutputFactory(generation__user=user)

    response = signed_in.post(reverse("generation:output_animate", args=[still.pk]), {"prompt": ""})

    assert response.status_code == 400
    assert not Generation.objects.filter(kind=Kind.VIDEO).exists()


def test_an_animation_whose_still_was_deleted_is_not_retried_as_a_video_from_text(signed_in, user):
    still = OutputFactory(generation__user=user)
    signed_in.post(reverse("generation:output_animate", args=[still.pk]), {"prompt": "waves"})
    job = Generation.objects.get(kind=Kind.VIDEO)
    services.generation_cancel(generation=job, by=user)
    signed_in.post(reverse("generation:output_delete", args=[still.pk]))
    balance = billing.credits_balance(user=user)

    response = signed_in.post(reverse("generation:job_retry", args=[job.pk]), follow=True)

    assert "The image this video was made from has been deleted." in response.content.decode()
    assert Generation.objects.filter(kind=Kind.VIDEO).count() == 1
    assert billing.credits_balance(user=user) == balance
