"""Mask inpainting: a prompt painted where a PNG mask is white, on the page, the offline
renderer and the Replicate adapter; bad masks are refused before anything is charged."""

import base64
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from billing import services as billing
from generation import services
from generation.exceptions import InvalidRequest
from generation.models import Generation, Status
from generation.providers import GenerationSpec, get_provider
from generation.services import GenerationRequest
from generation.tests.factories import GenerationFactory, OutputFactory, mask_png, png_bytes

SIZE = (80, 60)
BOX = (20, 15, 60, 45)  # the white part of the mask
INPAINT = {"edit_operation": "inpaint", "prompt": "a red kite"}


def decode(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image.convert("RGB")


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_bytes(size=SIZE) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "JPEG")
    return out.getvalue()


def inpaint_request(prompt="a red kite") -> GenerationRequest:
    return GenerationRequest(kind="edit", prompt=prompt, edit_operation="inpaint")


# --- The offline renderer ------------------------------------------------------------


def run_local(mask: bytes, source: bytes | None = None, **fields) -> Image.Image:
    spec = GenerationSpec(
        kind="edit",
        prompt=fields.pop("prompt", "a red kite"),
        edit_operation="inpaint",
        source_image=source or png_bytes(SIZE),
        mask_image=mask,
        seed=fields.pop("seed", 4),
        **fields,
    )
    return decode(get_provider("local").start(spec).outcome.files[0].content)


def test_inpaint_keeps_every_pixel_where_the_mask_is_black():
    source = decode(png_bytes(SIZE))
    mask = decode(mask_png(SIZE, BOX)).convert("L")

    result = run_local(mask_png(SIZE, BOX))

    assert result.size == SIZE
    black = [(x, y) for x in range(SIZE[0]) for y in range(SIZE[1]) if mask.getpixel((x, y)) == 0]
    assert all(result.getpixel(xy) == source.getpixel(xy) for xy in black)


def test_inpaint_repaints_the_white_area_with_a_picture_of_the_prompt():
    result = run_local(mask_png(SIZE, BOX))

    inside = result.crop(BOX)
    original = decode(png_bytes(SIZE)).getpixel((0, 0))
    colors = {color: count for count, color in inside.getcolors(maxcolors=inside.width**2)}
    assert colors.get(original, 0) < 0.1 * inside.width * inside.height
    assert len(colors) > 10  # a picture, not a flat fill


def test_the_prompt_decides_what_is_painted():
    assert run_local(mask_png(SIZE, BOX), prompt="a red kite") != run_local(
        mask_png(SIZE, BOX), prompt="a green frog under the sea"
    )


def test_the_edge_of_the_repainted_area_is_feathered():
    result = run_local(mask_png((200, 200), (50, 50, 150, 150)), source=png_bytes((200, 200)))
    fresh = run_local(mask_png((200, 200), (0, 0, 200, 200)), source=png_bytes((200, 200)))
    original = decode(png_bytes((200, 200))).getpixel((0, 0))

    edge, centre = (51, 100), (100, 100)
    assert result.getpixel(centre) == fresh.getpixel(centre)
    # Just inside the edge the old and new colours are blended.
    assert result.getpixel(edge) not in (original, fresh.getpixel(edge))


# --- Submitting: the page and the service ------------------------------------------------


@pytest.mark.django_db
def test_page_upload_with_a_mask_makes_a_repainted_copy(
    signed_in, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            reverse("generation:edit_upload"),
            {
                **INPAINT,
                "source_upload": upload("photo.png", png_bytes(SIZE)),
                "mask": upload("mask.png", mask_png(SIZE, BOX)),
            },
        )

    assert response.status_code == 302
    job = Generation.objects.get(user=user)
    assert job.status == Status.SUCCEEDED, job.error
    assert job.edit_operation == "inpaint" and job.mask_file
    output = job.outputs.get()
    result = decode(output.file.read())
    assert result.size == SIZE
    assert result.getpixel((0, 0)) == decode(png_bytes(SIZE)).getpixel((0, 0))
    assert result.crop(BOX) != decode(png_bytes(SIZE)).crop(BOX)
    assert billing.credits_balance(user=user) == 4


@pytest.mark.django_db
def test_a_gallery_image_can_be_inpainted_from_its_edit_page(
    signed_in, user, django_capture_on_commit_callbacks
):
    image = OutputFactory(generation__user=user)  # 64x64

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            reverse("generation:output_edit", args=[image.pk]),
            {**INPAINT, "mask": upload("mask.png", mask_png((64, 64)))},
        )

    assert response.status_code == 302
    job = Generation.objects.get(user=user, kind="edit")
    assert job.status == Status.SUCCEEDED, job.error
    assert job.source_output == image


@pytest.mark.django_db
def test_the_edit_forms_offer_inpaint_and_a_mask_field(signed_in, user):
    image = OutputFactory(generation__user=user)
    for url in (reverse("generation:generate"), reverse("generation:output_edit", args=[image.pk])):
        page = signed_in.get(url).content.decode()
        assert '<option value="inpaint">Repaint a masked area</option>' in page
        assert 'name="mask"' in page and 'accept="image/png"' in page


BAD_MASKS = {
    "another size": (mask_png((SIZE[0] + 1, SIZE[1])), "must be the size of the image"),
    "not a png": (jpeg_bytes(), "must be a PNG"),
    "png header, not a png": (b"\x89PNG\r\n\x1a\n" + b"junk" * 20, "not an image we can read"),
    "all black": (mask_png(SIZE, (0, 0, 0, 0)), "all black"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_MASKS)
def test_a_bad_mask_on_the_page_is_a_400_and_costs_nothing(signed_in, user, case):
    mask, message = BAD_MASKS[case]

    response = signed_in.post(
        reverse("generation:edit_upload"),
        {
            **INPAINT,
            "source_upload": upload("photo.png", png_bytes(SIZE)),
            "mask": upload("mask.png", mask),
        },
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Generation.objects.exists()
    assert billing.credits_balance(user=user) == 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"edit_operation": "inpaint", "prompt": "a red kite"}, "needs a mask"),
        ({"edit_operation": "inpaint", "prompt": "", "mask": True}, "Describe what to paint"),
    ],
    ids=["no mask", "no prompt"],
)
def test_inpaint_without_a_mask_or_prompt_is_a_400_and_costs_nothing(
    signed_in, user, fields, message
):
    data = {**fields, "source_upload": upload("photo.png", png_bytes(SIZE))}
    if data.pop("mask", False):
        data["mask"] = upload("mask.png", mask_png(SIZE))

    response = signed_in.post(reverse("generation:edit_upload"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Generation.objects.exists()
    assert billing.credits_balance(user=user) == 5


@pytest.mark.django_db
def test_a_mask_of_the_wrong_size_for_a_gallery_image_is_a_400(signed_in, user):
    image = OutputFactory(generation__user=user)  # 64x64

    response = signed_in.post(
        reverse("generation:output_edit", args=[image.pk]),
        {**INPAINT, "mask": upload("mask.png", mask_png((32, 32)))},
    )

    assert response.status_code == 400
    assert "must be the size of the image (64x64)" in response.content.decode()
    assert not Generation.objects.filter(kind="edit").exists()
    assert billing.credits_balance(user=user) == 5


@pytest.mark.django_db
def test_other_edits_ignore_a_mask(user):
    job = services.generation_submit(
        user=user,
        request=GenerationRequest(kind="edit", prompt="", edit_operation="sepia"),
        source_bytes=png_bytes(SIZE),
        mask_bytes=b"not even a picture",
    )

    assert not job.mask_file


@pytest.mark.django_db
def test_the_mask_is_checked_against_the_upright_size_of_a_rotated_photo(user):
    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown (and edited) portrait
    Image.new("RGB", SIZE, "white").save(photo, "JPEG", exif=exif)

    with pytest.raises(InvalidRequest):
        services.generation_submit(
            user=user,
            request=inpaint_request(),
            source_bytes=photo.getvalue(),
            mask_bytes=mask_png(SIZE),
        )
    job = services.generation_submit(
        user=user,
        request=inpaint_request(),
        source_bytes=photo.getvalue(),
        mask_bytes=mask_png((SIZE[1], SIZE[0])),
    )
    assert job.mask_file


@pytest.mark.django_db
def test_retrying_a_failed_inpaint_sends_the_same_mask(user, django_capture_on_commit_callbacks):
    failed = services.generation_submit(
        user=user,
        request=inpaint_request(),
        source_bytes=png_bytes(SIZE),
        mask_bytes=mask_png(SIZE, BOX),
    )
    services.generation_fail(generation_id=failed.pk, reason="test")

    with django_capture_on_commit_callbacks(execute=True):
        retry = services.generation_retry(generation=failed)

    retry.refresh_from_db()
    assert retry.status == Status.SUCCEEDED, retry.error
    assert retry.mask_file.read() == mask_png(SIZE, BOX)


@pytest.mark.django_db
def test_deleting_an_inpaint_job_deletes_its_mask_file(user, django_capture_on_commit_callbacks):
    job = GenerationFactory(user=user, kind="edit", edit_operation="inpaint")
    job.mask_file.save("mask.png", io.BytesIO(mask_png(SIZE)))
    storage, name = job.mask_file.storage, job.mask_file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        job.delete()

    assert not storage.exists(name)


# --- Replicate ---------------------------------------------------------------------


@pytest.mark.django_db
def test_replicate_gets_the_image_the_mask_and_the_prompt_on_the_inpainting_model(
    user, fake_replicate, settings, django_capture_on_commit_callbacks
):
    settings.REPLICATE_MODELS = {**settings.REPLICATE_MODELS, "inpaint": "acme/fill-model"}
    fake_replicate.polls_before_done = 0
    source, mask = png_bytes(SIZE), mask_png(SIZE, BOX)

    with django_capture_on_commit_callbacks(execute=True):
        job = services.generation_submit(
            user=user, request=inpaint_request(), source_bytes=source, mask_bytes=mask
        )

    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.error
    [prediction] = fake_replicate.predictions
    assert job.outputs.get().file.read() == fake_replicate.outputs(prediction)[0]
    request = next(r for r in fake_replicate.requests if r.path.endswith("/predictions"))
    assert request.path == "/v1/models/acme/fill-model/predictions"
    sent = request.json["input"]
    assert sent["prompt"] == "a red kite"
    assert sent["image"] == "data:image/png;base64," + _b64(source)
    assert sent["mask"] == "data:image/png;base64," + _b64(mask)


def test_other_edits_keep_the_edit_model(fake_replicate):
    get_provider().start(
        GenerationSpec(kind="edit", prompt="", edit_operation="sepia", source_image=png_bytes(SIZE))
    )

    assert fake_replicate.requests[0].path == (
        "/v1/models/black-forest-labs/flux-kontext-pro/predictions"
    )
    assert "mask" not in fake_replicate.created[0]["input"]


def _b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


@pytest.mark.django_db
def test_a_refused_edit_shows_the_edit_tab_with_its_error(signed_in, user):
    response = signed_in.post(
        reverse("generation:edit_upload"),
        {**INPAINT, "source_upload": upload("photo.png", png_bytes(SIZE))},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    edit_form_tag = page.split('<form id="edit-form"', 1)[1].split(">", 1)[0]
    generate_form_tag = page.split('<form id="generate-form"', 1)[1].split(">", 1)[0]
    assert "hidden" not in edit_form_tag and "hidden" in generate_form_tag
    assert "needs a mask" in page
