"""TOTP for staff in tests, through allauth's own functions."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value


def activate_totp(user) -> str:
    """Set up TOTP for `user` as allauth's activation would; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app shows for `secret` right now."""
    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def log_in_as_staff(client, user) -> None:
    """Sign `user` in on the test client with TOTP already set up, as the admin needs."""
    activate_totp(user)
    client.force_login(user)
