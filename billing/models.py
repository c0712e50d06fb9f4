from datetime import timedelta

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
    # The free allowance is a lifetime count: what was left of it when premium started
    # waits here and is given back when premium ends.
    free_generations_kept = models.PositiveIntegerField(default=0)
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
    REVOCATION = "revocation", "Payment refunded or disputed"


# The words the credit history shows its owner; staff see the kinds' own labels.
OWNER_WORDS = {LedgerKind.RESERVE: "Spent", LedgerKind.REFUND: "Refunded"}


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

    def kind_for_owner(self) -> str:
        return OWNER_WORDS.get(self.kind) or self.get_kind_display()


class PaymentStatus(models.TextChoices):
    CREATED = "created", "Created"
    PAID = "paid", "Paid"
    REJECTED = "rejected", "Rejected"
    EXPIRED = "expired", "Expired unpaid"
    REFUNDED = "refunded", "Refunded"


class DisputeStatus(models.TextChoices):
    NONE = "", "None"
    OPEN = "open", "Open"
    WON = "won", "Won"
    LOST = "lost", "Lost"
    CLOSED = "closed", "Closed"


class PaymentQuerySet(models.QuerySet):
    def unpaid_orders(self, *, older_than):
        return self.filter(status=PaymentStatus.CREATED, created_at__lt=older_than)

    def open_orders(self, *, user, since):
        """Orders of `user` nobody has paid yet, made since `since`: a new click on
        Upgrade reuses one instead of asking Razorpay for another."""
        return self.filter(user=user, status=PaymentStatus.CREATED, created_at__gte=since)


class Payment(models.Model):
    """One Razorpay order for premium and, once paid, the payment that settled it."""

    # Only an order nobody has paid may become paid: a refunded or rejected one stays so,
    # whatever callback or event is replayed for it later.
    PAYABLE = (PaymentStatus.CREATED, PaymentStatus.EXPIRED)

    # Kept for accounting when an account is closed, without whose it was.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
    )
    razorpay_order_id = models.CharField(max_length=64, unique=True)
    razorpay_payment_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    amount_paise = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    # The verified callback or webhook body that proved the payment.
    payload = models.JSONField(default=dict, blank=True)
    # Set once, when this payment granted premium; the mark of idempotent activation.
    activated_at = models.DateTimeField(null=True, blank=True)
    refunded_paise = models.PositiveIntegerField(default=0)
    dispute_status = models.CharField(
        max_length=8, choices=DisputeStatus.choices, default=DisputeStatus.NONE, blank=True
    )
    # Set once, when a full refund or a lost dispute took back what this payment bought.
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="payment_status_created")]

    def __str__(self):
        return f"{self.razorpay_order_id} ({self.status})"

    @property
    def reference(self) -> str:
        return f"payment:{self.razorpay_payment_id or self.razorpay_order_id}"

    @property
    def can_be_paid(self) -> bool:
        return self.status in self.PAYABLE

    @property
    def can_be_revoked(self) -> bool:
        """Whether a refund or lost dispute still has something to take back."""
        return self.activated_at is not None and self.revoked_at is None


class Refund(models.Model):
    """A Razorpay refund of one of our payments, recorded once by its refund id."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    razorpay_refund_id = models.CharField(max_length=64, unique=True)
    amount_paise = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.razorpay_refund_id} ({self.amount_paise} paise)"


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"


class SubscriptionQuerySet(models.QuerySet):
    def due_for_expiry(self, now):
        return self.filter(status=SubscriptionStatus.ACTIVE, current_period_end__lte=now)


class Subscription(models.Model):
    """A user's premium plan; paid renewals extend `current_period_end`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription"
    )
    status = models.CharField(
        max_length=16, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE
    )
    current_period_start = models.DateTimeField()
    current_period_end = models.DateTimeField()
    latest_payment = models.ForeignKey(
        Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["status", "current_period_end"], name="billing_sub_due"),
        ]

    def __str__(self):
        return f"{self.user} {self.status} until {self.current_period_end:%Y-%m-%d}"

    def is_active_at(self, now) -> bool:
        end = self.current_period_end
        return self.status == SubscriptionStatus.ACTIVE and end is not None and end > now

    def paid_until_after_payment(self, now):
        """Where a payment made `now` moves the paid end: a period from the current end
        while active (nothing paid for is lost), otherwise a period from now."""
        start = self.current_period_end if self.is_active_at(now) else now
        return start + timedelta(days=settings.PREMIUM_PERIOD_DAYS)


class WebhookEvent(models.Model):
    """A Razorpay webhook delivery, recorded once by its event id."""

    event_id = models.CharField(max_length=100, unique=True)
    event_type = models.CharField(max_length=64)
    payload = models.JSONField()
    outcome = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.event_type} {self.event_id}"
