import random

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from billing import services
from billing.exceptions import InvalidAdjustment, QuotaExceeded
from billing.models import CreditAccount, LedgerEntry, LedgerKind, Plan
from testing.credits import reserve

from .factories import account_with

pytestmark = pytest.mark.django_db


def ledger_sum(account) -> int:
    return account.entries.aggregate(total=Sum("amount"))["total"] or 0


def test_first_access_grants_the_free_plan(user, settings):
    settings.FREE_PLAN_GENERATIONS = 5
    account = services.credit_account_for(user=user)
    assert account.plan == Plan.FREE
    assert account.balance == 5
    entry = account.entries.get()
    assert (entry.kind, entry.amount, entry.balance_after) == (LedgerKind.GRANT, 5, 5)
    assert entry.reason == "Free plan: 5 generations"


def test_second_access_grants_nothing(user):
    services.credit_account_for(user=user)
    services.credit_account_for(user=user)
    assert LedgerEntry.objects.for_user(user).count() == 1


def test_reserve_takes_credits(user):
    entry = reserve(user=user, amount=2, reference="generation:1", reason="Image")
    assert entry.amount == -2
    assert entry.balance_after == 3
    assert services.credits_balance(user=user) == 3


def test_reserve_beyond_balance_raises_quota_exceeded(user):
    account_with(user=user, balance=1)
    with pytest.raises(QuotaExceeded) as excinfo:
        reserve(user=user, amount=2, reference="generation:1", reason="Image")
    assert (excinfo.value.balance, excinfo.value.needed, excinfo.value.plan) == (1, 2, "free")
    assert "premium" in str(excinfo.value).lower()
    assert services.credits_balance(user=user) == 1


def test_reserve_of_zero_records_nothing(user):
    assert reserve(user=user, amount=0, reference="g:1", reason="x") is None
    assert LedgerEntry.objects.for_user(user).filter(kind=LedgerKind.RESERVE).count() == 0


def test_a_second_reserve_of_one_reference_is_refused(user):
    reserve(user=user, amount=1, reference="generation:7", reason="x")
    with pytest.raises(IntegrityError):
        reserve(user=user, amount=1, reference="generation:7", reason="x")
    assert services.credits_balance(user=user) == 4


def test_refund_gives_back_exactly_the_reserved_amount(user):
    account_with(user=user, balance=50)
    reserve(user=user, amount=20, reference="generation:3", reason="Video")
    entry = services.credits_refund(user=user, reference="generation:3", reason="failed")
    assert entry.amount == 20
    assert services.credits_balance(user=user) == 50


def test_refund_is_idempotent(user):
    reserve(user=user, amount=1, reference="generation:3", reason="x")
    assert services.credits_refund(user=user, reference="generation:3", reason="r") is not None
    assert services.credits_refund(user=user, reference="generation:3", reason="r") is None
    assert services.credits_balance(user=user) == 5


def test_refund_without_reservation_is_a_no_op(user):
    assert services.credits_refund(user=user, reference="generation:9", reason="r") is None
    assert services.credits_balance(user=user) == 5


def test_database_rejects_a_duplicate_refund_row(user):
    reserve(user=user, amount=1, reference="generation:3", reason="x")
    services.credits_refund(user=user, reference="generation:3", reason="r")
    account = CreditAccount.objects.get(user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            account=account, kind="refund", amount=1, balance_after=6, reason="r",
            reference="generation:3",
        )  # fmt: skip


def test_database_rejects_a_negative_balance(user):
    account = services.credit_account_for(user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditAccount.objects.filter(pk=account.pk).update(balance=-1)


def test_ledger_entries_cannot_be_edited(user):
    entry = services.credit_account_for(user=user).entries.get()
    entry.amount = 100
    with pytest.raises(ValueError, match="append-only"):
        entry.save()


def test_grant_adds_credits(user, make_user):
    staff = make_user(is_staff=True)
    entry = services.credits_grant(
        user=user, amount=10, reason="Goodwill", reference="staff:1", created_by=staff
    )
    assert entry.balance_after == 15
    assert entry.created_by == staff


def test_adjust_down_below_zero_raises(user, make_user):
    staff = make_user(is_staff=True)
    with pytest.raises(InvalidAdjustment):
        services.credits_adjust(user=user, amount=-6, reason="oops", created_by=staff)
    assert services.credits_balance(user=user) == 5


def test_adjust_records_the_staff_user(user, make_user):
    staff = make_user(is_staff=True)
    entry = services.credits_adjust(user=user, amount=-2, reason="abuse", created_by=staff)
    assert entry.kind == LedgerKind.ADJUSTMENT
    assert entry.reference == f"staff:{staff.pk}"
    assert services.credits_balance(user=user) == 3


@pytest.mark.parametrize("seed", range(5))
def test_ledger_sum_equals_balance_after_a_random_sequence(user, make_user, seed):
    rng = random.Random(seed)
    staff = make_user(is_staff=True)
    references = [f"generation:{n}" for n in range(15)]
    for _ in range(80):
        op = rng.choice(["reserve", "refund", "grant", "adjust"])
        amount = rng.randint(1, 6)
        try:
            if op == "reserve":
                ref = rng.choice(references)
                reserve(user=user, amount=amount, reference=ref, reason="r")
            elif op == "refund":
                services.credits_refund(user=user, reference=rng.choice(references), reason="r")
            elif op == "grant":
                services.credits_grant(user=user, amount=amount, reason="g", reference="test")
            else:
                amount *= rng.choice([-1, 1])
                services.credits_adjust(user=user, amount=amount, reason="a", created_by=staff)
        except (QuotaExceeded, InvalidAdjustment, IntegrityError):
            pass  # IntegrityError: that reference was reserved before
        account = CreditAccount.objects.get(user=user)
        assert account.balance >= 0
        assert ledger_sum(account) == account.balance
        assert account.entries.first().balance_after == account.balance


@pytest.mark.parametrize(
    ("plan", "kind", "count", "cost"),
    [
        (Plan.FREE, "image", 4, 1),
        (Plan.FREE, "video", 1, 1),
        (Plan.FREE, "enhance", 1, 0),
        (Plan.PREMIUM, "image", 4, 1),
        (Plan.PREMIUM, "image", 2, 1),
        (Plan.PREMIUM, "edit", 2, 1),
        (Plan.PREMIUM, "video", 1, 20),
        (Plan.PREMIUM, "enhance", 1, 0),
    ],
)
def test_one_request_is_one_credit_and_video_is_metered(settings, plan, kind, count, cost):
    settings.GENERATION_COSTS = {"image": 1, "edit": 1, "video": 20, "enhance": 0}
    assert services.plan_cost(plan=plan, kind=kind, count=count) == cost


@pytest.mark.parametrize(
    ("plan", "kind", "count", "cost"),
    [(Plan.PREMIUM, "image", 4, 4), (Plan.PREMIUM, "edit", 2, 2), (Plan.FREE, "image", 4, 1)],
)
def test_operators_can_price_premium_images_per_output(settings, plan, kind, count, cost):
    settings.GENERATION_COSTS = {"image": 1, "edit": 1, "video": 20, "enhance": 0}
    settings.GENERATION_PRICE_PER_IMAGE = True
    assert services.plan_cost(plan=plan, kind=kind, count=count) == cost


def test_staff_reset_of_the_free_quota_is_recorded(user, make_user):
    staff = make_user(is_staff=True)
    reserve(user=user, amount=1, reference="generation:1", reason="x")
    entry = services.credits_reset_free_quota(user=user, created_by=staff)
    assert (entry.kind, entry.amount, entry.balance_after) == (LedgerKind.RESET, 1, 5)
    assert services.credits_reset_free_quota(user=user, created_by=staff) is None


def test_staff_reset_of_the_free_quota_refuses_premium(user, make_user):
    account = services.credit_account_for(user=user)
    CreditAccount.objects.filter(pk=account.pk).update(plan=Plan.PREMIUM)
    with pytest.raises(InvalidAdjustment):
        services.credits_reset_free_quota(user=user, created_by=make_user(is_staff=True))
