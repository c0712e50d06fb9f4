from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from billing import services
from billing.models import CreditAccount, LedgerEntry, Payment, Subscription, WebhookEvent
from testing.credits import reserve

pytestmark = pytest.mark.django_db

MODELS = [CreditAccount, LedgerEntry, Payment, Subscription, WebhookEvent]


@pytest.fixture
def staff_client(client, make_user):
    staff = make_user(is_staff=True, is_superuser=True)
    # The staff admin wants TOTP set up; these tests are about billing's pages.
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_billing_models(staff_client, user, model):
    services.credit_account_for(user=user)
    url = reverse(f"admin:billing_{model._meta.model_name}_changelist")
    assert staff_client.get(url).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_admin_cannot_add_billing_rows(staff_client, model):
    url = reverse(f"admin:billing_{model._meta.model_name}_add")
    assert staff_client.get(url).status_code == 403


def test_admin_shows_a_ledger_entry_read_only(staff_client, user):
    entry = services.credit_account_for(user=user).entries.get()
    url = reverse("admin:billing_ledgerentry_change", args=[entry.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert b"Free plan: 5 generations" in response.content
    assert b'name="_save"' not in response.content


def test_staff_adjustment_through_the_admin_is_recorded(staff_client, user):
    account = services.credit_account_for(user=user)
    url = reverse("admin:billing_creditaccount_adjust", args=[account.pk])
    response = staff_client.post(url, {"amount": "-2", "reason": "Duplicate job"})
    assert response.status_code == 302
    entry = account.entries.first()
    assert (entry.kind, entry.amount, entry.reason) == ("adjustment", -2, "Duplicate job")
    assert entry.created_by.is_staff
    assert services.credits_balance(user=user) == 3


def test_admin_adjustment_below_zero_is_refused(staff_client, user):
    account = services.credit_account_for(user=user)
    url = reverse("admin:billing_creditaccount_adjust", args=[account.pk])
    response = staff_client.post(url, {"amount": "-9", "reason": "too much"})
    assert response.status_code == 200
    assert b"cannot go down by 9" in response.content
    assert services.credits_balance(user=user) == 5


def test_admin_adjustment_needs_the_change_permission(client, make_user, user):
    staff = make_user(is_staff=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    account = services.credit_account_for(user=user)
    url = reverse("admin:billing_creditaccount_adjust", args=[account.pk])
    assert client.post(url, {"amount": "100", "reason": "me"}).status_code == 403


def test_credit_account_page_links_to_the_adjustment(staff_client, user):
    account = services.credit_account_for(user=user)
    response = staff_client.get(reverse("admin:billing_creditaccount_change", args=[account.pk]))
    assert b"Adjust credits" in response.content


def test_admin_adjustment_returns_to_a_local_next_url_only(staff_client, user):
    account = services.credit_account_for(user=user)
    url = reverse("admin:billing_creditaccount_adjust", args=[account.pk])
    back = reverse("admin:billing_ledgerentry_changelist")
    response = staff_client.post(f"{url}?next={back}", {"amount": "1", "reason": "r"})
    assert response.url == back
    evil = f"{url}?next=https://evil.example/"
    response = staff_client.post(evil, {"amount": "1", "reason": "r"})
    assert response.url == reverse("admin:billing_creditaccount_change", args=[account.pk])


def premium_url(user) -> str:
    account = services.credit_account_for(user=user)
    return reverse("admin:billing_creditaccount_premium", args=[account.pk])


def test_staff_give_premium_for_days_recorded_in_ledger_and_log(staff_client, user):
    reserve(user=user, amount=2, reference="generation:1")

    response = staff_client.post(
        premium_url(user), {"action": "grant", "days": "90", "reason": "Contest prize"}
    )

    assert response.status_code == 302
    account = services.credit_account_for(user=user)
    subscription = Subscription.objects.get(user=user)
    assert (account.plan, account.balance, account.free_generations_kept) == ("premium", 1600, 3)
    assert (subscription.current_period_end - subscription.current_period_start).days == 90
    assert (account.period_end - subscription.current_period_start).days == 30  # monthly resets
    note = account.entries.get(kind="grant", amount=0)
    assert "90 more days" in note.reason and "Contest prize" in note.reason
    assert note.created_by.is_staff
    assert LogEntry.objects.filter(change_message__contains="Contest prize").exists()


def test_staff_give_more_days_to_an_active_premium(staff_client, user):
    staff_client.post(premium_url(user), {"action": "grant", "days": "30", "reason": "Gift"})
    end = Subscription.objects.get(user=user).current_period_end
    reserve(user=user, amount=100, reference="generation:1")

    staff_client.post(premium_url(user), {"action": "grant", "days": "10", "reason": "Outage"})

    assert Subscription.objects.get(user=user).current_period_end == end + timedelta(days=10)
    assert services.credits_balance(user=user) == 1500  # time given, no credits moved


def test_staff_revoke_premium_never_leaves_a_negative_balance(staff_client, user):
    staff_client.post(premium_url(user), {"action": "grant", "days": "30", "reason": "Gift"})
    reserve(user=user, amount=1000, reference="generation:1")

    response = staff_client.post(premium_url(user), {"action": "revoke", "reason": "Abuse"})

    assert response.status_code == 302
    account = services.credit_account_for(user=user)
    assert (account.plan, account.balance) == ("free", 5)  # the kept free generations
    assert not account.entries.filter(balance_after__lt=0).exists()
    assert Subscription.objects.get(user=user).status == "expired"
    expiry = account.entries.get(kind="expiry")
    assert (expiry.amount, expiry.created_by.is_staff) == (-600, True)
    assert "Abuse" in expiry.reason


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "revoke", "reason": "x"}, b"has no premium to revoke"),
        ({"action": "grant", "days": "", "reason": "x"}, b"positive number of days"),
        ({"action": "grant", "days": "0", "reason": "x"}, b"greater than or equal to 1"),
        ({"action": "grant", "days": "5", "reason": ""}, b"This field is required"),
    ],
)
def test_staff_premium_changes_refuse_bad_input_clearly(staff_client, user, data, message):
    response = staff_client.post(premium_url(user), data)

    assert response.status_code == 200
    assert message in response.content
    assert services.credit_account_for(user=user).plan == "free"
