"""Choosing scopes and a cap on the keys page; spend against cap there and in the admin;
keys made before scopes existed keep every scope."""

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from apikeys import services
from apikeys.models import ApiKey
from generation.tests.factories import GenerationFactory


def spend(key, credits, status="succeeded"):
    GenerationFactory(user=key.user, api_key=key, credits_charged=credits, status=status)


@pytest.mark.django_db
def test_a_key_is_created_with_the_scopes_and_cap_chosen(client, user):
    client.force_login(user)

    page = client.post(
        reverse("apikeys:key_list"),
        {"name": "reader", "scopes": ["read"], "monthly_credit_cap": "7"},
        follow=True,
    )

    api_key = ApiKey.objects.get(user=user)
    assert (api_key.scopes, api_key.monthly_credit_cap) == (["read"], 7)
    row = page.content.decode()
    assert 'data-testid="key-scopes">read<' in row and "0 / 7 credits" in row


@pytest.mark.django_db
def test_a_key_without_scopes_is_refused_with_a_form_error(client, user):
    client.force_login(user)

    page = client.post(reverse("apikeys:key_list"), {"name": "nothing", "monthly_credit_cap": ""})

    assert page.status_code == 200
    assert page.context["form"].errors["scopes"] == [
        "Choose at least one scope: a key without any could do nothing."
    ]
    assert not ApiKey.objects.exists()


@pytest.mark.django_db
def test_the_keys_page_shows_spend_this_month_against_the_cap(client, user):
    capped = services.api_key_create(user=user, name="a", monthly_credit_cap=3).api_key
    open_ended = services.api_key_create(user=user, name="b").api_key
    spend(capped, 2)
    spend(capped, 1)
    spend(capped, 5, status="failed")  # refunded
    spend(open_ended, 4)
    client.force_login(user)

    page = client.get(reverse("apikeys:key_list")).content.decode()

    assert "3 / 3 credits" in page and "Cap reached" in page
    assert "4 credits" in page and "(no cap)" in page


@pytest.mark.django_db
def test_the_admin_shows_scopes_and_spend_against_cap(admin_client, admin_user, user):
    Authenticator.objects.get_or_create(
        user=admin_user, type=Authenticator.Type.TOTP, defaults={"data": {}}
    )
    key = services.api_key_create(
        user=user, name="a", scopes=["read", "generate"], monthly_credit_cap=10
    ).api_key
    spend(key, 4)

    listing = admin_client.get(reverse("admin:apikeys_apikey_changelist")).content.decode()
    detail = admin_client.get(reverse("admin:apikeys_apikey_change", args=[key.pk]))

    assert "read, generate" in listing and "4 / 10" in listing
    assert "4 / 10" in detail.content.decode()


@pytest.mark.django_db(transaction=True)
def test_keys_made_before_scopes_existed_keep_every_scope(user):
    executor = MigrationExecutor(connection)
    before = [("apikeys", "0001_initial")]
    executor.migrate(before)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO apikeys_apikey (user_id, name, prefix, digest, created_at)"
            " VALUES (%s, 'old', 'abcd1234', 'x', now())",
            [user.pk],
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    old = ApiKey.objects.get(prefix="abcd1234")
    assert old.scope_names == ["read", "generate", "manage"]
    assert old.monthly_credit_cap is None
