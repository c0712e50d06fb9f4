"""Outgoing mail: SMTP from EMAIL_URL, the console without it in development."""

from django.core.exceptions import ImproperlyConfigured

from cartonify.settings.base import DEVELOPMENT, env

if "EMAIL_URL" in env or not DEVELOPMENT:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Mail carries sign-up and password-reset codes: in production it must leave the machine,
# never land in logs (console), memory or files.
if not DEVELOPMENT and not EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    raise ImproperlyConfigured(
        "EMAIL_URL must name a mail server (smtp://, smtp+tls://, smtp+ssl://) when DEBUG=false."
    )
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cartonify <no-reply@cartonify.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
