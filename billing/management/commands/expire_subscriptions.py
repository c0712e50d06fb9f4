from django.core.management.base import BaseCommand
from django.utils import timezone

from billing import services
from billing.models import Subscription


class Command(BaseCommand):
    help = "End premium subscriptions whose paid period is over; their credits expire."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what is due.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            due = Subscription.objects.due_for_expiry(timezone.now()).select_related("user")
            for subscription in due:
                self.stdout.write(f"Would expire: {subscription}")
            self.stdout.write(f"{len(due)} subscription(s) due (dry run, nothing changed).")
            return
        expired = services.subscriptions_expire_due()
        for subscription in expired:
            self.stdout.write(f"Expired: {subscription}")
        self.stdout.write(f"{len(expired)} subscription(s) expired.")
