from django.core.management.base import BaseCommand

from billing import services


class Command(BaseCommand):
    help = "Mark premium orders nobody paid within PAYMENT_ORDER_TTL_HOURS as expired."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.payments_expire_unpaid()} unpaid order(s) expired.")
