from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import IntervalSchedule, PeriodicTask


class Command(BaseCommand):
    help = (
        "Create the django-celery-beat schedules in settings.PERIODIC_TASKS; "
        "schedules edited in the admin are kept."
    )

    def handle(self, *args, **options):
        for name, (task, minutes) in settings.PERIODIC_TASKS.items():
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=minutes, period=IntervalSchedule.MINUTES
            )
            _, created = PeriodicTask.objects.update_or_create(
                name=name,
                defaults={"task": task},
                create_defaults={"task": task, "interval": interval, "enabled": True},
            )
            self.stdout.write(f"{'Created' if created else 'Kept'}: {name} ({task})")
