"""Print every setting in the running modes, to prove a settings refactor changes nothing.

    .venv/bin/python scripts/settings_dump.py > before.txt
    (refactor)
    .venv/bin/python scripts/settings_dump.py > after.txt && diff before.txt after.txt

Each mode imports the settings module in a fresh interpreter with only that mode's
environment (and PATH/HOME), then prints `NAME = repr(value)` for every UPPERCASE name.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TEST = {  # as pytest.ini sets them
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cartonify",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "STATIC_MANIFEST": "false",
    "DEBUG": "true",
}
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-of-fifty-characters-or-more-000",
    "ALLOWED_HOSTS": "cartonify.example",
    "CSRF_TRUSTED_ORIGINS": "https://cartonify.example",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "DATABASE_URL": "postgres://cartonify:secret@db:5432/cartonify",
    "REDIS_URL": "redis://redis:6379/0",
}
PRODUCTION_WITH_SERVICES = {
    **PRODUCTION,
    "REPLICATE_API_TOKEN": "r8_production_token",
    "REPLICATE_WEBHOOK_SECRET": "whsec_c2VjcmV0",
    "REPLICATE_WEBHOOK_BASE_URL": "https://cartonify.example",
    "RAZORPAY_KEY_ID": "rzp_live_key",
    "RAZORPAY_KEY_SECRET": "razorpay-secret",
    "RAZORPAY_WEBHOOK_SECRET": "razorpay-webhook-secret",
    "AWS_STORAGE_BUCKET_NAME": "cartonify-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.com",
    "AWS_S3_PUBLIC_ENDPOINT_URL": "https://media.example.com",
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "s3-secret",
    "SENTRY_DSN": "https://key@sentry.example.com/1",
    "METRICS_TOKEN": "metrics-token",
    "LOG_FORMAT": "json",
    "TRUSTED_PROXY_COUNT": "1",
    "API_KEY_HMAC_SECRET": "api-key-secret",
}
MODES = {
    "embedded defaults": {},
    "tests": TEST,
    "production": PRODUCTION,
    "production with Replicate, Razorpay, S3, Sentry": PRODUCTION_WITH_SERVICES,
}

# Containers in order, and any other object (botocore's Config) by its attributes, not its address.
DUMP = """
import importlib, sys

def show(value):
    if isinstance(value, dict):
        return "{" + ", ".join(f"{show(k)}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return f"{type(value).__name__}[" + ", ".join(show(v) for v in items) + "]"
    if type(value).__module__ != "builtins" and hasattr(value, "__dict__"):
        return f"{type(value).__qualname__}({show(vars(value))})"
    return repr(value)

module = importlib.import_module(sys.argv[1])
for name in sorted(dir(module)):
    if name.isupper():
        print(f"{name} = {show(getattr(module, name))}")
"""


def dump(environment: dict, module: str) -> str:
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(ROOT)), **environment}
    done = subprocess.run(
        [sys.executable, "-c", DUMP, module],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def main() -> None:
    module = sys.argv[1] if len(sys.argv) > 1 else "cartonify.settings"
    for mode, environment in MODES.items():
        print(f"### {mode}")
        print(dump(environment, module), end="")


if __name__ == "__main__":
    main()
