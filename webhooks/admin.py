from django.contrib import admin

from .models import Delivery, DeliveryAttempt, JobWebhook, SigningSecret


@admin.register(SigningSecret)
class SigningSecretAdmin(admin.ModelAdmin):
    list_display = ["user", "rotated_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "rotated_at"]  # never the salt: it would let staff derive the secret
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["event", "event_id", "state", "attempts", "last_status_code", "next_attempt_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(JobWebhook)
class JobWebhookAdmin(admin.ModelAdmin):
    list_display = ["generation", "url", "events", "created_at"]
    search_fields = ["url", "generation__user__email"]
    list_select_related = ["generation"]
    raw_id_fields = ["generation"]
    readonly_fields = ["generation", "url", "events", "site_url", "created_at"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ["attempted_at", "status_code", "latency_ms", "error", "next_attempt_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event_id", "event", "state", "attempts", "last_status_code", "created_at"]
    list_filter = ["state", "event"]
    search_fields = ["event_id", "webhook__url", "webhook__generation__user__email"]
    readonly_fields = [
        "webhook",
        "event",
        "event_id",
        "state",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_status_code",
        "last_error",
        "created_at",
        "body",
    ]
    exclude = ["claimed_at"]
    inlines = [AttemptInline]

    def has_add_permission(self, request):
        return False


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(admin.ModelAdmin):
    list_display = ["delivery", "attempted_at", "status_code", "latency_ms", "error"]
    list_filter = ["status_code"]
    list_select_related = ["delivery"]
    readonly_fields = [
        "delivery",
        "attempted_at",
        "status_code",
        "latency_ms",
        "error",
        "response_excerpt",
        "next_attempt_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
