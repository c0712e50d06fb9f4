"""Staff hide a share from the admin, with a reason; the owner cannot undo it, staff can."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.admin_lists import CappedCountPaginator
from sharing import services
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


@pytest.fixture
def hidden_share():
    share = ShareFactory()
    hider = UserFactory(email="hider@example.com", is_staff=True)
    return services.share_hide(share=share, by=hider, reason="looked like spam")


def unhide(client, share, reason="the owner explained"):
    return client.post(reverse("admin:sharing_share_unhide", args=[share.pk]), {"reason": reason})


def test_an_unhidden_share_is_on_its_public_page_and_explore_again(client, staff, hidden_share):
    visitor = Client()
    page = reverse("sharing:page", args=[hidden_share.token])
    assert visitor.get(page).status_code == 404

    response = unhide(client, hidden_share)

    assert response.status_code == 302
    assert visitor.get(page).status_code == 200
    explore = visitor.get(reverse("sharing:explore"))
    assert [share.token for share in explore.context["shares"]] == [hidden_share.token]


def test_unhiding_clears_the_hide_and_records_who_and_why_beside_the_hide_it_lifted(
    client, staff, hidden_share
):
    unhide(client, hidden_share, reason="appeal upheld")

    share = Share.objects.get(pk=hidden_share.pk)
    assert (share.hidden_at, share.hidden_by, share.hidden_reason) == (None, None, "")
    entry = LogEntry.objects.get(object_id=str(share.pk))
    assert entry.user == staff
    assert entry.change_message.startswith("Unhidden: appeal upheld")
    assert "hider@example.com: looked like spam" in entry.change_message


def test_the_owner_no_longer_sees_the_hide_once_unhidden(client, staff, hidden_share):
    unhide(client, hidden_share)
    client.force_login(hidden_share.output.user)

    page = client.get(reverse("generation:output_detail", args=[hidden_share.output_id]))

    assert "Staff hid this" not in page.content.decode()


@pytest.mark.parametrize("reason", ["", "   "])
def test_unhiding_needs_a_reason(client, staff, hidden_share, reason):
    response = unhide(client, hidden_share, reason=reason)

    assert response.status_code == 200
    assert Share.objects.get(pk=hidden_share.pk).is_hidden


def test_unhiding_a_share_that_is_not_hidden_is_refused_with_a_message(client, staff):
    share = ShareFactory()

    response = unhide(client, share)

    assert response.status_code == 200
    assert "This share is not hidden." in response.content.decode()
    assert not LogEntry.objects.filter(object_id=str(share.pk)).exists()


@pytest.mark.parametrize(
    "user",
    [
        pytest.param(lambda: UserFactory(), id="not staff"),
        pytest.param(
            lambda: UserFactory(is_staff=True, is_superuser=True), id="staff without TOTP"
        ),
    ],
)
def test_only_staff_signed_in_with_totp_can_unhide(client, hidden_share, user):
    client.force_login(user())

    response = unhide(client, hidden_share)

    assert response.status_code == 302 and "/login/" in response.url
    assert Share.objects.get(pk=hidden_share.pk).is_hidden


def test_staff_without_the_permission_to_change_shares_cannot_unhide(client, hidden_share):
    log_in_as_staff(client, UserFactory(is_staff=True))

    response = unhide(client, hidden_share)

    assert response.status_code == 403
    assert Share.objects.get(pk=hidden_share.pk).is_hidden


def test_the_change_page_offers_hide_or_unhide_as_the_share_allows(client, staff, hidden_share):
    visible = ShareFactory()

    def page_and_links(share):
        page = client.get(reverse("admin:sharing_share_change", args=[share.pk])).text
        hide_url = reverse("admin:sharing_share_hide", args=[share.pk])
        unhide_url = reverse("admin:sharing_share_unhide", args=[share.pk])
        return page, hide_url, unhide_url

    page, hide_url, unhide_url = page_and_links(visible)
    assert hide_url in page and unhide_url not in page
    page, hide_url, unhide_url = page_and_links(hidden_share)
    assert unhide_url in page and hide_url not in page
