"""One-time codes live in the session only briefly, and only on the server (issue 14,
finding 12)."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from testing.mail import code_from_mail

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 7"


def after(seconds):
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=seconds), tick=False)


def sign_up(client):
    return client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )


def test_a_session_holding_a_sign_up_code_expires_with_the_code(client):
    sign_up(client)

    assert client.session.get_expiry_age() == settings.PENDING_CODE_SESSION_AGE


def test_a_session_holding_a_reset_code_expires_with_the_code(client, user):
    client.post(reverse("account_reset_password"), {"email": user.email})

    assert client.session.get_expiry_age() == settings.PENDING_CODE_SESSION_AGE


def test_entering_the_code_gives_an_ordinary_signed_in_session(client):
    sign_up(client)

    client.post(
        reverse("account_email_verification_sent"), {"code": code_from_mail(mail.outbox[0])}
    )

    assert client.session.get("_auth_user_id")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_a_signed_in_users_session_is_not_shortened_by_a_code(client, user):
    client.force_login(user)

    client.post(reverse("account_reset_password"), {"email": user.email})

    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_the_settings_never_keep_sessions_in_cookies():
    assert "signed_cookies" not in settings.SESSION_ENGINE
    call_command("check", "--tag", "security")


def test_the_system_check_refuses_cookie_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

    with pytest.raises(SystemCheckError, match=r"cartonify\.E001"):
        call_command("check", "--tag", "security")


def test_expired_sessions_are_cleared_by_the_periodic_task(client):
    sign_up(client)
    key = client.session.session_key
    with after(settings.PENDING_CODE_SESSION_AGE + 1):
        clear_expired_sessions.delay()

    assert not Session.objects.filter(session_key=key).exists()
    assert "accounts.clear_expired_sessions" in {t for t, _ in settings.PERIODIC_TASKS.values()}
