from django.core.management.base import BaseCommand
from django_celery_beat.models import IntervalSchedule, PeriodicTask

# name → (task, minutes between runs when first created)
SCHEDULES = {
    "billing: expire subscriptions": ("billing.expire_subscriptions", 10),
    "billing: reset premium credit periods": ("billing.reset_credit_periods", 10),
}


class Command(BaseCommand):
    help = "Create billing's django-celery-beat schedules; schedules edited in the admin are kept."

    def handle(self, *args, **options):
        for name, (task, minutes) in SCHEDULES.items():
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=minutes, period=IntervalSchedule.MINUTES
            )
            _, created = PeriodicTask.objects.update_or_create(
                name=name,
                defaults={"task": task},
                create_defaults={"task": task, "interval": interval, "enabled": True},
            )
            self.stdout.write(f"{'Created' if created else 'Kept'}: {name} ({task})")
