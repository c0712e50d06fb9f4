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
from testing.forms import generator_form

pytestmark = pytest.mark.django_db

FORM = generator_form()


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


@pytest.mark.parametrize("value", ["abc", "-1", "0x10", "1.5", "99999999999999999999999"])
def test_a_malformed_reference_image_is_refused_not_a_server_error(signed_in, user, value):
    response = signed_in.post(reverse("generation:generate"), {**FORM, "reference_output": value})

    assert response.status_code == 400
    assert not Generation.objects.exists()
    assert billing.credits_balance(user=user) == 5


@pytest.mark.parametrize("path", ["/share/%00/", "/share/%00/file", "/share/%00/remix/"])
def test_a_nul_byte_in_a_share_address_is_not_found(signed_in, path):
    assert signed_in.get(path).status_code == 404


def test_a_non_ascii_webhook_signature_is_refused_with_400(client, razorpay):
    response = client.post(
        "/webhooks/razorpay/",
        data=b'{"event": "payment.captured"}',
        content_type="application/json",
        headers={"X-Razorpay-Signature": "\u00e9" * 64, "X-Razorpay-Event-Id": "evt_1"},
    )

    assert response.status_code == 400


def test_a_non_ascii_checkout_signature_is_refused_as_unverified(signed_in, user, razorpay):
    order = billing.payment_start(user=user)
    callback = {
        "razorpay_order_id": order.razorpay_order_id,
        "razorpay_payment_id": "pay_1",
        "razorpay_signature": "\u00e9" * 64,
    }

    response = signed_in.post(reverse("billing:payment_verify"), callback, follow=True)

    assert "could not be verified" in response.content.decode()
    assert billing.credit_account_for(user=user).plan == "free"


field_values = st.one_of(st.text(max_size=1200), st.integers().map(str), st.just(""))


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.fixed_dictionaries(
        dict.fromkeys([*FORM, "negative_prompt", "seed", "reference_output"], field_values)
    )
)
def test_the_generator_form_never_fails_on_any_input(signed_in, user, settings, data):
    settings.GENERATION_RATE_LIMIT = "100000/h"
    billing.credits_grant(user=user, amount=10, reason="fuzz", reference="fuzz")
    before = Generation.objects.count()

    response = signed_in.post(reverse("generation:generate"), data)

    assert response.status_code in (302, 400, 402)
    created = Generation.objects.count() - before
    assert created == (1 if response.status_code == 302 else 0)
