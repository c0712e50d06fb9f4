from django.conf import settings
from django.db import models
from django.db.models import Q


class Plan(models.TextChoices):
    FREE = "free", "Free"
    PREMIUM = "premium", "Premium"


class CreditAccount(models.Model):
    """A user's credit balance; only `billing.services` changes it, always with a ledger entry."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credit_account"
    )
    plan = models.CharField(max_length=16, choices=Plan.choices, default=Plan.FREE)
    balance = models.IntegerField(default=0)
    # End of the current premium credit period; the next reset or expiry happens then.
    period_end = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="billing_creditaccount_balance_gte_0"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.plan}, {self.balance} credits)"


class LedgerKind(models.TextChoices):
    GRANT = "grant", "Grant"
    RESERVE = "reserve", "Reserve"
    REFUND = "refund", "Refund"
    RESET = "reset", "Period reset"
    EXPIRY = "expiry", "Expiry"
    ADJUSTMENT = "adjustment", "Staff adjustment"


class LedgerEntryQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(account__user=user)


class LedgerEntry(models.Model):
    """One change of a balance. Append-only: rows are never updated or deleted."""

    account = models.ForeignKey(CreditAccount, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=16, choices=LedgerKind.choices)
    amount = models.IntegerField(help_text="Signed: negative for reserve and expiry.")
    balance_after = models.IntegerField()
    reason = models.TextField()
    reference = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "ledger entries"
        constraints = [
            # One job is reserved once and refunded once, whatever retries happen.
            models.UniqueConstraint(
                fields=["account", "kind", "reference"],
                condition=Q(kind__in=["reserve", "refund"]),
                name="billing_ledger_reserve_refund_once",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"], name="billing_ledger_newest"),
        ]

    def __str__(self):
        return f"{self.kind} {self.amount:+d} → {self.balance_after} ({self.reference})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Ledger entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Ledger entries are append-only.")
