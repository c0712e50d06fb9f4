"""The public API: keys, the original's /api/transform, and outgoing webhooks (webhooks/)."""

from cartonify.settings.base import SECRET_KEY, env

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

# Outgoing webhooks: API clients' receivers, told when their jobs finish.
WEBHOOKS_URL_MAX_LENGTH = 2000
# Seconds a receiver has to answer (connect, send, each read).
WEBHOOKS_TIMEOUT = env.float("WEBHOOKS_TIMEOUT", default=5.0)
# Seconds before each retry of a failed delivery; they add up to just under a day.
WEBHOOKS_RETRY_DELAYS = [10, 60, 300, 900, 1800, 3600, 7200, 14400, 21600, 36000]
# Tests (and the benchmark) only: also deliver over http to loopback receivers. Private,
# link-local and metadata addresses stay refused either way.
WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS = env.bool("WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS", default=False)
