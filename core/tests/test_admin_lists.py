"""The admin's job and output lists read a bounded number of rows, however large the table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import bulk
from core.admin_lists import CappedCountPaginator
from testing.mfa import log_in_as_staff

pytestmark = pytest.mark.django_db

LISTS = ["/admin/generation/generation/", "/admin/generation/image/"]


@pytest.fixture
def staff(client, make_user):
    log_in_as_staff(client, make_user(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def many_outputs(user):
    bulk.outputs_add([user.pk], 40)  # ten jobs of four
    return user


@pytest.mark.parametrize("url", LISTS)
def test_a_list_over_the_cap_counts_no_further_and_says_more_than(
    staff, many_outputs, monkeypatch, url
):
    monkeypatch.setattr(CappedCountPaginator, "cap", 5)

    with CaptureQueriesContext(connection) as queries:
        response = staff.get(url)

    assert response.status_code == 200
    assert "More than 5 " in response.text
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 6" in sql for sql in counts)
    assert not any("DISTINCT" in q["sql"] for q in queries)


@pytest.mark.parametrize("url, expected", [(LISTS[0], "10 generations"), (LISTS[1], "40 images")])
def test_a_list_under_the_cap_shows_its_exact_count(staff, many_outputs, url, expected):
    response = staff.get(url)

    assert expected in response.text


def test_the_content_type_filter_offers_the_values_of_recent_rows(staff, many_outputs):
    response = staff.get("/admin/generation/image/", {"content_type": "image/png"})

    assert response.status_code == 200
    assert "?content_type=image%2Fpng" in response.text
    assert "40 images" in response.text
