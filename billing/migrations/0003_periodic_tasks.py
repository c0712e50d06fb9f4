from django.db import migrations

# Frozen copy: later changes to billing.schedules must not rewrite history.
SCHEDULES = {
    "billing: expire subscriptions": ("billing.expire_subscriptions", 10),
    "billing: reset premium credit periods": ("billing.reset_credit_periods", 10),
}


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, minutes) in SCHEDULES.items():
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "interval": interval, "enabled": True}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_webhookevent_payment_subscription"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, migrations.RunPython.noop)]
