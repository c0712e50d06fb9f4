"""Hostile input gets a clear 4xx: nothing charged, nothing stored, memory bounded."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from billing import services as billing
from generation.models import Generation
from generation.tests.factories import png_bytes

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "image",
    "prompt": "a fox",
    "style": "cartoon",
    "color": "vibrant",
    "size": "512",
    "count": "1",
}


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def upload(client, content: bytes, name="picture.png"):
    return client.post(
        reverse("generation:edit_upload"),
        {"edit_operation": "cartoonify", "source_upload": SimpleUploadedFile(name, content)},
    )


def png_bomb(width=20_000, height=20_000) -> bytes:
    """A tiny PNG file that claims an enormous 1-bit image."""
    small = io.BytesIO()
    Image.new("1", (8, 8)).save(small, "PNG")
    header = small.getvalue()[:16]
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    chunk = b"IHDR" + ihdr
    crc = zlib.crc32(chunk).to_bytes(4, "big")
    raw = zlib.compress(b"\x00" * ((width // 8 + 1) * 64))
    idat = b"IDAT" + raw
    return (
        header[:8]
        + len(ihdr).to_bytes(4, "big")
        + chunk
        + crc
        + len(raw).to_bytes(4, "big")
        + idat
        + zlib.crc32(idat).to_bytes(4, "big")
        + b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )


@pytest.mark.parametrize(
    "content,message",
    [
        (png_bomb(), "too many pixels"),
        (png_bomb(7_000, 7_000), "too many pixels"),  # under Pillow's own hard limit
        (png_bytes((400, 400))[:300], "not an image"),
        (b"GIF89a" + b"\x00" * 10, "not an image"),
        (b"%PDF-1.7\n" + b"x" * 1000, "not an image"),
    ],
    ids=["decompression-bomb", "bomb-below-pillows-limit", "truncated-png", "broken-gif", "pdf"],
)
def test_hostile_images_are_refused(signed_in, user, content, message):
    response = upload(signed_in, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Generation.objects.exists()
    assert billing.credits_balance(user=user) == 5


def test_a_50_mb_upload_is_refused_without_being_decoded(signed_in, user, settings):
    response = upload(signed_in, b"\x89PNG" + b"\x00" * (50 * 1024 * 1024))

    assert response.status_code == 400
    assert "larger than 10 MB" in response.content.decode()
    assert not Generation.objects.exists()


@pytest.mark.parametrize(
    "prompt", ["bell\x07", "nul\x00byte", "escape\x1b[31m", "bad \ufffd utf-8"]
)
def test_control_characters_in_prompts_are_refused(signed_in, prompt):
    response = signed_in.post(reverse("generation:generate"), {**FORM, "prompt": prompt})

    assert response.status_code == 400
    assert not Generation.objects.exists()


def test_non_utf8_form_bodies_are_refused(signed_in):
    body = b"kind=image&style=cartoon&color=vibrant&size=512&count=1&prompt=caf%E9%FF"

    response = signed_in.post(
        reverse("generation:generate"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert not Generation.objects.exists()


@pytest.mark.parametrize("page", ["999999999999999999999", "-1", "abc", "1e9"])
def test_absurd_page_numbers_are_answered_sensibly(signed_in, page):
    assert signed_in.get(reverse("generation:gallery"), {"page": page}).status_code == 200
    assert signed_in.get(reverse("generation:jobs"), {"page": page}).status_code == 200


field_values = st.one_of(st.text(max_size=1200), st.integers().map(str), st.just(""))


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.fixed_dictionaries(dict.fromkeys([*FORM, "negative_prompt", "seed"], field_values)))
def test_the_generator_form_never_fails_on_any_input(signed_in, user, settings, data):
    settings.GENERATION_RATE_LIMIT = "100000/h"
    billing.credits_grant(user=user, amount=10, reason="fuzz", reference="fuzz")
    before = Generation.objects.count()

    response = signed_in.post(reverse("generation:generate"), data)

    assert response.status_code in (302, 400, 402)
    created = Generation.objects.count() - before
    assert created == (1 if response.status_code == 302 else 0)
