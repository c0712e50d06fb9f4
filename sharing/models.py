import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from generation.models import Output, OutputKind


def new_token() -> str:
    """An address nobody can guess or count through: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


class ShareQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see: shared and not hidden by staff."""
        return self.filter(hidden_at__isnull=True)

    def for_display(self):
        # The output and its job, never its owner: public pages show no account data.
        return self.select_related("output__generation")


class Share(models.Model):
    """An output its owner made public at an unguessable address.

    Unsharing deletes the row, so the address is gone for good; sharing again makes a
    new one. Deleting the output deletes its share (cascade) and the address with it.
    """

    HIDDEN_REFUSAL = "Staff hid this from public pages."
    ALREADY_HIDDEN = "This share is already hidden."
    NOT_HIDDEN = "This share is not hidden."

    output = models.OneToOneField(Output, on_delete=models.CASCADE, related_name="share")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    show_prompt = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Moderation: staff hide a share with a reason; the owner cannot undo it by
    # unsharing and sharing again (the row, and so the refusal, stays).
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.TextField(blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The feed and the home page: newest public shares first, paged by id.
            models.Index(
                fields=["-id"],
                condition=models.Q(hidden_at__isnull=True),
                name="share_public_newest",
            ),
        ]

    def __str__(self):
        return f"Share of {self.output}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_video(self) -> bool:
        return self.output.kind == OutputKind.VIDEO

    @property
    def title(self) -> str:
        """What a public page and its link preview call the output."""
        if self.show_prompt:
            return self.output.generation.prompt
        return f"A {'video' if self.is_video else 'picture'} made with Cartonify"

    @property
    def unshare_refusal(self) -> str:
        """Why the owner cannot unshare this, or "" when they can."""
        return self.HIDDEN_REFUSAL if self.is_hidden else ""

    @property
    def can_unshare(self) -> bool:
        return not self.unshare_refusal

    @property
    def hide_refusal(self) -> str:
        """Why staff cannot hide this, or "" when they can."""
        return self.ALREADY_HIDDEN if self.is_hidden else ""

    @property
    def can_hide(self) -> bool:
        return not self.hide_refusal

    @property
    def unhide_refusal(self) -> str:
        """Why staff cannot unhide this, or "" when they can."""
        return "" if self.is_hidden else self.NOT_HIDDEN

    @property
    def can_unhide(self) -> bool:
        return not self.unhide_refusal
