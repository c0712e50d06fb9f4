from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import User


class Command(BaseCommand):
    help = (
        "Give an existing user access to the admin (they must set up two-factor "
        "authentication at their first visit). --remove takes it away."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--remove", action="store_true", help="Remove staff access instead.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")

    def handle(self, *args, email, remove=False, dry_run=False, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with the email {email}.")
        verb = "Remove staff access of" if remove else "Make staff"
        if dry_run:
            self.stdout.write(f"Would {verb.lower()}: {user} (dry run).")
            return
        operation = services.user_remove_staff if remove else services.user_make_staff
        try:
            changed = operation(user=user, by=None)
        except services.StaffActionRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"{verb}: {user}." if changed else f"Nothing to do for {user}.")
