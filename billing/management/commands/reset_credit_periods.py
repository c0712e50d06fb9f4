from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from billing import services


class Command(BaseCommand):
    help = "Start the next monthly credit period for premium users whose period has ended."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what is due.")

    def handle(self, *args, dry_run=False, **options):
        credits = settings.PREMIUM_CREDITS_PER_PERIOD
        if dry_run:
            due = services.credit_periods_due(timezone.now()).select_related("user")
            for account in due:
                self.stdout.write(f"Would reset: {account.user} {account.balance} → {credits}")
            self.stdout.write(f"{len(due)} account(s) due (dry run, nothing changed).")
            return
        reset = services.credit_periods_reset_due()
        for account in reset:
            self.stdout.write(f"Reset: {account.user} to {credits} until {account.period_end}")
        self.stdout.write(f"{len(reset)} account(s) reset.")
