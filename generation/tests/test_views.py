import pytest
from django.urls import reverse

from billing import services as billing
from generation.models import Generation, Output, Status
from generation.tests.factories import GenerationFactory, OutputFactory, png_bytes
from testing.fake_razorpay import pay
from testing.forms import generator_form

pytestmark = pytest.mark.django_db

FORM = generator_form(prompt="a fox reading a map", count="2")


def test_generate_page_shows_the_form_and_remaining_credits(signed_in):
    page = signed_in.get(reverse("generation:generate")).content.decode()

    assert 'name="prompt"' in page
    assert "Credits left: <strong>5</strong>" in page


def test_generate_post_queues_a_job_and_returns_its_live_card(signed_in, user):
    response = signed_in.post(reverse("generation:generate"), FORM, headers={"HX-Request": "true"})

    assert response.status_code == 200
    job = Generation.objects.get(user=user)
    assert f'id="job-{job.pk}"' in response.content.decode()
    assert billing.credits_balance(user=user) == 4


@pytest.mark.django_db(transaction=True)
def test_the_card_after_generate_shows_the_job_as_the_inline_worker_left_it(
    signed_in, user, settings
):
    settings.GENERATION_PROVIDER = "local"

    response = signed_in.post(reverse("generation:generate"), FORM, headers={"HX-Request": "true"})

    job = Generation.objects.get(user=user)
    assert job.status == Status.SUCCEEDED
    card = response.content.decode().split(f'id="job-{job.pk}"', 1)[1]
    assert 'data-status="succeeded"' in card and ">Cancel<" not in card
    assert card.count('data-testid="result"') == 2


def test_generate_post_without_htmx_redirects_back(signed_in):
    response = signed_in.post(reverse("generation:generate"), FORM)

    assert response.status_code == 302


@pytest.mark.parametrize(
    "field,value", [("prompt", ""), ("size", "100"), ("count", "9"), ("style", "nope")]
)
def test_bad_form_input_is_a_400_and_charges_nothing(signed_in, user, field, value):
    response = signed_in.post(reverse("generation:generate"), {**FORM, field: value})

    assert response.status_code == 400
    assert not Generation.objects.exists()
    assert billing.credits_balance(user=user) == 5


def test_the_eleventh_request_in_an_hour_is_refused_with_when_to_retry(signed_in, user):
    billing.credits_grant(user=user, amount=100, reason="test", reference="test")
    for _ in range(10):
        assert signed_in.post(reverse("generation:generate"), FORM).status_code == 302

    response = signed_in.post(reverse("generation:generate"), FORM)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Try again in" in response.content.decode()
    assert Generation.objects.count() == 10


def test_quota_exhausted_shows_an_upgrade_message(signed_in, user):
    for _ in range(5):
        signed_in.post(reverse("generation:generate"), FORM)

    response = signed_in.post(reverse("generation:generate"), FORM)

    assert response.status_code == 402
    assert "Upgrade to premium" in response.content.decode()


def test_upload_that_is_not_an_image_is_refused(signed_in, user, tmp_path):
    fake = tmp_path / "cat.png"
    fake.write_bytes(b"#!/bin/sh\necho not an image\n")

    with fake.open("rb") as handle:
        response = signed_in.post(
            reverse("generation:edit_upload"),
            {"edit_operation": "cartoonify", "source_upload": handle},
        )

    assert response.status_code == 400
    assert "not an image" in response.content.decode()
    assert not Generation.objects.exists()


@pytest.fixture
def edit_an_upload(signed_in, tmp_path, django_capture_on_commit_callbacks):
    """Upload an 80 by 60 picture for `operation` and run the job it starts."""

    def edit(operation: str):
        picture = tmp_path / "picture.png"
        picture.write_bytes(png_bytes((80, 60)))
        with picture.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
            return signed_in.post(
                reverse("generation:edit_upload"),
                {"edit_operation": operation, "source_upload": handle},
            )

    return edit


def test_upload_edit_makes_a_grayscale_copy_of_the_uploaded_image(user, edit_an_upload):
    edit_an_upload("grayscale")

    job = Generation.objects.get(user=user)
    assert job.status == Status.SUCCEEDED
    assert job.outputs.get().width == 80


def test_enhancing_past_its_limit_is_a_429_saying_when_to_retry(signed_in, settings):
    settings.GENERATION_ENHANCE_RATE_LIMIT = "1/h"
    url = reverse("generation:enhance")
    first = signed_in.post(url, {"prompt": "a cat"}, headers={"HX-Request": "true"})
    assert first.status_code == 200

    response = signed_in.post(url, {"prompt": "a dog"}, headers={"HX-Request": "true"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "You can improve 1 prompts an hour. Try again in" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_enhance_rewrites_the_prompt_in_place(signed_in):
    response = signed_in.post(
        reverse("generation:enhance"), {"prompt": "a cat"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert 'id="prompt-field"' in page
    new_prompt = page.split("<textarea")[1].split(">", 1)[1].split("</textarea>")[0]
    assert new_prompt.startswith("a cat")
    assert len(new_prompt) > len("a cat") + 20


def test_gallery_search_and_favourite_filter(signed_in, user):
    fox = OutputFactory(generation__user=user, generation__prompt="a red fox")
    OutputFactory(generation__user=user, generation__prompt="a blue whale", favorite=True)

    found = signed_in.get(reverse("generation:gallery"), {"q": "fox"}).context["page"]
    favourites = signed_in.get(reverse("generation:gallery"), {"favorites": "on"}).context["page"]

    assert [o.pk for o in found] == [fox.pk]
    assert [o.generation.prompt for o in favourites] == ["a blue whale"]


def test_gallery_queries_do_not_grow_with_the_number_of_items(
    signed_in, user, django_assert_max_num_queries
):
    def queries_for_gallery():
        from django.core.cache import caches
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        caches["fragments"].clear()  # count the queries of a full rendering
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(reverse("generation:gallery")).status_code == 200
        return len(captured)

    OutputFactory.create_batch(3, generation__user=user)
    with_three = queries_for_gallery()
    job = GenerationFactory(user=user)
    OutputFactory.create_batch(297, generation=job)

    assert queries_for_gallery() == with_three


def test_output_file_downloads_as_an_attachment(signed_in, user):
    output = OutputFactory(generation__user=user)

    response = signed_in.get(reverse("generation:output_file", args=[output.pk]), {"download": "1"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_favourite_and_delete(signed_in, user):
    output = OutputFactory(generation__user=user)

    signed_in.post(reverse("generation:output_favorite", args=[output.pk]), {"favorite": "1"})
    output.refresh_from_db()
    assert output.favorite

    signed_in.post(reverse("generation:output_delete", args=[output.pk]))
    assert not Output.objects.filter(pk=output.pk).exists()


def test_another_users_objects_are_not_found(client, make_user):
    owner, stranger = make_user(), make_user()
    output = OutputFactory(generation__user=owner)
    job = output.generation
    client.force_login(stranger)

    urls = [
        ("get", reverse("generation:job_status", args=[job.pk])),
        ("post", reverse("generation:job_cancel", args=[job.pk])),
        ("post", reverse("generation:job_retry", args=[job.pk])),
        ("get", reverse("generation:output_detail", args=[output.pk])),
        ("get", reverse("generation:output_file", args=[output.pk])),
        ("post", reverse("generation:output_favorite", args=[output.pk])),
        ("get", reverse("generation:output_delete", args=[output.pk])),
        ("post", reverse("generation:output_delete", args=[output.pk])),
        ("get", reverse("generation:output_edit", args=[output.pk])),
        ("post", reverse("generation:output_edit", args=[output.pk])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    assert Output.objects.filter(pk=output.pk).exists()


def test_use_these_settings_again_prefills_the_form(signed_in, user):
    job = GenerationFactory(user=user, prompt="a violet owl", style="anime", seed=42)

    form = signed_in.get(reverse("generation:generate"), {"from": job.pk}).context["form"]

    assert form.initial["prompt"] == "a violet owl"
    assert form.initial["style"] == "anime"
    assert form.initial["seed"] == 42


def test_pages_need_a_signed_in_user(client):
    response = client.get(reverse("generation:gallery"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_refused_input_does_not_use_up_the_hourly_limit(signed_in, user):
    billing.credits_grant(user=user, amount=100, reason="test", reference="test")
    for _ in range(12):
        signed_in.post(reverse("generation:generate"), {**FORM, "size": "100"})

    assert signed_in.post(reverse("generation:generate"), FORM).status_code == 302


def test_gallery_pages_go_back_in_time_without_overlap(signed_in, user):
    job = GenerationFactory(user=user)
    made = OutputFactory.create_batch(30, generation=job)
    newest_first = [o.pk for o in reversed(made)]

    first = signed_in.get(reverse("generation:gallery"))
    cursor = first.context["page"].next_before
    second = signed_in.get(reverse("generation:gallery"), {"before": cursor})

    assert [o.pk for o in first.context["page"]] == newest_first[:24]
    assert [o.pk for o in second.context["page"]] == newest_first[24:]
    assert 'data-testid="older"' in first.content.decode()
    assert not second.context["page"].has_next


def test_the_cached_gallery_shows_changes_at_once(
    signed_in, user, django_capture_on_commit_callbacks
):
    output = OutputFactory(generation__user=user)
    assert "★" not in signed_in.get(reverse("generation:gallery")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("generation:output_favorite", args=[output.pk]), {"favorite": "1"})
    assert "★" in signed_in.get(reverse("generation:gallery")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("generation:output_delete", args=[output.pk]))
    assert (
        'data-testid="gallery-item"'
        not in signed_in.get(reverse("generation:gallery")).content.decode()
    )


def test_the_composer_shows_what_a_request_costs_before_submitting(signed_in, user, razorpay):
    page = signed_in.get(reverse("generation:generate")).content.decode()
    assert "One request (up to 4 images) costs 1 credit." in page
    assert "A video costs 1 credit." in page  # one of the free generations

    pay(user)
    page = signed_in.get(reverse("generation:generate")).content.decode()
    assert "One request (up to 4 images) costs 1 credit." in page
    assert "A video costs 20 credits." in page


def test_the_generator_offers_the_originals_choices_and_ours(signed_in):
    page = signed_in.get(reverse("generation:generate")).content.decode()
    for label in ("Art style", "Logo", "Banner", "Photo", "Watercolor", "Cartoon", "Earthy"):
        assert f">{label}</option>" in page
    for label in ("Auto", "Portrait", "Landscape", "256 px", "Best"):
        assert f">{label}</option>" in page


@pytest.mark.parametrize("cursor", ["\u00b2", "\u0663", "-3", "abc"])
def test_gallery_with_a_cursor_that_is_not_ascii_digits_shows_the_first_page(
    signed_in, user, cursor
):
    OutputFactory.create_batch(2, generation__user=user)

    response = signed_in.get(reverse("generation:gallery"), {"before": cursor})

    assert response.status_code == 200
    assert len(response.context["page"]) == 2


@pytest.mark.parametrize("param", ["from", "reference"])
def test_the_generator_ignores_an_id_that_is_not_ascii_digits(signed_in, param):
    response = signed_in.get(reverse("generation:generate"), {param: "\u00b2"})

    assert response.status_code == 200


def test_an_upscaled_uploads_page_says_real_esrgan_made_it(signed_in, user, edit_an_upload):
    edit_an_upload("upscale")
    output = Generation.objects.get(user=user).outputs.get()

    page = signed_in.get(reverse("generation:output_detail", args=[output.pk])).content.decode()

    assert (output.width, output.height) == (160, 120)
    assert '<td data-testid="edit-method">Upscaled by Real-ESRGAN' in page
