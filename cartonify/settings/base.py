"""What every other settings module builds on: the environment, DEVELOPMENT and DEBUG, the
site's keys, its apps and middleware, templates and time zone."""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
# `NAME=` with nothing after it, as .env.example ships most lines, means "the default".
env.ENVIRON = {name: value for name, value in os.environ.items() if value != ""}

# Three modes. DEBUG=false: production. Unset (`make run`): the embedded development
# defaults, but with the designed 404/500 pages — Django's debug page would show a newcomer
# every URL pattern — and tracebacks in the console. DEBUG=true: the same plus Django's
# debug pages, as a developer who sets it expects.
DEVELOPMENT = env.bool("DEBUG", default=None) is not False
DEBUG = env.bool("DEBUG", default=False)

if DEVELOPMENT:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-embedded-development-key-change-me")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
else:
    # Production refuses to start rather than run on a guessable key or serve any host.
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS to the site's host names when DEBUG=false.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts.admin_config.StaffAdminConfig",  # django.contrib.admin, staff with TOTP only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_celery_beat",
    "accounts",
    "generation",
    "billing",
    "apikeys",
    "sharing",
    "cartonify",  # the project's own commands (setup_periodic_tasks)
    "webhooks",
    # ninja's static files (its Swagger UI bundle) serve the API docs page offline.
    "ninja",
]

MIDDLEWARE = [
    "cartonify.middleware.RequestIdMiddleware",
    # Outermost after the request id: it sees every error answer under /api/, whoever made it.
    "api.middleware.ApiJsonErrorsMiddleware",
    # Before host validation and the HTTPS redirect: health checks use plain HTTP and
    # whatever address reaches the container.
    "cartonify.middleware.HealthCheckMiddleware",
    # Times requests and answers /metrics, also before host validation and the redirect.
    "cartonify.metrics.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cartonify.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "cartonify.urls"
WSGI_APPLICATION = "cartonify.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
