"""Celery (the broker, queues, limits) and beat (its lock and the periodic tasks)."""

from kombu import Queue

from cartonify.settings.base import env
from cartonify.settings.data_stores import REDIS_URL

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
    # Sends retries due later than a minute, and any delivery whose task was lost.
    "webhooks: send due deliveries": ("webhooks.sweep", 1),
}
CELERY_TIMEZONE = "UTC"
