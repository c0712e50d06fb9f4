import pytest
from django.core import mail
from django.urls import reverse

from testing.mail import code_from_mail

pytestmark = pytest.mark.django_db


def log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_confirmed_user_logs_in_and_out(client, user, password):
    response = log_in(client, user.email, password)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_login_ignores_email_case(client, user, password):
    log_in(client, user.email.upper(), password)

    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_is_rejected(client, user):
    response = log_in(client, user.email, "not the password")

    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_rate_limited(client, user, password):
    for _ in range(5):
        assert log_in(client, user.email, "not the password").status_code == 200

    response = log_in(client, user.email, password)

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_nav_shows_the_email_and_a_logout_button(client, user):
    client.force_login(user)

    page = client.get(reverse("home")).content.decode()

    assert user.email in page
    assert 'data-testid="logout"' in page


def test_password_reset_by_code(client, user):
    client.post(reverse("account_reset_password"), {"email": user.email})
    code = code_from_mail(mail.outbox[-1])

    client.post(reverse("account_confirm_password_reset_code"), {"code": code})
    new_password = "a brand new passphrase 99"
    response = client.post(
        reverse("account_complete_password_reset"),
        {"password1": new_password, "password2": new_password},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_change(client, user, password):
    client.force_login(user)
    new_password = "a brand new passphrase 99"

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": new_password, "password2": new_password},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_users_are_created_without_usernames(make_user):
    user = make_user(email="Mixed@Example.COM")

    assert user.email == "Mixed@example.com"
    assert not hasattr(user, "username") or user.username is None


def test_password_reset_does_not_tell_whether_an_address_has_an_account(client, user):
    known = client.post(reverse("account_reset_password"), {"email": user.email})
    client.cookies.clear()
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert [m.to for m in mail.outbox] == [[user.email], ["nobody@example.com"]]
    assert code_from_mail(mail.outbox[0])
