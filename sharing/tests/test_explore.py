"""The public feed and the signed-out home page: shared, unhidden outputs, newest first."""

import pytest
from django.test import Client
from django.urls import reverse

from generation.tests.factories import OutputFactory
from sharing import services
from sharing.models import Share
from sharing.tests.factories import ShareFactory
from sharing.views import FEED_PAGE_SIZE

pytestmark = pytest.mark.django_db


def tokens_on(response) -> list[str]:
    return [share.token for share in response.context["shares"]]


def hide(share, by):
    services.share_hide(share=share, by=by, reason="not for the front page")


def test_feed_shows_only_shared_unhidden_outputs_newest_first(client, admin_user):
    OutputFactory()  # never shared
    older, newer, hidden = ShareFactory.create_batch(3)
    hide(hidden, admin_user)

    response = client.get(reverse("sharing:explore"))

    assert response.status_code == 200
    assert tokens_on(response) == [newer.token, older.token]


def test_feed_pages_by_keyset(client):
    shares = ShareFactory.create_batch(FEED_PAGE_SIZE + 2)
    first = client.get(reverse("sharing:explore"))
    assert len(tokens_on(first)) == FEED_PAGE_SIZE
    older = first.context["page"].next_before

    second = client.get(reverse("sharing:explore"), {"before": older})

    assert tokens_on(second) == [shares[1].token, shares[0].token]
    assert f"?before={older}" in first.content.decode()


NOT_A_CURSOR = [
    "abc",
    "-1",
    "1e9",
    "0x10",
    "",
    "%00",
    "1;drop table",
    "\uff11\uff12",  # fullwidth digits
    "\u00b2",  # superscript two: str.isdigit() says yes, int() says no
    "\u0663",  # Arabic-Indic three
]


@pytest.mark.parametrize("cursor", NOT_A_CURSOR)
def test_a_tampered_cursor_gives_the_first_page(client, cursor):
    share = ShareFactory()

    response = client.get(reverse("sharing:explore"), {"before": cursor})

    assert response.status_code == 200
    assert tokens_on(response) == [share.token]


def test_a_cursor_past_any_id_gives_the_first_page_not_a_500(client):
    share = ShareFactory()

    response = client.get(reverse("sharing:explore"), {"before": "9" * 40})

    assert response.status_code == 200
    assert tokens_on(response) == [share.token]


@pytest.mark.parametrize("count", [3, 30])
def test_feed_query_count_does_not_grow_with_items(client, django_assert_num_queries, count):
    ShareFactory.create_batch(count)

    with django_assert_num_queries(1):  # the shares with their outputs and jobs, one query
        response = client.get(reverse("sharing:explore"))

    assert len(tokens_on(response)) == min(count, FEED_PAGE_SIZE)


@pytest.mark.parametrize("count", [3, 30])
def test_home_query_count_does_not_grow_with_shares(client, django_assert_num_queries, count):
    ShareFactory.create_batch(count)

    with django_assert_num_queries(1):
        response = client.get(reverse("home"))

    assert len(tokens_on(response)) == min(count, 12)


def test_hiding_takes_effect_on_the_next_request(client, admin_user):
    share = ShareFactory()
    assert tokens_on(client.get(reverse("sharing:explore"))) == [share.token]
    assert tokens_on(client.get(reverse("home"))) == [share.token]

    hide(share, admin_user)

    assert tokens_on(client.get(reverse("sharing:explore"))) == []
    assert share.token not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("sharing:page", args=[share.token])).status_code == 404
    assert client.get(reverse("sharing:file", args=[share.token])).status_code == 404
    client.force_login(share.output.user)
    assert client.get(reverse("sharing:remix", args=[share.token])).status_code == 404


def test_unsharing_and_deleting_leave_the_feed_at_once(client):
    unshared, deleted, kept = ShareFactory.create_batch(3)

    unshared.delete()
    deleted.output.delete()

    assert tokens_on(client.get(reverse("sharing:explore"))) == [kept.token]


def test_signed_out_home_shows_the_latest_12_shares(client):
    shares = ShareFactory.create_batch(14)

    response = client.get(reverse("home"))

    assert tokens_on(response) == [share.token for share in reversed(shares[2:])]
    page = response.content.decode()
    assert reverse("sharing:page", args=[shares[-1].token]) in page
    assert reverse("sharing:page", args=[shares[0].token]) not in page


def test_home_and_feed_are_revalidated_on_every_visit(client):
    ShareFactory()
    for name in ["home", "sharing:explore"]:
        assert "no-cache" in client.get(reverse(name))["Cache-Control"]


def test_a_feed_tile_shows_the_prompt_only_when_shared_with_it(client):
    ShareFactory(output__generation__prompt="a private fox")
    ShareFactory(output__generation__prompt="a public owl", show_prompt=True)

    page = Client().get(reverse("sharing:explore")).content.decode()

    assert "a public owl" in page and "a private fox" not in page
    assert Share.objects.count() == 2
