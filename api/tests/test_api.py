import base64
import io

import pytest
from django.urls import reverse
from PIL import Image

from billing import services as billing
from generation.models import Generation, Output, Status, Via
from generation.tests.factories import GenerationFactory, OutputFactory, mask_png

pytestmark = pytest.mark.django_db

IMAGE = {"prompt": "a fox reading a map", "style": "anime", "size": 512, "count": 2}


def test_post_images_starts_a_job_via_the_api_and_reserves_credits(api, user):
    response = api.post("/images", IMAGE)

    assert response.status_code == 202
    body = response.json()
    job = Generation.objects.get(user=user)
    assert body["id"] == job.pk and body["status"] == "queued" and body["via"] == "api"
    assert job.via == Via.API and job.count == 2 and job.style == "anime"
    assert response["Location"].endswith(f"/api/v1/generations/{job.pk}")
    assert billing.credits_balance(user=user) == 4


def test_a_finished_job_lists_outputs_that_download_with_the_key(
    api, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = api.post("/images", IMAGE).json()["id"]

    job = api.get(f"/generations/{job_id}").json()
    assert job["status"] == "succeeded"
    assert len(job["outputs"]) == 2
    file = api.get(job["outputs"][0]["download_url"].split("/api/v1", 1)[1])
    assert file.status_code == 200
    assert file["Content-Type"] == "image/png"
    assert b"".join(file.streaming_content).startswith(b"\x89PNG")


def test_validation_errors_are_422_with_field_details(api, user):
    response = api.post("/images", {"prompt": "", "size": 100, "count": 9})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert {"prompt", "size", "count"} <= {error["field"] for error in body["errors"]}
    assert not Generation.objects.exists()
    assert billing.credits_balance(user=user) == 5


def test_service_validation_is_reported_like_schema_validation(api):
    response = api.post("/images", {"prompt": "bell \x07 ring"})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "prompt", "message": "The prompt contains characters we can't use."}
    ]


def test_other_users_objects_are_404_for_every_operation(api, make_user):
    theirs = OutputFactory(generation=GenerationFactory(user=make_user(), status=Status.RUNNING))
    job = theirs.generation

    for response in [
        api.get(f"/generations/{job.pk}"),
        api.post(f"/generations/{job.pk}/cancel"),
        api.get(f"/images/{theirs.pk}"),
        api.get(f"/outputs/{theirs.pk}/file"),
        api.delete(f"/images/{theirs.pk}"),
        api.post(f"/images/{theirs.pk}/edits", {"operation": "grayscale"}),
    ]:
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "Not found."}
    assert api.get("/generations").json()["items"] == []
    assert api.get("/images").json()["items"] == []
    assert Output.objects.filter(pk=theirs.pk).exists()
    assert Generation.objects.get(pk=job.pk).status == Status.RUNNING


def test_images_list_get_and_delete_own_images(api, user):
    mine = OutputFactory.create_batch(3, generation=GenerationFactory(user=user))

    page = api.get("/images?page_size=2").json()
    assert [item["id"] for item in page["items"]] == [mine[2].pk, mine[1].pk]
    assert page["next"].endswith(f"before={mine[1].pk}")
    assert api.get(f"/images/{mine[0].pk}").json()["id"] == mine[0].pk

    assert api.delete(f"/images/{mine[0].pk}").status_code == 204
    assert api.get(f"/images/{mine[0].pk}").status_code == 404


def test_edit_one_of_your_images(api, user):
    image = OutputFactory(generation=GenerationFactory(user=user))

    response = api.post(f"/images/{image.pk}/edits", {"operation": "sepia"})

    assert response.status_code == 202
    assert response.json()["source_image_id"] == image.pk
    assert response.json()["kind"] == "edit"


def test_a_finished_edit_has_no_enhanced_prompt(api, user, django_capture_on_commit_callbacks):
    image = OutputFactory(generation=GenerationFactory(user=user))

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/images/{image.pk}/edits", {"operation": "sepia"})

    job = api.get(f"/generations/{response.json()['id']}").json()
    assert job["status"] == "succeeded"
    assert job["enhanced_prompt"] == ""  # the local provider's "Sepia toning (Pillow)." is not one


def test_inpaint_one_of_your_images_with_a_base64_mask(
    api, user, django_capture_on_commit_callbacks
):
    image = OutputFactory(generation=GenerationFactory(user=user))  # 64x64
    mask = base64.b64encode(mask_png((64, 64), (0, 0, 32, 64))).decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/images/{image.pk}/edits",
            {"operation": "inpaint", "prompt": "a lighthouse", "mask": mask},
        )

    assert response.status_code == 202
    job = api.get(f"/generations/{response.json()['id']}").json()
    assert job["status"] == "succeeded", job["error"]
    output = Output.objects.get(pk=job["outputs"][0]["id"])
    result = Image.open(io.BytesIO(output.file.read())).convert("RGB")
    original = Image.open(image.file.open("rb")).convert("RGB")
    assert result.crop((32, 0, 64, 64)) == original.crop((32, 0, 64, 64))
    assert result.crop((0, 0, 24, 64)) != original.crop((0, 0, 24, 64))
    assert billing.credits_balance(user=user) == 4


def test_a_mask_may_be_sent_as_a_data_uri(api, user):
    image = OutputFactory(generation=GenerationFactory(user=user))
    mask = "data:image/png;base64," + base64.b64encode(mask_png((64, 64))).decode()

    response = api.post(
        f"/images/{image.pk}/edits", {"operation": "inpaint", "prompt": "a moon", "mask": mask}
    )

    assert response.status_code == 202


def _jpeg_base64() -> str:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(out, "JPEG")
    return base64.b64encode(out.getvalue()).decode()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"prompt": "a moon"}, "mask"),
        ({"prompt": "", "mask": base64.b64encode(mask_png((64, 64))).decode()}, "prompt"),
        ({"prompt": "a moon", "mask": base64.b64encode(mask_png((65, 64))).decode()}, "mask"),
        ({"prompt": "a moon", "mask": _jpeg_base64()}, "mask"),
        ({"prompt": "a moon", "mask": "not base64 at all!"}, "mask"),
        ({"prompt": "a moon", "mask": base64.b64encode(b"\x89PNG\r\n\x1a\nxx").decode()}, "mask"),
    ],
    ids=["no mask", "no prompt", "another size", "jpeg", "not base64", "broken png"],
)
def test_bad_inpaint_input_is_a_422_on_its_field_and_costs_nothing(api, user, body, field):
    image = OutputFactory(generation=GenerationFactory(user=user))

    response = api.post(f"/images/{image.pk}/edits", {"operation": "inpaint", **body})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Generation.objects.filter(kind="edit").exists()
    assert billing.credits_balance(user=user) == 5


def test_videos_and_prompt_enhancement(api, user):
    assert api.post("/videos", {"prompt": "waves at night"}).json()["kind"] == "video"
    enhanced = api.post("/prompts/enhance", {"prompt": "a cat"})
    assert enhanced.status_code == 202 and enhanced.json()["kind"] == "enhance"


def test_cancel_gives_the_credits_back_and_twice_is_a_409(api, user):
    job_id = api.post("/images", IMAGE).json()["id"]
    assert billing.credits_balance(user=user) == 4

    canceled = api.post(f"/generations/{job_id}/cancel")
    assert canceled.status_code == 200 and canceled.json()["status"] == "canceled"
    assert billing.credits_balance(user=user) == 5

    again = api.post(f"/generations/{job_id}/cancel")
    assert again.status_code == 409 and again.json()["code"] == "not_allowed"


def test_generations_list_filters_by_status(api, user):
    GenerationFactory(user=user, status=Status.FAILED)
    GenerationFactory(user=user, status=Status.SUCCEEDED)

    assert len(api.get("/generations").json()["items"]) == 2
    assert [j["status"] for j in api.get("/generations?status=failed").json()["items"]] == [
        "failed"
    ]


def test_me_shows_plan_credits_and_the_masked_key(api, new_key, user):
    body = api.get("/me").json()

    assert body["plan"] == "free" and body["credits_remaining"] == 5
    assert body["email"] == user.email
    assert body["api_key"] == new_key.api_key.masked


def test_quota_is_shared_with_the_web_and_exhaustion_is_a_402_on_both(api, client, user):
    client.force_login(user)
    form = {"kind": "image", "prompt": "x", "style": "cartoon", "color": "vibrant", "size": 512}
    for _ in range(3):
        assert client.post(reverse("generation:generate"), {**form, "count": 1}).status_code == 302
    for _ in range(2):
        assert api.post("/images", IMAGE).status_code == 202

    response = api.post("/images", IMAGE)

    assert response.status_code == 402
    assert response.json()["code"] == "quota_exhausted"
    assert "Upgrade to premium" in response.json()["message"]
    assert client.post(reverse("generation:generate"), {**form, "count": 1}).status_code == 402


def test_the_hourly_generation_limit_is_shared_with_the_web(api, client, user, settings):
    settings.GENERATION_RATE_LIMIT = "3/h"
    client.force_login(user)
    form = {"kind": "image", "prompt": "x", "style": "cartoon", "color": "vibrant", "size": 512}
    assert client.post(reverse("generation:generate"), {**form, "count": 1}).status_code == 302
    assert api.post("/images", IMAGE).status_code == 202
    assert api.post("/images", IMAGE).status_code == 202

    response = api.post("/images", IMAGE)

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    assert client.post(reverse("generation:generate"), {**form, "count": 1}).status_code == 429
    assert Generation.objects.count() == 3


def test_enhancing_has_an_hourly_limit_of_its_own(api, settings):
    settings.GENERATION_ENHANCE_RATE_LIMIT = "1/h"
    assert api.post("/prompts/enhance", {"prompt": "a cat"}).status_code == 202

    limited = api.post("/prompts/enhance", {"prompt": "a dog"})

    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited.json()["message"].startswith("You can improve 1 prompts an hour.")
    assert api.post("/images", IMAGE).status_code == 202


def test_each_key_has_its_own_request_limit(make_api, user, settings):
    from apikeys import services

    settings.API_KEY_RATE_LIMIT = "3/m"
    first = make_api(services.api_key_create(user=user, name="a").plaintext)
    second = make_api(services.api_key_create(user=user, name="b").plaintext)
    for _ in range(3):
        assert first.get("/me").status_code == 200

    limited = first.get("/me")

    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited.json()["code"] == "rate_limited"
    assert second.get("/me").status_code == 200


def test_the_schema_and_the_docs_page_are_public_and_offline(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/images" in schema["paths"]
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"]["scheme"] == "bearer"

    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()


def test_the_schema_has_no_duplicate_keys(client, db):
    """Swagger UI refuses a schema with a key twice (e.g. responses 200 and "200")."""
    import json

    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)


def test_image_pages_follow_next_links_newest_first(api, user):
    job = GenerationFactory(user=user)
    made = [o.pk for o in OutputFactory.create_batch(5, generation=job)]

    first = api.get("/images?page_size=2").json()
    seen = [item["id"] for item in first["items"]]
    link = first["next"]
    while link:
        page = api.get(link.split("/api/v1")[1]).json()
        seen += [item["id"] for item in page["items"]]
        link = page["next"]

    assert seen == sorted(made, reverse=True)
