import json
from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from apikeys import services, usage
from apikeys.models import DailyUsage, UsageFlush

pytestmark = pytest.mark.django_db


def _flat(report):
    return {
        (row["day"], e["endpoint"]): e["count"] for row in report["days"] for e in row["endpoints"]
    }


def test_usage_counts_match_a_scripted_sequence_exactly(make_api, user, client):
    nightly = make_api(services.api_key_create(user=user, name="nightly").plaintext)
    adhoc = make_api(services.api_key_create(user=user, name="adhoc").plaintext)
    with time_machine.travel("2026-11-24 23:59:00Z"):
        for _ in range(3):
            nightly.get("/me")
        nightly.get("/images/999")  # a 404 is still a request
        usage.usage_flush()
    with time_machine.travel("2026-11-25 00:01:00Z"):
        nightly.post("/images", {"prompt": "a harbour at dawn"})
        nightly.get("/images/998")
        adhoc.get("/generations")
        adhoc.post("/images", {"prompt": ""})  # a 422 is counted too
        make_api("ck_live_nope_nope").get("/me")  # no valid key: nobody's usage
        usage.usage_flush()
        adhoc.get("/me")  # not flushed yet, still counted
        body = adhoc.get("/usage?days=2").json()  # this request counts itself

    assert _flat(body) == {
        ("2026-11-24", "GET /me"): 3,
        ("2026-11-24", "GET /images/{image_id}"): 1,
        ("2026-11-25", "POST /images"): 2,
        ("2026-11-25", "GET /images/{image_id}"): 1,
        ("2026-11-25", "GET /generations"): 1,
        ("2026-11-25", "GET /me"): 1,
        ("2026-11-25", "GET /usage"): 1,
    }
    assert body["total"] == 10
    assert [(k["name"], k["count"]) for k in body["keys"]] == [("nightly", 6), ("adhoc", 4)]
    assert [row["count"] for row in body["days"]] == [4, 6]

    with time_machine.travel("2026-11-25 00:02:00Z"):
        client.force_login(user)
        page = client.get(reverse("apikeys:usage"))
    assert page.context["report"]["total"] == 10
    assert 'data-testid="usage-total">10<' in page.content.decode()
    assert "<svg" in page.content.decode()


def test_a_flush_moves_counts_into_the_table_without_changing_totals(api, new_key):
    for _ in range(4):
        api.get("/me")
    since = date.today()
    before = usage.usage_counts(api_key_ids=[new_key.api_key.pk], since=since)

    assert usage.usage_flush() == 1

    assert DailyUsage.objects.get().count == 4
    assert usage.usage_counts(api_key_ids=[new_key.api_key.pk], since=since) == before
    client = cache.client.get_client()
    assert not client.exists(cache.make_key(usage.LIVE.format(new_key.api_key.pk)))
    assert not client.sismember(cache.make_key(usage.DIRTY), new_key.api_key.pk)
    assert usage.usage_flush() == 0


def test_a_flush_that_died_after_its_commit_is_not_counted_twice(api, new_key):
    api.get("/me")
    api.get("/me")
    key = (new_key.api_key.pk, date.today(), "GET /me")
    # What a flush leaves behind when killed between its commit and the Redis cleanup.
    UsageFlush.objects.create(batch="dead")
    DailyUsage.objects.create(api_key=new_key.api_key, day=key[1], endpoint=key[2], count=2)
    inflight = {"batch": "dead", "counts": [[key[0], key[1].isoformat(), key[2], 2]]}
    cache.client.get_client().set(cache.make_key(usage.INFLIGHT), json.dumps(inflight))

    assert usage.usage_counts(api_key_ids=[key[0]], since=key[1]) == {key: 2}
    usage.usage_flush()
    assert DailyUsage.objects.get().count == 2


def test_a_flush_that_died_before_its_commit_loses_nothing(api, new_key):
    api.get("/me")
    inflight = {"batch": "never-committed", "counts": [[new_key.api_key.pk, "2026-01-01", "x", 1]]}
    cache.client.get_client().set(cache.make_key(usage.INFLIGHT), json.dumps(inflight))

    usage.usage_flush()

    assert DailyUsage.objects.get().count == 1


def test_without_redis_each_request_updates_the_table(api, new_key, monkeypatch):
    monkeypatch.setattr(usage, "_redis", lambda: None)
    api.get("/me")
    api.get("/me")

    assert DailyUsage.objects.get().count == 2
    report = usage.usage_report(user=new_key.api_key.user, days=1)
    assert report["total"] == 2


def test_the_usage_page_lists_revoked_keys_too(client, user, new_key, api):
    api.get("/me")
    services.api_key_revoke(user=user, api_key_id=new_key.api_key.pk)
    client.force_login(user)

    page = client.get(reverse("apikeys:usage")).content.decode()

    assert "Revoked" in page and new_key.api_key.prefix in page


def test_the_periodic_tasks_are_scheduled_by_the_setup_command(db):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks")

    assert set(PeriodicTask.objects.values_list("task", flat=True)) >= {
        "apikeys.flush_usage",
        "apikeys.purge_idempotency_records",
    }


def test_the_flush_task_runs_the_flush(api, new_key):
    from apikeys.tasks import flush_usage

    api.get("/me")

    assert flush_usage.delay().get() == 1
    assert DailyUsage.objects.get().count == 1


def test_the_chart_has_a_bar_per_day_scaled_to_the_busiest_day():
    from apikeys.charts import usage_chart

    days = [{"day": date(2026, 11, d), "count": c} for d, c in [(23, 0), (24, 5), (25, 10)]]

    chart = usage_chart(days)

    assert [bar.count for bar in chart.bars] == [0, 5, 10]
    assert chart.bars[2].height == 2 * chart.bars[1].height
    assert chart.bars[0].height == 1  # an empty day is a hairline on the baseline
    assert chart.bars[2].label == "25 Nov"
    assert [value for _, value in chart.ticks] == [0, 5, 10]
