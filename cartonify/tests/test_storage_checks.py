"""`manage.py check --deploy` (run before the web and worker start) refuses a media
bucket that is missing or that it has no credentials for."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from core.object_storage import s3_storage


def use_bucket(settings, fake_s3, **overrides):
    env = fake_s3.env()
    options = {
        "bucket": fake_s3.bucket,
        "endpoint_url": fake_s3.url,
        "region": env["AWS_S3_REGION_NAME"],
        "addressing_style": "path",
        "access_key": env["AWS_ACCESS_KEY_ID"],
        "secret_key": env["AWS_SECRET_ACCESS_KEY"],
        "presign_seconds": 60,
    }
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(**options | overrides)}


def check_storage():
    call_command("check", "--deploy", "--tag", "storage")


def test_a_bucket_that_answers_passes(settings, fake_s3):
    use_bucket(settings, fake_s3)

    check_storage()


def test_a_missing_bucket_stops_the_start(settings, fake_s3):
    use_bucket(settings, fake_s3, bucket="cartonify-never-created")

    with pytest.raises(SystemCheckError, match=r"'cartonify-never-created' .* does not exist"):
        check_storage()


def test_missing_credentials_stop_the_start(settings, fake_s3, monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    use_bucket(settings, fake_s3, access_key=None, secret_key=None)

    with pytest.raises(SystemCheckError, match="No credentials for the media bucket"):
        check_storage()


def test_an_unreachable_store_stops_the_start(settings, fake_s3):
    use_bucket(settings, fake_s3)
    fake_s3.stop()

    with pytest.raises(SystemCheckError, match="cannot be reached"):
        check_storage()
    fake_s3.start()  # the fixture stops it at the end
