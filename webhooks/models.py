import base64

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import get_random_string, salted_hmac

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
EXCERPT_LENGTH = 200


class Event(models.TextChoices):
    STARTED = "started", "Started"
    COMPLETED = "completed", "Completed"


def new_salt() -> str:
    return get_random_string(32)


class SigningSecret(models.Model):
    """The key a user's webhooks are signed with (`whsec_…`, shown on the API keys page).

    Only a random salt is stored; the secret is an HMAC of it under SECRET_KEY, so a copy
    of the database alone cannot forge our webhooks. Rotating draws a new salt.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_secret"
    )
    salt = models.CharField(max_length=64, default=new_salt)
    rotated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"signing secret of {self.user_id}"

    @property
    def value(self) -> str:
        digest = salted_hmac("webhooks.signing-secret", self.salt, algorithm="sha256").digest()
        return SECRET_PREFIX + base64.b64encode(digest).decode()


class JobWebhook(models.Model):
    """Where to tell the owner of an API job about it, and about which events."""

    generation = models.OneToOneField(
        "generation.Generation", on_delete=models.CASCADE, related_name="webhook"
    )
    url = models.URLField(max_length=settings.WEBHOOKS_URL_MAX_LENGTH)
    events = models.JSONField(default=list)
    # The API's own address the job was created through: the links in the body use it.
    site_url = models.URLField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "job webhook"

    def __str__(self):
        return f"job {self.generation_id} → {self.url}"

    def wants(self, event: str) -> bool:
        return event in self.events


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Gave up"


class DeliveryQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(webhook__generation__user=user)


class Delivery(models.Model):
    """One event of one job, sent until the receiver answers 2xx or the retries run out.

    `event_id` is the `webhook-id` header: the same on every attempt, so receivers dedupe
    on it. The body is the job as the event saw it, fixed when the event happened.
    """

    webhook = models.ForeignKey(JobWebhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=16, choices=Event.choices)
    event_id = models.CharField(max_length=40, unique=True)
    body = models.TextField()
    state = models.CharField(
        max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The latest attempt, kept here so a job card reads one row per event.
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event"], name="webhooks_one_per_event"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhooks_due")]

    def __str__(self):
        return f"{self.event_id} ({self.event}, {self.state})"


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(delivery__webhook__generation__user=user)


class DeliveryAttempt(models.Model):
    """One POST (or one refusal to post) of a delivery: the log the owner sees."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)  # null: no answer
    latency_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    response_excerpt = models.CharField(max_length=EXCERPT_LENGTH, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-attempted_at", "-id"]

    def __str__(self):
        return f"{self.delivery_id} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
