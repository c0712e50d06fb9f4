from django.core.management.base import BaseCommand

from apikeys.usage import usage_flush


class Command(BaseCommand):
    help = "Write the API usage counters held in Redis to the database now."

    def handle(self, *args, **options):
        self.stdout.write(f"Flushed {usage_flush()} counters.")
