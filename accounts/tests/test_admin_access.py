import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from testing.mfa import activate_totp, log_in_as_staff, totp_code

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"


def test_anonymous_visitors_are_sent_to_the_allauth_login(client):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1] == (f"{reverse('account_login')}?next=/admin/", 302)


def test_admin_login_page_redirects_to_the_allauth_login(client):
    response = client.get(reverse("admin:login"))
    assert response.url.startswith(reverse("account_login"))


def test_non_staff_are_sent_away_from_the_admin(client, user):
    client.force_login(user)
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 403
    assert Authenticator.objects.count() == 0


def test_staff_without_totp_are_sent_to_set_it_up(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = client.get(ADMIN, follow=True)
    # (allauth asks for the password again first: force_login is not a fresh sign-in.)
    assert (reverse("mfa_activate_totp"), 302) in response.redirect_chain


def test_staff_with_totp_reach_the_admin(client, make_user):
    log_in_as_staff(client, make_user(is_staff=True))
    assert client.get(ADMIN).status_code == 200


def test_inactive_staff_do_not_reach_the_admin(client, make_user):
    staff = make_user(is_staff=True)
    log_in_as_staff(client, staff)
    staff.is_active = False
    staff.save()
    response = client.get(ADMIN)
    assert response.status_code == 302


def test_staff_sign_in_with_password_then_totp_code_and_land_in_the_admin(
    client, make_user, password
):
    staff = make_user(is_staff=True)
    secret = activate_totp(staff)
    login = client.post(
        f"{reverse('account_login')}?next=/admin/",
        {"login": staff.email, "password": password},
    )
    assert login.url == reverse("mfa_authenticate")
    assert client.get(ADMIN).status_code == 302  # not signed in before the code

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.url == "/admin/"
    assert client.get(ADMIN).status_code == 200


def test_the_admin_login_does_not_redirect_off_site(client, make_user):
    log_in_as_staff(client, make_user(is_staff=True))
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert response.url == reverse("admin:index")
