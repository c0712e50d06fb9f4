"""Billing's domain exceptions: views turn them into a message or a 4xx."""

from django.conf import settings

from core.exceptions import ApplicationError


class BillingError(ApplicationError):
    """Base for every refusal billing makes; `str(exc)` is safe to show to the user."""


class QuotaExceeded(BillingError):
    status = 402
    code = "quota_exhausted"

    def __init__(self, *, balance: int, needed: int, plan: str):
        self.balance = balance
        self.needed = needed
        self.plan = plan
        if plan == "free":
            message = (
                f"You have used your free generations ({balance} credits left, {needed} needed). "
                f"Upgrade to premium for {settings.PREMIUM_CREDITS_PER_PERIOD} credits a month."
            )
        else:
            message = (
                f"Not enough credits: {balance} left, {needed} needed. "
                "Renew premium or wait for your next monthly reset."
            )
        super().__init__(message)


class InvalidAdjustment(BillingError):
    """A staff adjustment that would take a balance below zero, or is empty."""


class PaymentRejected(BillingError):
    """A payment that failed verification: bad signature, unknown order, wrong amount."""


class PaymentsNotConfigured(BillingError):
    """Razorpay keys are missing from the environment."""
