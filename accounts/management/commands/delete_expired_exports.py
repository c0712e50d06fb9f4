from django.core.management.base import BaseCommand

from accounts import exports


class Command(BaseCommand):
    help = "Delete data exports (and their files) older than EXPORT_KEEP_DAYS."

    def handle(self, *args, **options):
        self.stdout.write(f"{exports.exports_delete_expired()} expired export(s) deleted.")
