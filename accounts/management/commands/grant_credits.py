from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from billing import services as billing


class Command(BaseCommand):
    help = "Grant (or, with a negative number, deduct) credits, recorded in the ledger."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("amount", type=int, help="Credits to add; negative to take away.")
        parser.add_argument("--reason", required=True, help="Why, for the ledger.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")

    def handle(self, *args, email, amount, reason, dry_run=False, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with the email {email}.")
        balance = billing.credits_balance(user=user)
        if dry_run:
            self.stdout.write(f"Would adjust {user}: {balance} → {balance + amount} (dry run).")
            return
        try:
            entry = billing.credits_adjust(user=user, amount=amount, reason=reason, created_by=None)
        except billing.InvalidAdjustment as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"Adjusted {user}: {balance} → {entry.balance_after}.")
