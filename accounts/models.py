from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from generation.options import (
    COLORS,
    DEFAULT_QUALITY,
    DEFAULT_SIZE,
    MAX_COUNT,
    QUALITIES,
    SHAPES,
    SIZES,
    STYLES,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person signing in with their email address; there are no usernames."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        permissions = [("manage_staff", "Can change staff members' sign-in and access")]

    def __str__(self):
        return self.email

    def can_be_managed_by(self, actor) -> bool:
        """May `actor` change how this account signs in (active flag, email, password, MFA)?

        Otherwise a staff member with `change_user` could take over a superuser's account
        by resetting its email or password, or lock it out.
        """
        if actor.is_superuser or actor.pk == self.pk:
            return True
        if self.is_superuser:
            return False
        if self.is_staff:
            return actor.has_perm("accounts.manage_staff")
        return True


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class DataExportQuerySet(models.QuerySet):
    def expired(self, *, now):
        """Exports finished more than EXPORT_KEEP_DAYS before `now`."""
        return self.filter(finished_at__lte=now - timedelta(days=settings.EXPORT_KEEP_DAYS))


class DataExport(models.Model):
    """A zip of everything a user made and what they paid, built in the background."""

    IN_PROGRESS = (ExportStatus.QUEUED, ExportStatus.RUNNING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    status = models.CharField(
        max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    file = models.FileField(upload_to="exports/", blank=True, max_length=200)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            # Asking twice at once gives the export already under way, not a second one.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status__in=["queued", "running"]),
                name="accounts_one_export_in_progress",
            ),
        ]

    def __str__(self):
        return f"Export #{self.pk} of {self.user} ({self.status})"

    @property
    def is_in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def filename(self) -> str:
        return f"cartonify-export-{self.created_at:%Y-%m-%d}.zip"

    @property
    def expires_at(self) -> datetime | None:
        if self.finished_at is None:
            return None
        return self.finished_at + timedelta(days=settings.EXPORT_KEEP_DAYS)

    @property
    def can_download(self) -> bool:
        """Ready and not yet expired (the hourly sweep may not have deleted it yet)."""
        return self.status == ExportStatus.READY and timezone.now() < self.expires_at


def _choices(values):
    return [(value, str(value)) for value in values]


class Preferences(models.Model):
    """A user's saved defaults: where the composer starts and what the API fills in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    style = models.CharField(max_length=20, choices=_choices(STYLES), default=STYLES[0])
    color = models.CharField(max_length=20, choices=_choices(COLORS), default=COLORS[0])
    size = models.PositiveSmallIntegerField(choices=_choices(SIZES), default=DEFAULT_SIZE)
    shape = models.CharField(max_length=10, choices=_choices(SHAPES), default="square")
    quality = models.CharField(max_length=10, choices=_choices(QUALITIES), default=DEFAULT_QUALITY)
    count = models.PositiveSmallIntegerField(choices=_choices(range(1, MAX_COUNT + 1)), default=2)

    FIELDS = ("style", "color", "size", "shape", "quality", "count")

    def __str__(self):
        return f"Defaults of {self.user}"

    @classmethod
    def for_user(cls, user) -> "Preferences":
        """The user's saved defaults, or unsaved ones holding the product's defaults."""
        return cls.objects.filter(user=user).first() or cls(user=user)

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}

    def fill(self, fields: dict) -> dict:
        """`fields` with each of ours that is missing or None taken from these defaults."""
        saved = self.as_dict()
        return {
            name: saved[name] if value is None and name in saved else value
            for name, value in fields.items()
        }
