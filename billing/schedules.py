"""Billing's django-celery-beat schedules, created by migration 0003 and by
`manage.py setup_periodic_tasks`; after creation they are edited in the admin."""

# name → (task, minutes between runs when first created)
SCHEDULES = {
    "billing: expire subscriptions": ("billing.expire_subscriptions", 10),
    "billing: reset premium credit periods": ("billing.reset_credit_periods", 10),
}
