from collections import defaultdict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html

from core.admin_lists import LargeTableAdmin, recent_values_filter
from core.exceptions import ApplicationError

from . import services
from .models import Generation, Image, Output, RefusedPrompt, ReplicateWebhookEvent, Video


def _owner_link(obj) -> str:
    url = reverse("admin:accounts_user_change", args=[obj.user_id])
    return format_html('<a href="{}">{}</a>', url, obj.user)


def _preview(output: Output, size: int = 64) -> str:
    url = reverse("generation:admin_output_file", args=[output.pk])
    if output.content_type.startswith("video/") and output.content_type != "video/gif":
        return format_html('<video src="{}" width="{}" muted loop></video>', url, size)
    return format_html(
        '<img src="{}" width="{}" height="{}" style="object-fit:cover">', url, size, size
    )


class OutputInline(admin.TabularInline):
    model = Output
    extra = 0
    can_delete = False
    fields = ["preview", "kind", "content_type", "width", "height", "bytes", "favorite"]
    readonly_fields = fields

    @admin.display(description="Preview")
    def preview(self, obj):
        return _preview(obj) if obj.pk else ""

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Generation)
class GenerationAdmin(LargeTableAdmin):
    list_display = [
        "id",
        "owner",
        "kind",
        "status",
        "progress_percent",
        "prompt_short",
        "provider",
        "via",
        "credits_charged",
        "created_at",
    ]
    list_filter = [
        "status",
        "kind",
        recent_values_filter("provider", "provider"),
        "via",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["prompt", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["progress_percent"]
    inlines = [OutputInline]
    actions = ["retry_failed", "cancel_unfinished"]

    # A job is a record of what was asked, charged and delivered: staff view it, and
    # end or rerun it only through the actions, whose services refund and charge.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        # The percentage stands where the raw number would, beside the job's status.
        fields = super().get_fields(request, obj)
        return [
            "progress_percent" if name == "progress" else name
            for name in fields
            if name != "progress_percent"
        ]

    @admin.display(description="Progress", empty_value="")
    def progress_percent(self, obj):
        return f"{obj.progress}%" if obj.shows_progress else None

    @admin.display(description="Prompt")
    def prompt_short(self, obj):
        return obj.prompt[:60]

    @admin.display(description="User", ordering="user__email")
    def owner(self, obj):
        return _owner_link(obj)

    def has_manage_jobs_permission(self, request):
        return request.user.has_perm("generation.manage_jobs")

    def changelist_view(self, request, extra_context=None):
        # An action the user may not run is refused outright, not shown the list again.
        action = request.POST.get("action")
        if action in self.actions and action not in self.get_actions(request):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)

    @admin.action(description="Retry selected failed or canceled jobs", permissions=["manage_jobs"])
    def retry_failed(self, request, queryset):
        retried = self._each(request, queryset, services.generation_retry, "Retried")
        self.message_user(request, f"{retried} job(s) queued again.", messages.SUCCESS)

    @admin.action(
        description="Cancel selected queued or running jobs (refunds credits)",
        permissions=["manage_jobs"],
    )
    def cancel_unfinished(self, request, queryset):
        def cancel(*, generation):
            return services.generation_cancel(generation=generation, by=request.user)

        canceled = self._each(request, queryset, cancel, "Canceled")
        self.message_user(request, f"{canceled} job(s) canceled.", messages.SUCCESS)

    def _each(self, request, queryset, operation, done: str) -> int:
        """Run `operation` on each selected job; the service refuses what the job's
        state forbids, and the refusals are listed once per reason."""
        changed, refused = 0, defaultdict(list)
        for job in queryset.select_related("user"):
            try:
                operation(generation=job)
            except ApplicationError as error:
                refused[error.message].append(f"#{job.pk}")
            else:
                self.log_change(request, job, done)
                changed += 1
        for reason, jobs in refused.items():
            self.message_user(request, f"Job {', '.join(jobs)}: {reason}", messages.ERROR)
        return changed


class OutputAdminBase(LargeTableAdmin):
    list_display = [
        "id",
        "preview",
        "owner",
        "generation_link",
        "content_type",
        "width",
        "height",
        "favorite",
        "created_at",
    ]
    list_filter = [
        "favorite",
        recent_values_filter("content_type", "content type"),
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["generation__prompt", "user__email"]
    list_select_related = ["user", "generation"]
    raw_id_fields = ["user", "generation"]
    readonly_fields = ["preview", "content_type", "width", "height", "bytes"]

    @admin.display(description="Preview")
    def preview(self, obj):
        return _preview(obj) if obj.pk else ""

    def has_add_permission(self, request):
        return False  # outputs come from generations

    @admin.display(description="User", ordering="user__email")
    def owner(self, obj):
        return _owner_link(obj)

    @admin.display(description="Job")
    def generation_link(self, obj):
        url = reverse("admin:generation_generation_change", args=[obj.generation_id])
        return format_html('<a href="{}">#{}</a>', url, obj.generation_id)


@admin.register(Image)
class ImageAdmin(OutputAdminBase):
    pass


@admin.register(Video)
class VideoAdmin(OutputAdminBase):
    pass


@admin.register(ReplicateWebhookEvent)
class ReplicateWebhookEventAdmin(admin.ModelAdmin):
    list_display = ["webhook_id", "generation", "received_at"]
    list_select_related = ["generation"]
    readonly_fields = ["webhook_id", "generation", "received_at"]
    search_fields = ["webhook_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RefusedPrompt)
class RefusedPromptAdmin(admin.ModelAdmin):
    """Read-only: who had prompts refused, when, and for which rule."""

    list_display = ["created_at", "owner", "rule", "via"]
    list_filter = ["rule", "via"]
    search_fields = ["user__email"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]

    @admin.display(description="User", ordering="user")
    def owner(self, obj):
        return _owner_link(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
