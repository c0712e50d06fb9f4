import io

import pytest
from PIL import Image, ImageStat

from generation.options import COLORS, EDIT_OPERATIONS, STYLES, nearest_color, nearest_style
from generation.providers import GenerationSpec, ProviderError, get_provider
from generation.providers.local.enhance import MAX_LENGTH
from generation.tests.factories import mask_png


def run(**fields):
    started = get_provider("local").start(GenerationSpec(**fields))
    assert started.provider_job_id.startswith("local-")
    assert started.outcome is not None
    return started.outcome


def decode(file) -> Image.Image:
    image = Image.open(io.BytesIO(file.content))
    image.load()
    return image


def picture_bytes(**fields) -> bytes:
    fields.setdefault("kind", "image")
    fields.setdefault("prompt", "a fox on a hill")
    fields.setdefault("seed", 7)
    fields.setdefault("width", 128)
    fields.setdefault("height", 128)
    return run(**fields).files[0].content


def sample_png(size=(96, 64)) -> bytes:
    image = Image.new("RGB", size, (200, 60, 40))
    image.paste((30, 90, 220), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_default_provider_is_local(settings):
    settings.GENERATION_PROVIDER = "local"
    assert get_provider().name == "local"


def test_images_are_pngs_of_the_requested_size_and_count():
    outcome = run(kind="image", prompt="a castle at night", width=768, height=512, count=3, seed=1)
    assert outcome.status == "succeeded"
    assert len(outcome.files) == 3
    for file in outcome.files:
        image = decode(file)
        assert (file.content_type, file.extension, image.format) == ("image/png", "png", "PNG")
        assert image.size == (768, 512) == (file.width, file.height)


def test_each_image_of_a_batch_is_different():
    outcome = run(kind="image", prompt="a castle", width=128, height=128, count=4, seed=1)
    assert len({file.content for file in outcome.files}) == 4


def test_same_prompt_and_seed_render_the_same_image():
    assert picture_bytes() == picture_bytes()


@pytest.mark.parametrize(
    "change",
    [{"seed": 8}, {"style": "watercolor"}, {"color": "neon"}, {"prompt": "a fox by the sea"}],
)
def test_seed_style_colour_and_prompt_change_the_image(change):
    assert picture_bytes(**change) != picture_bytes()


@pytest.mark.parametrize("style", STYLES)
def test_every_style_renders_at_odd_sizes(style):
    outcome = run(kind="image", prompt="a city", style=style, width=97, height=61, count=4)
    assert {decode(file).size for file in outcome.files} == {(97, 61)}


def mean_saturation(file) -> float:
    return ImageStat.Stat(decode(file).convert("RGB").convert("HSV").getchannel("S")).mean[0]


def test_monochrome_is_nearly_grey_and_vibrant_is_not():
    mono = run(kind="image", prompt="hills", color="monochrome", seed=2).files[0]
    vibrant = run(kind="image", prompt="hills", color="vibrant", seed=2).files[0]
    assert mean_saturation(mono) < 40 < mean_saturation(vibrant)


def test_sizes_outside_the_supported_range_are_rejected():
    with pytest.raises(ProviderError) as caught:
        run(kind="image", prompt="x", width=10_000, height=512)
    assert caught.value.permanent


def test_video_is_an_animated_image_with_several_frames():
    outcome = run(kind="video", prompt="a dog on the beach", width=1024, height=768, seed=3)
    file = outcome.files[0]
    image = decode(file)
    assert file.content_type == "image/gif"
    assert image.is_animated and image.n_frames >= 12
    assert image.size == (file.width, file.height)
    assert max(image.size) <= 512


def test_enhance_keeps_the_prompt_first_and_adds_detail():
    text = run(kind="enhance", prompt="a cat at night", style="anime").text
    assert text.startswith("a cat at night, ")
    assert "anime" in text and "moonlit" in text
    assert text == run(kind="enhance", prompt="a cat at night", style="anime").text


def test_enhance_never_exceeds_the_limit():
    text = run(kind="enhance", prompt="forest " * 140).text
    assert len(text) <= MAX_LENGTH
    assert text.startswith("forest forest")


@pytest.mark.parametrize("operation", EDIT_OPERATIONS)
def test_every_edit_operation_returns_a_png(operation):
    file = run(
        kind="edit",
        prompt="a kite",
        source_image=sample_png(),
        mask_image=mask_png((96, 64)),  # only inpaint reads it
        edit_operation=operation,
    ).files[0]
    image = decode(file)
    assert image.format == "PNG"
    assert image.size == (file.width, file.height)


def test_upscale_doubles_the_size():
    file = run(kind="edit", prompt="", source_image=sample_png(), edit_operation="upscale").files[0]
    assert (file.width, file.height) == (192, 128)


def test_upscale_stops_at_2048_pixels():
    source = sample_png((1500, 100))
    file = run(kind="edit", prompt="", source_image=source, edit_operation="upscale").files[0]
    assert (file.width, file.height) == (2048, 137)


def test_grayscale_has_no_colour():
    file = run(kind="edit", prompt="", source_image=sample_png(), edit_operation="grayscale").files[
        0
    ]
    assert decode(file).convert("RGB").convert("HSV").getchannel("S").getextrema() == (0, 0)


def test_cartoonify_flattens_colours_and_draws_dark_lines():
    file = run(
        kind="edit", prompt="", source_image=sample_png(), edit_operation="cartoonify"
    ).files[0]
    image = decode(file).convert("RGB")
    assert len(image.getcolors(10_000)) <= 13
    assert (20, 20, 24) in {color for _, color in image.getcolors(10_000)}


def test_transparency_survives_an_edit():
    image = Image.new("RGBA", (40, 30), (255, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    file = run(kind="edit", prompt="", source_image=out.getvalue(), edit_operation="sepia").files[0]
    assert decode(file).mode == "RGBA"


@pytest.mark.parametrize("source", [b"not an image at all", b"", None, sample_png()[:40]])
def test_undecodable_edit_input_is_a_permanent_error(source):
    with pytest.raises(ProviderError) as caught:
        run(kind="edit", prompt="", source_image=source)
    assert caught.value.permanent


def test_simulated_latency_is_slept(settings):
    import time

    settings.GENERATION_SIMULATED_LATENCY = 0.2
    began = time.monotonic()
    run(kind="enhance", prompt="a cat")
    assert time.monotonic() - began >= 0.2


def test_poll_cancel_and_webhook_are_no_ops():
    provider = get_provider("local")
    assert provider.poll("local-1") is None
    assert provider.cancel("local-1") is None
    assert provider.outcome_from_webhook({"status": "succeeded"}) is None


@pytest.mark.parametrize("color", COLORS)
def test_every_colour_scheme_renders_the_same_way_every_time(color):
    assert picture_bytes(color=color) == picture_bytes(color=color)


def test_free_text_styles_and_colours_pick_a_look_the_same_way_every_time():
    assert nearest_style("Photo Realistic") == "photo"
    assert nearest_style("water") == "watercolor"
    assert nearest_style("art style") == "art-style"
    assert nearest_color("earthy tones") == "earthy"
    assert nearest_style("something else entirely") == "cartoon"
