"""Media in an S3-compatible bucket (the fake_s3 server): jobs store their outputs there,
every download is a redirect to a short-lived presigned link, deletes remove objects."""

import httpx
import pytest
from django.urls import reverse

from accounts.deletion import account_delete
from billing.models import LedgerEntry
from generation import services
from generation.models import Generation, Output, Status
from generation.services import GenerationRequest
from generation.tests.factories import OutputFactory, png_bytes
from testing.mfa import log_in_as_staff
from testing.processes import wait_until

TWO_IMAGES = GenerationRequest(kind="image", prompt="a kite over the sea", count=2)


def ledger_kinds(job):
    return sorted(
        LedgerEntry.objects.filter(reference=job.reference).values_list("kind", flat=True)
    )


def follow(response) -> httpx.Response:
    """Fetch the presigned link our view redirected to, as a browser would."""
    assert response.status_code == 302
    return httpx.get(response["Location"], timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_jobs_outputs_land_in_the_private_bucket_and_not_on_disk(user, fake_s3, settings):
    job = services.generation_submit(user=user, request=TWO_IMAGES)

    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    names = sorted(job.outputs.values_list("file", flat=True))
    assert fake_s3.object_names() == names and len(names) == 2
    for name in names:
        grants = fake_s3.client().get_object_acl(Bucket=fake_s3.bucket, Key=name)["Grants"]
        assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("AllUsers")]
    assert not settings.MEDIA_ROOT.exists()


@pytest.mark.django_db
def test_the_gallery_link_redirects_to_a_presigned_link_that_serves_the_file(
    signed_in, user, fake_s3
):
    output = OutputFactory(generation__user=user)

    response = signed_in.get(reverse("generation:output_file", args=[output.pk]))

    assert response["Location"].startswith(f"{fake_s3.url}/{fake_s3.bucket}/")
    assert "private" in response["Cache-Control"]
    served = follow(response)
    assert served.status_code == 200
    assert served.content == fake_s3.read(output.file.name) == png_bytes()
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["Content-Disposition"].startswith("inline")


@pytest.mark.django_db
def test_a_download_link_names_the_file(signed_in, user, fake_s3):
    output = OutputFactory(generation__user=user)

    response = signed_in.get(reverse("generation:output_file", args=[output.pk]) + "?download=1")

    served = follow(response)
    assert served.status_code == 200
    assert served.headers["Content-Disposition"] == (
        f'attachment; filename="cartonify-image-{output.pk}.png"'
    )


@pytest.mark.django_db
def test_the_api_download_redirects_to_a_named_presigned_link(api, user, fake_s3):
    output = OutputFactory(generation__user=user)

    response = api.get(f"/outputs/{output.pk}/file")

    served = follow(response)
    assert served.content == png_bytes()
    assert f'filename="cartonify-image-{output.pk}.png"' in served.headers["Content-Disposition"]


@pytest.mark.django_db
def test_someone_elses_output_is_not_found_and_no_link_is_made(signed_in, make_user, fake_s3):
    output = OutputFactory(generation__user=make_user())

    response = signed_in.get(reverse("generation:output_file", args=[output.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_an_expired_link_is_refused_by_the_store(signed_in, user, fake_s3, settings):
    # A link's start (X-Amz-Date) is cut to the whole second, so a 1 s link may live only
    # milliseconds; 4 s leaves it at least 3 s to be fetched on a busy machine.
    settings.S3_PRESIGN_SECONDS = 4
    output = OutputFactory(generation__user=user)
    response = signed_in.get(reverse("generation:output_file", args=[output.pk]))

    assert follow(response).status_code == 200
    assert wait_until(lambda: follow(response).status_code == 403, timeout=20)


@pytest.mark.django_db
def test_the_bucket_refuses_unsigned_and_altered_links(signed_in, user, fake_s3):
    output = OutputFactory(generation__user=user)
    link = signed_in.get(reverse("generation:output_file", args=[output.pk]))["Location"]

    assert httpx.get(link.split("?")[0]).status_code == 403
    assert httpx.get(link.replace("inline", "attachment")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_deleting_an_output_removes_its_object(signed_in, user, fake_s3):
    output = OutputFactory(generation__user=user)
    file_url = reverse("generation:output_file", args=[output.pk])
    link = signed_in.get(file_url)["Location"]

    signed_in.post(reverse("generation:output_delete", args=[output.pk]))

    assert fake_s3.object_names() == []
    gone = httpx.get(link)
    assert gone.status_code == 404, gone.text  # the store no longer has it
    assert signed_in.get(file_url).status_code == 404  # and we make no new link


@pytest.mark.django_db(transaction=True)
def test_an_output_deleted_while_the_store_is_down_is_still_deleted(signed_in, user, fake_s3):
    output = OutputFactory(generation__user=user)
    fake_s3.stop()

    response = signed_in.post(reverse("generation:output_delete", args=[output.pk]))

    assert response.status_code == 302
    assert not Output.objects.filter(pk=output.pk).exists()
    fake_s3.start()


@pytest.mark.django_db(transaction=True)
def test_closing_an_account_removes_all_its_objects(signed_in, user, make_user, fake_s3):
    OutputFactory.create_batch(2, generation__user=user)
    services.generation_submit(
        user=user,
        request=GenerationRequest(kind="edit", prompt="", edit_operation="sepia"),
        source_bytes=png_bytes(),
    )
    signed_in.post(reverse("accounts:export_start"))
    kept = OutputFactory(generation__user=make_user())
    assert len(fake_s3.object_names()) >= 6  # two outputs, an upload, an edit's output, the export

    account_delete(user=user, by=user)

    assert fake_s3.object_names() == [kept.file.name]


@pytest.mark.django_db(transaction=True)
def test_the_export_download_redirects_to_the_zip(signed_in, user, fake_s3):
    OutputFactory(generation__user=user)
    signed_in.post(reverse("accounts:export_start"))
    export = user.exports.get()

    response = signed_in.get(reverse("accounts:export_download", args=[export.pk]))

    served = follow(response)
    assert served.status_code == 200 and served.content.startswith(b"PK")
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_store_that_stays_down_fails_the_job_after_its_retries_and_refunds_it(
    user, fake_s3, celery_worker
):
    fake_s3.stop()

    job = services.generation_submit(user=user, request=TWO_IMAGES)

    # Three retries, 2 + 4 + 8 s apart.
    assert wait_until(lambda: Generation.objects.get(pk=job.pk).is_finished, timeout=60)
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert ledger_kinds(job) == ["refund", "reserve"]
    assert not Output.objects.filter(generation=job).exists()
    fake_s3.start()
    assert fake_s3.object_names() == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_store_down_mid_job_is_retried_and_the_job_succeeds_with_its_files(
    user, fake_s3, settings, celery_worker, status_history
):
    settings.GENERATION_SIMULATED_LATENCY = 1.5
    job = services.generation_submit(user=user, request=TWO_IMAGES)
    assert wait_until(lambda: status_history(job) == [Status.QUEUED, Status.RUNNING], timeout=20)

    fake_s3.stop()  # while the provider is still drawing
    # It could not store the pictures: back in the queue for the task's retry.
    assert wait_until(lambda: status_history(job)[2:3] == [Status.QUEUED], timeout=20)
    fake_s3.start()

    assert wait_until(
        lambda: Generation.objects.get(pk=job.pk).status == Status.SUCCEEDED, timeout=30
    )
    names = sorted(Output.objects.filter(generation=job).values_list("file", flat=True))
    assert fake_s3.object_names() == names and len(names) == 2
    assert ledger_kinds(job) == ["reserve"]


@pytest.mark.django_db(transaction=True)
def test_the_transform_links_lead_to_the_bucket(live_server, new_key, user, fake_s3):
    answer = httpx.post(
        f"{live_server.url}/api/transform",
        data={"prompt": "a lighthouse", "image_size": "512"},
        headers={"X-API-Key": new_key.plaintext},
        timeout=30,
    )

    links = answer.json()["image_urls"]
    first = httpx.get(links[0], timeout=10)
    assert first.status_code == 302
    assert first.headers["Location"].startswith(fake_s3.url)
    downloads = [httpx.get(link, follow_redirects=True, timeout=10) for link in links]
    stored = [fake_s3.read(o.file.name) for o in Output.objects.filter(user=user).order_by("pk")]
    assert [d.content for d in downloads] == stored


@pytest.mark.django_db
def test_links_can_name_the_address_browsers_reach_the_store_at(signed_in, user, fake_s3, settings):
    # As under docker compose: the servers use one address, browsers another.
    public = fake_s3.url.replace("127.0.0.1", "localhost")
    options = settings.STORAGES["default"]["OPTIONS"]
    default = {
        **settings.STORAGES["default"],
        "OPTIONS": {**options, "public_endpoint_url": public},
    }
    settings.STORAGES = {**settings.STORAGES, "default": default}
    output = OutputFactory(generation__user=user)

    response = signed_in.get(reverse("generation:output_file", args=[output.pk]))

    assert response["Location"].startswith(f"{public}/{fake_s3.bucket}/")
    assert follow(response).content == png_bytes()


def test_pages_may_load_pictures_from_the_bucket():
    from core.object_storage import s3_storage, storage_origins

    def origins(**kwargs):
        options = s3_storage(
            bucket="media",
            region="eu-west-1",
            access_key=None,
            secret_key=None,
            presign_seconds=60,
            **kwargs,
        )["OPTIONS"]
        return storage_origins(options)

    assert origins(endpoint_url="", addressing_style="virtual") == [
        "https://media.s3.eu-west-1.amazonaws.com",
        "https://media.s3.amazonaws.com",
    ]
    minio = {"endpoint_url": "http://minio:9000", "addressing_style": "path"}
    assert origins(**minio) == ["http://minio:9000"]
    assert origins(**minio, public_endpoint_url="http://localhost:9000") == [
        "http://localhost:9000"
    ]


@pytest.mark.django_db
def test_staff_previews_in_the_admin_come_from_the_bucket(client, make_user, fake_s3):
    log_in_as_staff(client, make_user(is_staff=True, is_superuser=True))
    output = OutputFactory()

    response = client.get(reverse("generation:admin_output_file", args=[output.pk]))

    assert follow(response).content == png_bytes()
