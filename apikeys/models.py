from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from generation.models import Generation

from .exceptions import SpendCapReached


class Scope(models.TextChoices):
    READ = "read", "Read: list, get, download, usage"
    GENERATE = "generate", "Generate: create jobs"
    MANAGE = "manage", "Manage: cancel, delete"


def all_scopes() -> list[str]:
    return list(Scope.values)


def month_start(now: datetime | None = None) -> datetime:
    """Caps count calendar months in UTC."""
    now = (now or timezone.now()).astimezone(UTC)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(now: datetime | None = None) -> datetime:
    start = month_start(now)
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


class ApiKeyQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def active(self):
        return self.filter(revoked_at__isnull=True)

    def with_month_spend(self, now: datetime | None = None):
        """Each key with `month_spend`: credits its jobs kept this month (one query)."""
        this_month = Q(generations__created_at__gte=month_start(now)) & ~Q(
            generations__status__in=Generation.REFUNDED
        )
        spend = Sum("generations__credits_charged", filter=this_month)
        return self.annotate(month_spend=Coalesce(spend, 0))


class ApiKey(models.Model):
    """A named key a user's scripts authenticate with. The full key is shown once;
    only its prefix (to find it) and an HMAC-SHA256 digest (to check it) are kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Keys made before scopes existed keep every scope: the default fills them in.
    scopes = models.JSONField(default=all_scopes)
    monthly_credit_cap = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Credits the key's jobs may spend per calendar month (UTC); empty: no cap.",
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} (ck_live_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def masked(self) -> str:
        return f"ck_live_{self.prefix}_…"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def scope_names(self) -> list[str]:
        return [scope for scope in Scope.values if scope in self.scopes]

    def spent_this_month(self, now: datetime | None = None) -> int:
        jobs = Generation.objects.filter(api_key=self, created_at__gte=month_start(now))
        return jobs.charged().aggregate(total=Coalesce(Sum("credits_charged"), 0))["total"]

    def check_spend(self, *, cost: int, now: datetime | None = None) -> None:
        """Refuse a job of `cost` credits that the cap leaves no room for; a reached cap
        refuses even free jobs, so a cap of 0 stops the key generating at all. Callers
        hold the owner's credit account lock, so concurrent jobs see each other."""
        if self.monthly_credit_cap is None:
            return
        spent = self.spent_this_month(now)
        if spent >= self.monthly_credit_cap or spent + cost > self.monthly_credit_cap:
            raise SpendCapReached(
                cap=self.monthly_credit_cap,
                spent=spent,
                cost=cost,
                resets_at=next_month_start(now),
            )


class DailyUsage(models.Model):
    """Requests one key made to one endpoint on one day (UTC), flushed from Redis counters."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField()
    endpoint = models.CharField(max_length=100)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-day", "endpoint"]
        verbose_name_plural = "daily usage"
        constraints = [
            models.UniqueConstraint(
                fields=["api_key", "day", "endpoint"], name="apikeys_usage_key_day_endpoint"
            ),
        ]

    def __str__(self):
        return f"{self.api_key_id} {self.day} {self.endpoint}: {self.count}"


class UsageFlush(models.Model):
    """A batch of Redis counters written to DailyUsage, recorded in the same transaction
    so a flush interrupted after its commit is never added twice."""

    batch = models.CharField(max_length=32, unique=True)
    flushed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.batch


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key`, replayed to retries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    api_key = models.ForeignKey(ApiKey, null=True, on_delete=models.SET_NULL)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="apikeys_idempotency_user_key"),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.key}"
