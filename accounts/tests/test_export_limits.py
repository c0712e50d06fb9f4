"""Exports are bounded: one per account, kept 7 days, asked for once an hour."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import exports
from accounts.models import DataExport
from accounts.tasks import delete_expired_exports
from generation.tests.factories import OutputFactory

pytestmark = pytest.mark.django_db(transaction=True)


def export_files() -> list[Path]:
    return [path for path in (Path(settings.MEDIA_ROOT) / "exports").rglob("*") if path.is_file()]


def built_export(user) -> DataExport:
    export = DataExport.objects.create(user=user)
    exports.export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


def download(client, export):
    return client.get(reverse("accounts:export_download", args=[export.pk]))


def test_a_new_export_replaces_the_old_one_and_its_file_once_it_is_ready(signed_in, user):
    OutputFactory(generation__user=user)
    old = built_export(user)
    (old_file,) = export_files()

    new = DataExport.objects.create(user=user)
    assert download(signed_in, old).status_code == 200  # still there while the new one builds
    exports.export_build(export_id=new.pk)

    assert list(DataExport.objects.filter(user=user)) == [DataExport.objects.get(pk=new.pk)]
    assert not old_file.exists() and len(export_files()) == 1
    assert download(signed_in, old).status_code == 404
    assert download(signed_in, new).status_code == 200


def test_another_users_export_is_not_replaced(user, make_user):
    theirs = built_export(make_user())

    built_export(user)

    assert DataExport.objects.filter(pk=theirs.pk).exists() and len(export_files()) == 2


def test_exports_are_deleted_with_their_files_after_seven_days(signed_in, user, make_user):
    old = built_export(user)
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        recent = built_export(make_user())

    with time_machine.travel(old.finished_at + timedelta(days=7, minutes=1), tick=False):
        assert download(signed_in, old).status_code == 404  # expired, though not swept yet
        call_command("delete_expired_exports", stdout=io.StringIO())

    assert not DataExport.objects.filter(pk=old.pk).exists()
    assert DataExport.objects.filter(pk=recent.pk).exists()
    assert export_files() == [Path(settings.MEDIA_ROOT) / recent.file.name]


def test_the_beat_deletes_expired_exports_as_a_registered_periodic_task(user):
    export = built_export(user)
    assert ("accounts.delete_expired_exports", 60) in settings.PERIODIC_TASKS.values()

    with time_machine.travel(export.finished_at + timedelta(days=8), tick=False):
        delete_expired_exports.delay()

    assert not DataExport.objects.exists() and export_files() == []


def test_a_second_export_request_within_the_hour_gets_the_rate_limit_message(signed_in, user):
    htmx = {"HX-Request": "true"}
    first = signed_in.post(reverse("accounts:export_start"), headers=htmx)

    again = signed_in.post(reverse("accounts:export_start"), headers=htmx)

    assert first.status_code == 200
    assert again.status_code == 429
    refusal = r"You can ask for 1 data export an hour\. Try again in \d+ minutes?\."
    assert re.search(refusal, again.content.decode())
    assert DataExport.objects.filter(user=user).count() == 1


def test_a_refused_request_without_htmx_says_why_on_the_account_page(signed_in, user):
    signed_in.post(reverse("accounts:export_start"))

    response = signed_in.post(reverse("accounts:export_start"), follow=True)

    assert "You can ask for 1 data export an hour." in response.content.decode()
    assert DataExport.objects.filter(user=user).count() == 1
