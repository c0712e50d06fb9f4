import pytest
from django.urls import reverse

from billing import services
from billing.models import CreditAccount, LedgerEntry, Payment, Subscription, WebhookEvent

pytestmark = pytest.mark.django_db

MODELS = [CreditAccount, LedgerEntry, Payment, Subscription, WebhookEvent]


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
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
