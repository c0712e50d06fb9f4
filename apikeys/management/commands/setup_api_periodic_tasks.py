from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import IntervalSchedule, PeriodicTask


def _schedules():
    """name → (task, seconds between runs when first created)"""
    return {
        "apikeys: flush usage counters": ("apikeys.flush_usage", settings.API_USAGE_FLUSH_INTERVAL),
        "apikeys: purge idempotency records": ("apikeys.purge_idempotency_records", 3600),
    }


class Command(BaseCommand):
    help = "Create the API's django-celery-beat schedules; schedules edited in the admin are kept."

    def handle(self, *args, **options):
        for name, (task, seconds) in _schedules().items():
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=seconds, period=IntervalSchedule.SECONDS
            )
            _, created = PeriodicTask.objects.update_or_create(
                name=name,
                defaults={"task": task},
                create_defaults={"task": task, "interval": interval, "enabled": True},
            )
            self.stdout.write(f"{'Created' if created else 'Kept'}: {name} ({task})")
