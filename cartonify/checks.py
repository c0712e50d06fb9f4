"""System checks for promises the settings make, so a later edit cannot quietly break them."""

from django.conf import settings
from django.core.checks import Error, register

SIGNED_COOKIES = "django.contrib.sessions.backends.signed_cookies"


@register("security")
def sessions_stay_on_the_server(app_configs, **kwargs):
    # allauth keeps one-time codes in the session: in a signed cookie the browser (and
    # anyone who sees its cookies) could read them.
    if settings.SESSION_ENGINE == SIGNED_COOKIES:
        return [
            Error(
                "Sessions must live in the database or Redis, never in signed cookies.",
                hint="allauth stores one-time codes in the session in plain text.",
                id="cartonify.E001",
            )
        ]
    return []
