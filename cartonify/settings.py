"""Cartonify settings: one module, driven by the environment.

With no environment at all the site runs on embedded defaults (SQLite, local
memory cache, eager Celery, console email). Every variable is documented in
`.env.example`.
"""

import os
from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

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

# --- Data stores -------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = env("REDIS_URL", default="")


def redis_cache(location: str, **options) -> dict:
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="cartonify"),
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2, **options},
    }


if REDIS_URL:
    CACHES = {
        "default": redis_cache(REDIS_URL),
        # Sessions live in the database with Redis in front; when Redis is down,
        # this alias answers "miss" instead of failing, so nobody is signed out.
        "sessions": redis_cache(REDIS_URL, IGNORE_EXCEPTIONS=True),
        # Rendered page fragments: a miss when Redis is down, never an error.
        "fragments": redis_cache(REDIS_URL, IGNORE_EXCEPTIONS=True),
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ----------------------------------------------------------------

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
# django-ratelimit both use this one answer (cartonify.client_ip).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default=None)
RATELIMIT_IP_META_KEY = "cartonify.client_ip.client_ip"

# A data export (a zip of every output) is kept this many days, and a user may ask for
# this many (django-ratelimit's syntax); a new one replaces the old once it is ready.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
EXPORT_RATE_LIMIT = env("EXPORT_RATE_LIMIT", default="1/h")

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Cartonify"

# --- Email -------------------------------------------------------------------

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

# --- Static and media files ---------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Hashed, compressed static names need a collectstatic run; off for dev and tests.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEVELOPMENT)
# In development WhiteNoise serves the source folders, fresh on every request, whatever DEBUG.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEVELOPMENT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Media (outputs, uploads, exports) in an S3-compatible bucket (AWS S3, Cloudflare R2,
# MinIO) when AWS_STORAGE_BUCKET_NAME is set; the bucket stays private and files are
# fetched through short-lived presigned links (cartonify.files). Unset: MEDIA_ROOT.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default="")  # empty: AWS itself
# Where browsers reach the store, when not at AWS_S3_ENDPOINT_URL (MinIO under compose).
AWS_S3_PUBLIC_ENDPOINT_URL = env("AWS_S3_PUBLIC_ENDPOINT_URL", default="")
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default="us-east-1")
# Seconds a presigned download link works; the redirect to it is cached half as long.
S3_PRESIGN_SECONDS = env.int("S3_PRESIGN_SECONDS", default=300)
AWS_S3_ADDRESSING_STYLE = env(
    # MinIO and most other stores answer on one host, with the bucket in the path.
    "AWS_S3_ADDRESSING_STYLE",
    default="path" if AWS_S3_ENDPOINT_URL else "virtual",
)
if AWS_STORAGE_BUCKET_NAME:
    from cartonify.object_storage import s3_storage

    STORAGES["default"] = s3_storage(
        bucket=AWS_STORAGE_BUCKET_NAME,
        endpoint_url=AWS_S3_ENDPOINT_URL,
        public_endpoint_url=AWS_S3_PUBLIC_ENDPOINT_URL,
        region=AWS_S3_REGION_NAME,
        addressing_style=AWS_S3_ADDRESSING_STYLE,
        # Empty: boto3's own chain (an instance role, ~/.aws) finds them.
        access_key=env("AWS_ACCESS_KEY_ID", default=None),
        secret_key=env("AWS_SECRET_ACCESS_KEY", default=None),
        presign_seconds=S3_PRESIGN_SECONDS,
    )

DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Celery ------------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
# An unacknowledged task (its worker died) is delivered again after this many seconds;
# longer than any task may run, so a slow task is never run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60),
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
    # Look for such tasks on every idle poll, not every tenth: one cheap ZRANGE.
    "unacked_restore_throttle": 1,
}
# With the broker down, a submit gives up publishing quickly; the sweeper sends it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Work on jobs the provider has already done — checking on them, storing their results,
# telling API clients — has a queue of its own, which a worker takes from in turn with
# the default one: a backlog of new jobs must not hold back results already made.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("results"))
CELERY_TASK_ROUTES = {
    "generation.check_remote_jobs": {"queue": "results"},
    "generation.tasks.finish_generation": {"queue": "results"},
    "webhooks.tasks.deliver_webhook": {"queue": "results"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Any number of beats may run; one holds a lock in Redis and schedules, the others wait.
# A standby takes over within this many seconds of the scheduling beat's death.
BEAT_LOCK_SECONDS = env.int("BEAT_LOCK_SECONDS", default=60)
# Created in the database by `manage.py setup_periodic_tasks`, then editable in the admin:
# name → (task, minutes between runs when first created).
PERIODIC_TASKS = {
    "billing: expire subscriptions": ("billing.expire_subscriptions", 10),
    "billing: reset premium credit periods": ("billing.reset_credit_periods", 10),
    "billing: expire unpaid orders": ("billing.expire_unpaid_orders", 60),
    "generation: recover stalled jobs": ("generation.sweep", 1),
    # The flush interval bounds how long API usage counts wait in Redis.
    "apikeys: flush usage counters": ("apikeys.flush_usage", 1),
    "apikeys: purge idempotency records": ("apikeys.purge_idempotency_records", 60),
    # Expired sessions (and any one-time code left in one) leave the database.
    "accounts: clear expired sessions": ("accounts.clear_expired_sessions", 60),
    "accounts: delete expired exports": ("accounts.delete_expired_exports", 60),
}
CELERY_TIMEZONE = "UTC"

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security ------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if not DEVELOPMENT:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging -------------------------------------------------------------------

LOG_LEVEL = env("LOG_LEVEL", default="INFO")
# "json": one JSON object per line, for log collectors; anything else: plain text.
LOG_FORMAT = env("LOG_FORMAT", default="text")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cartonify.logging.RequestIdFilter"}},
    "formatters": {
        "standard": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        },
        "json": {"()": "cartonify.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "standard",
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery": {"level": LOG_LEVEL},
    },
}

# --- Monitoring ------------------------------------------------------------------

# Bearer token Prometheus presents to /metrics; unset, /metrics answers 404.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# Errors go to Sentry only when a DSN is set.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from cartonify.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# --- Generation ------------------------------------------------------------------

# "local" renders offline with Pillow; "replicate" is used whenever a token is set.
REPLICATE_API_TOKEN = env("REPLICATE_API_TOKEN", default="")
GENERATION_PROVIDER = env(
    "GENERATION_PROVIDER", default="replicate" if REPLICATE_API_TOKEN else "local"
)
# Empty: the SDK's default (api.replicate.com). Tests point it at a fake server.
REPLICATE_BASE_URL = env("REPLICATE_BASE_URL", default="")
# The "whsec_..." signing secret of the account's webhooks.
REPLICATE_WEBHOOK_SECRET = env("REPLICATE_WEBHOOK_SECRET", default="")
# Public base URL Replicate can reach. Webhooks are asked for only when it and the
# secret are both set; a polling fallback always runs.
REPLICATE_WEBHOOK_BASE_URL = env("REPLICATE_WEBHOOK_BASE_URL", default="")
REPLICATE_WEBHOOK_TOLERANCE = env.int("REPLICATE_WEBHOOK_TOLERANCE", default=300)
# Replicate's account-wide ceiling on prediction creations, shared by every worker through
# Redis; the window is a setting only so tests can shrink a minute.
REPLICATE_CREATIONS_PER_MINUTE = env.int("REPLICATE_CREATIONS_PER_MINUTE", default=600)
REPLICATE_CREATIONS_WINDOW = env.float("REPLICATE_CREATIONS_WINDOW", default=60.0)
# Seconds a slot is held past the window: our creations reach Replicate a little late.
REPLICATE_CREATIONS_MARGIN = env.float("REPLICATE_CREATIONS_MARGIN", default=1.0)
# With webhooks on, the poller only checks on a running job this often (seconds).
REPLICATE_WEBHOOK_FALLBACK_POLL = env.float("REPLICATE_WEBHOOK_FALLBACK_POLL", default=30.0)
REPLICATE_MODELS = {
    "image": env("REPLICATE_MODEL_IMAGE", default="black-forest-labs/flux-schnell"),
    "edit": env("REPLICATE_MODEL_EDIT", default="black-forest-labs/flux-kontext-pro"),
    "video": env("REPLICATE_MODEL_VIDEO", default="minimax/video-01"),
    "enhance": env("REPLICATE_MODEL_ENHANCE", default="meta/meta-llama-3-8b-instruct"),
    # Takes `image`, `mask` (white = repaint) and `prompt`, like flux-fill or SDXL inpainting.
    "inpaint": env("REPLICATE_MODEL_INPAINT", default="black-forest-labs/flux-fill-pro"),
    # Image requests with a reference image: takes `image` and `prompt_strength` (flux-dev).
    "reference": env("REPLICATE_MODEL_REFERENCE", default="black-forest-labs/flux-dev"),
}
# The video model's input for the still a video starts from (an animated image);
# minimax/video-01 calls it first_frame_image, other models e.g. `image` or `start_image`.
REPLICATE_VIDEO_IMAGE_INPUT = env("REPLICATE_VIDEO_IMAGE_INPUT", default="first_frame_image")
# How far a picture made from a reference image may move away from it: 0 keeps the
# reference, 1 ignores it (Replicate's prompt_strength; the offline renderer blends).
GENERATION_REFERENCE_STRENGTH = env.float("GENERATION_REFERENCE_STRENGTH", default=0.75)
# Image model steps per quality; the defaults fit flux-schnell (1-4 steps). Set all three
# for another model, e.g. REPLICATE_QUALITY_STEPS=standard=20,high=35,best=50.
REPLICATE_QUALITY_STEPS = env.dict(
    "REPLICATE_QUALITY_STEPS", cast={"value": int}, default={"standard": 2, "high": 3, "best": 4}
)
GENERATION_PROMPT_MAX_LENGTH = env.int("GENERATION_PROMPT_MAX_LENGTH", default=1000)
GENERATION_MAX_UPLOAD_BYTES = env.int("GENERATION_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
GENERATION_MAX_IMAGE_PIXELS = env.int("GENERATION_MAX_IMAGE_PIXELS", default=40_000_000)
GENERATION_TIMEOUT = env.int("GENERATION_TIMEOUT", default=10 * 60)
GENERATION_POLL_INTERVAL = env.float("GENERATION_POLL_INTERVAL", default=2.0)
# A job the provider keeps throttling (HTTP 429) waits queued this long at most, then fails
# and is refunded.
GENERATION_QUEUE_TIMEOUT = env.int("GENERATION_QUEUE_TIMEOUT", default=15 * 60)
GENERATION_RATE_LIMIT = env("GENERATION_RATE_LIMIT", default="10/h")
GENERATION_ENHANCE_RATE_LIMIT = env("GENERATION_ENHANCE_RATE_LIMIT", default="30/h")
# The prompt safety check (generation/safety.py) and terms to refuse besides its list.
GENERATION_SAFETY_CHECK = env.bool("GENERATION_SAFETY_CHECK", default=True)
GENERATION_SAFETY_EXTRA_TERMS = env.list("GENERATION_SAFETY_EXTRA_TERMS", default=[])
# Seconds the local provider sleeps per job; benchmarks use it to mimic a real model.
GENERATION_SIMULATED_LATENCY = env.float("GENERATION_SIMULATED_LATENCY", default=0.0)

# --- Billing ---------------------------------------------------------------------

FREE_PLAN_GENERATIONS = env.int("FREE_PLAN_GENERATIONS", default=5)
PREMIUM_PRICE_PAISE = env.int("PREMIUM_PRICE_PAISE", default=50000)
PREMIUM_CURRENCY = env("PREMIUM_CURRENCY", default="INR")
PREMIUM_CREDITS_PER_PERIOD = env.int("PREMIUM_CREDITS_PER_PERIOD", default=1600)
PREMIUM_PERIOD_DAYS = env.int("PREMIUM_PERIOD_DAYS", default=30)
# Unpaid Razorpay orders expire after this; a repeated Upgrade click reuses a younger one.
PAYMENT_ORDER_TTL_HOURS = env.int("PAYMENT_ORDER_TTL_HOURS", default=24)
# Premium credits per request (as the original: one request of 1-4 images is one credit);
# video is metered. A kind priced 0 is free on every plan. The free plan spends one of its
# lifetime generations per request of any priced kind.
GENERATION_COSTS = {
    "image": env.int("GENERATION_COST_IMAGE", default=1),
    "edit": env.int("GENERATION_COST_EDIT", default=1),
    "video": env.int("GENERATION_COST_VIDEO", default=20),
    "enhance": env.int("GENERATION_COST_ENHANCE", default=0),
}
# Operators may price premium images and edits per output instead (cost x count).
GENERATION_PRICE_PER_IMAGE = env.bool("GENERATION_PRICE_PER_IMAGE", default=False)
RAZORPAY_KEY_ID = env("RAZORPAY_KEY_ID", default="")
RAZORPAY_KEY_SECRET = env("RAZORPAY_KEY_SECRET", default="")
RAZORPAY_WEBHOOK_SECRET = env("RAZORPAY_WEBHOOK_SECRET", default="")
# Empty means the client's default (https://api.razorpay.com); tests point it at a fake.
RAZORPAY_BASE_URL = env("RAZORPAY_BASE_URL", default="")
RAZORPAY_CHECKOUT_JS_URL = env(
    "RAZORPAY_CHECKOUT_JS_URL", default="https://checkout.razorpay.com/v1/checkout.js"
)
# Orders a user may create (each calls Razorpay), in django-ratelimit's syntax.
PAYMENT_ORDER_RATE_LIMIT = env("PAYMENT_ORDER_RATE_LIMIT", default="10/h")

# --- Outgoing API webhooks (webhooks/) ------------------------------------------------
INSTALLED_APPS += ["webhooks"]
WEBHOOKS_URL_MAX_LENGTH = 2000
# Seconds a receiver has to answer (connect, send, each read).
WEBHOOKS_TIMEOUT = env.float("WEBHOOKS_TIMEOUT", default=5.0)
# Seconds before each retry of a failed delivery; they add up to just under a day.
WEBHOOKS_RETRY_DELAYS = [10, 60, 300, 900, 1800, 3600, 7200, 14400, 21600, 36000]
# Tests (and the benchmark) only: also deliver over http to loopback receivers. Private,
# link-local and metadata addresses stay refused either way.
WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS = env.bool("WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS", default=False)
# Sends retries due later than a minute, and any delivery whose task was lost.
PERIODIC_TASKS["webhooks: send due deliveries"] = ("webhooks.sweep", 1)

# --- API keys ------------------------------------------------------------------------

# ninja's static files (its Swagger UI bundle) serve the API docs page offline.
INSTALLED_APPS += ["ninja"]

# --- Content-Security-Policy (django-csp) ----------------------------------------------
# Scripts and styles come from our own origin; an inline script needs the request's nonce.
# Style attributes are allowed (they cannot run code; the admin and Swagger set them), and
# the plain error pages' one inline style is allowed by its hash. The payment provider's
# checkout is allowed on the premium page only (billing.views.premium).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Named, so a page that adds a source (the premium page) still keeps its own origin.
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'sha256-gSdPL02CtvwRB2OagqZjikOwiK9oGGlclUXKCa5/Y9U='"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if AWS_STORAGE_BUCKET_NAME:
    from cartonify.object_storage import csp_allowing_storage

    CONTENT_SECURITY_POLICY = csp_allowing_storage(CONTENT_SECURITY_POLICY, STORAGES["default"])
# HMAC secret for stored key digests; changing it invalidates every key.
API_KEY_HMAC_SECRET = env("API_KEY_HMAC_SECRET", default="") or SECRET_KEY
# Requests per key (django-ratelimit syntax), on top of the per-user GENERATION_RATE_LIMIT.
API_KEY_RATE_LIMIT = env("API_KEY_RATE_LIMIT", default="120/m")
API_KEYS_PER_USER = env.int("API_KEYS_PER_USER", default=20)
# POST /api/transform (the original's call) waits this long for its job, at most this many
# requests per web process at once (keep it below GUNICORN_THREADS); others get a 202.
TRANSFORM_WAIT_SECONDS = env.float("TRANSFORM_WAIT_SECONDS", default=30.0)
TRANSFORM_MAX_WAITING = env.int("TRANSFORM_MAX_WAITING", default=1)
# How long the image links it hands out work without the key.
TRANSFORM_FILE_URL_MAX_AGE = env.int("TRANSFORM_FILE_URL_MAX_AGE", default=24 * 3600)
