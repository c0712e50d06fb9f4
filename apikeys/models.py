from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiKeyQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def active(self):
        return self.filter(revoked_at__isnull=True)


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
