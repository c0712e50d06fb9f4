import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from billing import services
from billing.models import CreditAccount, LedgerEntry, Payment, Subscription, WebhookEvent

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
