"""A picture may start from a reference image: an upload or one of the user's own."""

import io

import pytest
from django.urls import reverse
from PIL import Image, ImageChops, ImageStat

from billing import services as billing
from generation import services
from generation.exceptions import InvalidRequest
from generation.models import Generation, Status
from generation.providers import GenerationSpec, get_provider
from generation.services import GenerationRequest
from generation.tests.factories import OutputFactory, png_bytes
from testing.forms import generator_form

FORM = generator_form(prompt="a lighthouse", size="256", seed="7")


def difference(a: bytes, b: bytes) -> float:
    first, second = (Image.open(io.BytesIO(x)).convert("RGB") for x in (a, b))
    return sum(ImageStat.Stat(ImageChops.difference(first, second.resize(first.size))).mean)


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_reference_shapes_the_picture(signed_in, user):
    reference = png_bytes((256, 256), color=(10, 200, 30))
    signed_in.post(reverse("generation:generate"), FORM)
    plain = Generation.objects.get().outputs.get().file.read()

    upload = io.BytesIO(reference)
    upload.name = "reference.png"
    signed_in.post(reverse("generation:generate"), {**FORM, "reference_upload": upload})

    job = Generation.objects.filter(source_file__gt="").get()
    assert job.status == Status.SUCCEEDED
    made = job.outputs.get().file.read()
    assert difference(made, reference) < difference(plain, reference)


@pytest.mark.django_db(transaction=True)
def test_start_from_a_gallery_image(signed_in, user):
    image = OutputFactory(generation__user=user)
    page = signed_in.get(reverse("generation:generate"), {"reference": image.pk})
    assert 'data-testid="reference-chosen"' in page.content.decode()

    signed_in.post(reverse("generation:generate"), {**FORM, "reference_output": image.pk})

    job = Generation.objects.exclude(pk=image.generation_id).get()
    assert (job.source_output, job.status) == (image, Status.SUCCEEDED)


@pytest.mark.django_db
def test_someone_elses_image_is_no_reference_and_costs_nothing(signed_in, user, make_user):
    theirs = OutputFactory(generation__user=make_user())

    response = signed_in.post(
        reverse("generation:generate"), {**FORM, "reference_output": theirs.pk}
    )

    assert response.status_code == 400
    assert "not in your gallery" in response.content.decode()
    assert billing.credits_balance(user=user) == 5


@pytest.mark.django_db
def test_a_prompt_enhancement_takes_no_reference(user):
    image = OutputFactory(generation__user=user)
    with pytest.raises(InvalidRequest, match="for image and video requests"):
        services.generation_submit(
            user=user, request=GenerationRequest(kind="enhance", prompt="x"), source_output=image
        )


def test_replicate_gets_the_reference_model_with_the_image(fake_replicate, settings):
    settings.REPLICATE_MODELS = {**settings.REPLICATE_MODELS, "reference": "acme/ref-model"}
    settings.GENERATION_REFERENCE_STRENGTH = 0.6
    spec = GenerationSpec(kind="image", prompt="a fox", source_image=png_bytes((32, 32)))

    get_provider("replicate").start(spec)

    request = next(r for r in fake_replicate.requests if r.path.endswith("/predictions"))
    assert request.path == "/v1/models/acme/ref-model/predictions"
    sent = fake_replicate.created[0]["input"]
    assert sent["image"].startswith("data:image/png;base64,")
    assert sent["prompt_strength"] == 0.6 and "num_inference_steps" not in sent


@pytest.mark.django_db(transaction=True)
def test_the_api_starts_from_one_of_your_images(api, user, make_user):
    image = OutputFactory(generation__user=user)
    theirs = OutputFactory(generation__user=make_user())

    made = api.post("/images", {"prompt": "a fox", "reference_image_id": image.pk})
    refused = api.post("/images", {"prompt": "a fox", "reference_image_id": theirs.pk})

    assert made.status_code == 202
    assert Generation.objects.get(pk=made.json()["id"]).source_output == image
    assert refused.status_code == 404
