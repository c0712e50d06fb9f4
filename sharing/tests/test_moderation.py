"""Staff hide a share from the admin, with a reason; the owner cannot undo it."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cartonify.admin_lists import CappedCountPaginator
from sharing.models import Share
from sharing.tests.factories import ShareFactory
from testing.mfa import log_in_as_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    moderator = UserFactory(email="mod@example.com", is_staff=True, is_superuser=True)
    log_in_as_staff(client, moderator)
    return moderator


def test_staff_hide_a_share_with_a_reason_recorded_with_who_and_when(client, staff):
    share = ShareFactory()

    response = client.post(reverse("admin:sharing_share_hide", args=[share.pk]), {"reason": "spam"})

    assert response.status_code == 302
    share.refresh_from_db()
    assert share.is_hidden and share.hidden_by == staff and share.hidden_reason == "spam"
    change = client.get(reverse("admin:sharing_share_change", args=[share.pk])).content.decode()
    assert "spam" in change and "mod@example.com" in change


@pytest.mark.parametrize("reason", ["", "   "])
def test_hiding_needs_a_reason(client, staff, reason):
    share = ShareFactory()

    response = client.post(reverse("admin:sharing_share_hide", args=[share.pk]), {"reason": reason})

    assert response.status_code == 200
    assert not Share.objects.get(pk=share.pk).is_hidden


def test_hiding_twice_keeps_the_first_reason(client, staff):
    share = ShareFactory()
    url = reverse("admin:sharing_share_hide", args=[share.pk])
    client.post(url, {"reason": "spam"})

    response = client.post(url, {"reason": "something else"})

    assert "already hidden" in response.content.decode()
    assert Share.objects.get(pk=share.pk).hidden_reason == "spam"


def test_staff_without_totp_cannot_hide(client):
    share = ShareFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    client.post(reverse("admin:sharing_share_hide", args=[share.pk]), {"reason": "spam"})

    assert not Share.objects.get(pk=share.pk).is_hidden


def test_the_owner_cannot_unshare_and_reshare_a_hidden_share(client, staff):
    share = ShareFactory()
    client.post(reverse("admin:sharing_share_hide", args=[share.pk]), {"reason": "spam"})
    owner = share.output.user
    client.force_login(owner)

    client.post(reverse("sharing:unshare", args=[share.output_id]))
    client.post(reverse("sharing:share", args=[share.output_id]))

    kept = Share.objects.get(output=share.output)
    assert kept.pk == share.pk and kept.is_hidden
    page = client.get(reverse("generation:output_detail", args=[share.output_id]))
    assert "Staff hid this from public pages: spam" in page.content.decode()


def test_the_share_list_counts_no_further_than_the_cap(client, staff, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    ShareFactory.create_batch(4)

    response = client.get(reverse("admin:sharing_share_changelist"))

    assert response.status_code == 200
    assert "More than 3 shares" in response.text
