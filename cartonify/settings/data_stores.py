"""The database, and Redis as cache and session store (local memory without REDIS_URL)."""

from cartonify.settings.base import BASE_DIR, env

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
