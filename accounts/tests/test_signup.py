import datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cartonify import settings as project_settings
from testing.mail import code_from_mail

NEW_PASSWORD = "a long and unusual passphrase 7"

pytestmark = pytest.mark.django_db


def sign_up(client, email="new@example.com"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def after(seconds):
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=seconds), tick=False)


def enter_code(client, code):
    return client.post(reverse("account_email_verification_sent"), {"code": code})


def test_signup_mails_a_code_and_asks_for_it(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert code_from_mail(mail.outbox[0])
    assert "_auth_user_id" not in client.session


def test_correct_code_confirms_the_email_and_logs_in(client):
    sign_up(client)

    response = enter_code(client, code_from_mail(mail.outbox[0]))

    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_code_is_rejected(client):
    sign_up(client)

    response = enter_code(client, "WRONG1")

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not EmailAddress.objects.get(email="new@example.com").verified


def test_code_attempts_are_limited(client, settings):
    sign_up(client)
    code = code_from_mail(mail.outbox[0])

    for _ in range(settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS):
        enter_code(client, "WRONG1")
    enter_code(client, code)

    assert not EmailAddress.objects.get(email="new@example.com").verified


def test_expired_code_is_rejected(client, settings):
    sign_up(client)
    code = code_from_mail(mail.outbox[0])

    later = settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT + 60
    with after(later):
        enter_code(client, code)

    assert not EmailAddress.objects.get(email="new@example.com").verified


def test_resend_mails_a_new_code_that_works(client):
    sign_up(client)
    first = code_from_mail(mail.outbox[0])

    with after(15):  # resending is rate limited to once per 10 seconds
        client.post(reverse("account_email_verification_sent"), {"action": "resend"})
        second = code_from_mail(mail.outbox[1])
        enter_code(client, second)

    assert len(mail.outbox) == 2
    assert first != second
    assert EmailAddress.objects.get(email="new@example.com").verified


def test_unconfirmed_user_cannot_log_in(client, make_user, password):
    make_user(email="pending@example.com", verified_email=False)

    response = client.post(
        reverse("account_login"), {"login": "pending@example.com", "password": password}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_duplicate_email_is_rejected_with_a_clear_message(client, make_user):
    make_user(email="taken@example.com")

    response = sign_up(client, email="Taken@Example.com")

    assert response.status_code == 200
    assert "already registered with this email" in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_passwords_are_hashed_with_argon2(make_user, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # the suite's is cheaper

    assert make_user().password.startswith("argon2$")


def test_a_new_account_lands_on_the_generator_without_the_sign_in_banners(client):
    sign_up(client)
    client.get(reverse("account_email_verification_sent"))  # shows "Confirmation email sent"

    response = enter_code(client, code_from_mail(mail.outbox[0]))

    assert response["Location"] == reverse("generation:generate")
    page = client.get(response["Location"]).content.decode()
    assert 'class="messages"' not in page and 'data-testid="welcome"' in page


def test_an_ordinary_log_in_still_says_so(client, user, password):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": password}, follow=True
    )
    assert "Successfully signed in" in response.content.decode()
