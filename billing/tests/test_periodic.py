import contextlib
import datetime as dt
import random
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db.models import Sum
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from billing import services, tasks
from billing.exceptions import QuotaExceeded
from billing.models import (
    LedgerKind,
    Payment,
    PaymentStatus,
    Plan,
    Subscription,
    SubscriptionStatus,
)
from testing.credits import reserve
from testing.fake_razorpay import pay

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)


def run(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def premium_user(razorpay, user):
    with time_machine.travel(START, tick=False):
        pay(user)
    return user


def test_subscription_is_active_until_its_period_end(premium_user):
    end = START + dt.timedelta(days=30)
    assert services.subscriptions_expire_due(now=end - dt.timedelta(seconds=1)) == []
    assert Subscription.objects.get(user=premium_user).status == SubscriptionStatus.ACTIVE


def test_subscription_expires_exactly_at_its_period_end(premium_user):
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        reserve(user=premium_user, amount=600, reference="g:1", reason="x")
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        expired = services.subscriptions_expire_due()
    assert [s.user for s in expired] == [premium_user]
    account = premium_user.credit_account
    account.refresh_from_db()
    # Premium credits expire; the 5 free generations never used are back.
    assert (account.plan, account.balance, account.period_end) == (Plan.FREE, 5, None)
    expiry = account.entries.get(kind=LedgerKind.EXPIRY)
    assert expiry.amount == -1000


def test_refund_after_expiry_gives_nothing_back(premium_user):
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        reserve(user=premium_user, amount=20, reference="g:1", reason="x")
    services.subscriptions_expire_due(now=START + dt.timedelta(days=31))
    assert services.credits_refund(user=premium_user, reference="g:1", reason="r") is None
    assert services.credits_balance(user=premium_user) == 5  # the free generations kept


def test_expire_command_twice_changes_nothing_the_second_time(premium_user):
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        assert "Would expire" in run("expire_subscriptions", "--dry-run")
        assert premium_user.credit_account.entries.filter(kind=LedgerKind.EXPIRY).count() == 0
        assert "1 subscription(s) expired" in run("expire_subscriptions")
        assert "0 subscription(s) expired" in run("expire_subscriptions")
    assert premium_user.credit_account.entries.filter(kind=LedgerKind.EXPIRY).count() == 1


def test_a_renewal_pools_its_credits_until_the_new_end(razorpay, premium_user):
    with time_machine.travel(START + dt.timedelta(days=20), tick=False):
        pay(premium_user)  # paid until day 60, 1600 more credits now
        reserve(user=premium_user, amount=1000, reference="g:1", reason="x")
        assert services.credits_balance(user=premium_user) == 2200
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        assert services.subscriptions_expire_due() == []
        assert "0 account(s) due" in run("reset_credit_periods", "--dry-run")
        assert "0 account(s) reset" in run("reset_credit_periods")
    account = premium_user.credit_account
    account.refresh_from_db()
    assert account.balance == 2200
    assert account.period_end == START + dt.timedelta(days=60)
    with time_machine.travel(START + dt.timedelta(days=60), tick=False):
        assert services.credit_periods_reset_due() == []
        assert len(services.subscriptions_expire_due()) == 1


def test_a_credit_period_shorter_than_the_paid_time_is_reset(premium_user):
    subscription = Subscription.objects.get(user=premium_user)
    subscription.current_period_end = START + dt.timedelta(days=60)  # e.g. paid for longer
    subscription.save()
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        reserve(user=premium_user, amount=1000, reference="g:1", reason="x")
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        assert "Would reset" in run("reset_credit_periods", "--dry-run")
        assert services.credits_balance(user=premium_user) == 600
        assert "1 account(s) reset" in run("reset_credit_periods")
        assert "0 account(s) reset" in run("reset_credit_periods")
    account = premium_user.credit_account
    account.refresh_from_db()
    assert account.balance == 1600
    assert account.period_end == START + dt.timedelta(days=60)
    assert account.entries.filter(kind=LedgerKind.RESET).first().amount == 1000


def test_free_generations_not_used_come_back_when_premium_ends(razorpay, user):
    for job in range(2):
        reserve(user=user, amount=1, reference=f"free:{job}", reason="x")
    with time_machine.travel(START, tick=False):
        pay(user)
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        reserve(user=user, amount=700, reference="g:1", reason="x")
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        services.subscriptions_expire_due()
    account = user.credit_account
    account.refresh_from_db()
    assert (account.plan, account.balance, account.free_generations_kept) == (Plan.FREE, 3, 0)
    assert sum(account.entries.values_list("amount", flat=True)) == 3


def test_free_generations_are_kept_once_across_renewals(razorpay, user):
    reserve(user=user, amount=1, reference="free:1", reason="x")
    with time_machine.travel(START, tick=False):
        pay(user)
    with time_machine.travel(START + dt.timedelta(days=10), tick=False):
        pay(user)
    with time_machine.travel(START + dt.timedelta(days=60), tick=False):
        services.subscriptions_expire_due()
    assert services.credits_balance(user=user) == 4


def test_last_period_is_not_reset_only_expired(premium_user):
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        assert services.credit_periods_reset_due() == []
        assert len(services.subscriptions_expire_due()) == 1


def test_celery_tasks_run_the_services(premium_user):
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        assert tasks.expire_unpaid_orders.delay().get() == 0
        assert tasks.reset_credit_periods.delay().get() == 0
        assert tasks.expire_subscriptions.delay().get() == 1
        assert tasks.expire_subscriptions.delay().get() == 0


def test_migration_creates_the_beat_schedules(db):
    tasks = PeriodicTask.objects.filter(task__startswith="billing.")
    names = set(tasks.values_list("task", flat=True))
    assert names == {"billing.expire_subscriptions", "billing.reset_credit_periods"}


def test_setup_periodic_tasks_keeps_admin_edits(db):
    PeriodicTask.objects.filter(task__startswith="billing.").delete()
    assert "Created" in run("setup_periodic_tasks")
    task = PeriodicTask.objects.get(task="billing.expire_subscriptions")
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.HOURS)
    task.interval = hourly
    task.enabled = False
    task.save()
    assert "Kept" in run("setup_periodic_tasks")
    task.refresh_from_db()
    assert (task.interval, task.enabled) == (hourly, False)
    billing_tasks = [task for task, _ in settings.PERIODIC_TASKS.values() if "billing." in task]
    assert PeriodicTask.objects.filter(task__startswith="billing.").count() == len(billing_tasks)
    assert len(billing_tasks) == 3


@pytest.mark.parametrize("seed", range(3))
def test_ledger_sum_equals_balance_through_premium_periods(premium_user, seed):
    rng = random.Random(seed)
    user, now = premium_user, START
    for step in range(60):
        now += dt.timedelta(days=rng.choice([0, 0, 1, 3, 10]))
        op = rng.choice(["reserve", "reserve", "refund", "grant", "pay", "periodic"])
        with time_machine.travel(now, tick=False):
            if op == "reserve":
                amount = rng.randint(1, 400)
                with contextlib.suppress(QuotaExceeded):
                    reserve(user=user, amount=amount, reference=f"g:{step}", reason="r")
            elif op == "refund":
                ref = f"g:{rng.randrange(max(step, 1))}"
                services.credits_refund(user=user, reference=ref, reason="r")
            elif op == "grant":
                services.credits_grant(
                    user=user, amount=rng.randint(1, 50), reason="g", reference="t"
                )
            elif op == "pay":
                payment = Payment.objects.create(
                    user=user,
                    razorpay_order_id=f"order_r{seed}_{step}",
                    razorpay_payment_id=f"pay_r{seed}_{step}",
                    amount_paise=50000,
                    currency="INR",
                    status=PaymentStatus.PAID,
                )
                services.subscription_activate(payment=payment)
            else:
                services.credit_periods_reset_due()
                services.subscriptions_expire_due()
        account = user.credit_account
        account.refresh_from_db()
        assert account.balance >= 0
        assert account.entries.aggregate(s=Sum("amount"))["s"] == account.balance
        assert account.entries.first().balance_after == account.balance


def test_spending_after_the_period_end_expires_premium_before_the_job_runs(razorpay, user):
    for job in range(5):
        reserve(user=user, amount=1, reference=f"free:{job}", reason="x")
    with time_machine.travel(START, tick=False):
        pay(user)
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        with pytest.raises(QuotaExceeded) as excinfo:
            reserve(user=user, amount=1, reference="g:1", reason="x")
        assert excinfo.value.plan == Plan.FREE
        # The refused reserve rolled back with its settlement; the job settles for real.
        assert len(services.subscriptions_expire_due()) == 1
    assert user.credit_account.entries.filter(kind=LedgerKind.EXPIRY).count() == 1
    assert Subscription.objects.get(user=user).status == SubscriptionStatus.EXPIRED


def test_spending_after_the_period_end_spends_a_kept_free_generation(premium_user):
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        reserve(user=premium_user, amount=1, reference="g:1", reason="x")
    account = premium_user.credit_account
    account.refresh_from_db()
    assert (account.plan, account.balance) == (Plan.FREE, 4)
    assert account.entries.filter(kind=LedgerKind.EXPIRY).count() == 1


def test_spending_after_a_monthly_period_end_starts_the_next_period(premium_user):
    subscription = Subscription.objects.get(user=premium_user)
    subscription.current_period_end = START + dt.timedelta(days=60)  # paid beyond one period
    subscription.save()
    with time_machine.travel(START + dt.timedelta(days=10), tick=False):
        reserve(user=premium_user, amount=100, reference="g:1", reason="x")
    with time_machine.travel(START + dt.timedelta(days=30, hours=1), tick=False):
        reserve(user=premium_user, amount=5, reference="g:2", reason="x")
        assert services.credit_periods_reset_due() == []
    assert services.credits_balance(user=premium_user) == 1595
