"""The site's settings plus the bench-only views and limits high enough for load."""

from cartonify.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The load would otherwise hit the per-user and per-key limits within seconds.
GENERATION_RATE_LIMIT = "1000000/h"
API_KEY_RATE_LIMIT = "1000000/m"
