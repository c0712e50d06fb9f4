"""Sign-up, sign-in and staff MFA (django-allauth), passwords, the client's address behind
proxies, and data exports."""

from cartonify.settings.base import env

AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# A new account goes straight to making its first picture.
ACCOUNT_SIGNUP_REDIRECT_URL = "generation:generate"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 3 * 60
# allauth keeps mailed codes in the session in plain text: a visitor's session holding one
# expires with the longest code (accounts.adapters), and sessions never go to cookies
# (cartonify.checks).
PENDING_CODE_SESSION_AGE = ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_CHANGE = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
# Signing up with a taken address must say so plainly (product decision, SECURITY.md);
# password reset still never reveals whether an address is registered (its own form).
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_FORMS = {"reset_password": "accounts.forms.ResetPasswordForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cartonify] "
# Failed sign-ins are limited mainly per account (5 in 5 minutes); the per-address
# brake is looser (offices share an address) and keyed on the real client, below.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,5/300s/key"}

# Behind reverse proxies the client's address is read from X-Forwarded-For, counting
# TRUSTED_PROXY_COUNT hops from the right (1 for one nginx or load balancer), or from a
# header the proxy sets (TRUSTED_CLIENT_IP_HEADER, e.g. CF-Connecting-IP). allauth and
# django-ratelimit both use this one answer (core.client_ip).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default=None)
RATELIMIT_IP_META_KEY = "core.client_ip.client_ip"

# A data export (a zip of every output) is kept this many days, and a user may ask for
# this many (django-ratelimit's syntax); a new one replaces the old once it is ready.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
EXPORT_RATE_LIMIT = env("EXPORT_RATE_LIMIT", default="1/h")

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Cartonify"
