"""Staff cannot take over accounts above them (issue 14, finding 2): a superuser's
active flag, email, password and MFA are changed by superusers only, another staff
member's by those with the permission to manage staff."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from testing.mfa import activate_totp, log_in_as_staff

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a takeover passphrase 77"


@pytest.fixture
def helper(client, make_user):
    """Staff, not a superuser, with every permission on users but `manage_staff`."""
    staff = make_user(email="helper@example.com", is_staff=True)
    perms = Permission.objects.filter(content_type__app_label__in=["accounts", "account", "mfa"])
    staff.user_permissions.add(*perms.exclude(codename="manage_staff"))
    log_in_as_staff(client, staff)
    return staff


@pytest.fixture
def superuser(make_user):
    return make_user(email="boss@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def other_staff(make_user):
    return make_user(email="colleague@example.com", is_staff=True)


def change_email(client, target):
    return client.post(
        reverse("admin:accounts_user_change", args=[target.pk]),
        {"email": "attacker@example.com", "is_active": "on"},
    )


def change_password(client, target):
    return client.post(
        reverse("admin:auth_user_password_change", args=[target.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )


@pytest.mark.parametrize("target_name", ["superuser", "other_staff"])
def test_staff_cannot_change_the_email_of_those_above_them(client, helper, target_name, request):
    target = request.getfixturevalue(target_name)

    response = change_email(client, target)

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.email != "attacker@example.com"


@pytest.mark.parametrize("target_name", ["superuser", "other_staff"])
def test_staff_cannot_set_the_password_of_those_above_them(client, helper, target_name, request):
    target = request.getfixturevalue(target_name)

    assert (
        client.get(reverse("admin:auth_user_password_change", args=[target.pk])).status_code == 403
    )
    response = change_password(client, target)

    assert response.status_code == 403
    target.refresh_from_db()
    assert not target.check_password(NEW_PASSWORD)


def test_staff_see_a_superusers_page_read_only(client, helper, superuser):
    response = client.get(reverse("admin:accounts_user_change", args=[superuser.pk]))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


@pytest.mark.parametrize("target_name", ["superuser", "other_staff"])
def test_staff_cannot_deactivate_those_above_them_from_the_list(
    client, helper, target_name, request
):
    target = request.getfixturevalue(target_name)

    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [target.pk]},
    )

    target.refresh_from_db()
    assert target.is_active


def test_staff_cannot_delete_a_superuser(client, helper, superuser):
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [superuser.pk], "post": "yes"},
    )

    assert User.objects.filter(pk=superuser.pk).exists()


def test_staff_cannot_remove_a_superusers_authenticator(client, helper, superuser):
    activate_totp(superuser)
    totp = Authenticator.objects.get(user=superuser)

    response = client.post(
        reverse("admin:mfa_authenticator_delete", args=[totp.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Authenticator.objects.filter(pk=totp.pk).exists()


def test_the_authenticator_admin_never_shows_the_secret(client, helper, user):
    secret = activate_totp(user)
    totp = Authenticator.objects.get(user=user)

    page = client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk]))

    assert page.status_code == 200
    assert secret not in page.content.decode()


def test_staff_allowed_to_manage_staff_may_change_another_staff_members_email(
    client, helper, other_staff
):
    helper.user_permissions.add(Permission.objects.get(codename="manage_staff"))

    response = change_email(client, other_staff)

    assert response.status_code == 302
    other_staff.refresh_from_db()
    assert other_staff.email == "attacker@example.com"


def test_staff_may_still_change_an_ordinary_users_password(client, helper, user):
    response = change_password(client, user)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_superusers_may_change_a_superusers_password(client, superuser, make_user):
    log_in_as_staff(client, make_user(is_staff=True, is_superuser=True))

    response = change_password(client, superuser)

    assert response.status_code == 302
    superuser.refresh_from_db()
    assert superuser.check_password(NEW_PASSWORD)
