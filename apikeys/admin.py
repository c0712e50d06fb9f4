from django.contrib import admin, messages

from . import services
from .models import ApiKey, DailyUsage, IdempotencyRecord


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "masked",
        "user",
        "scope_list",
        "spend",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "user",
        "prefix",
        "digest",
        "scope_list",
        "spend",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    fields = ["user", "name", "monthly_credit_cap", *readonly_fields[1:]]
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_month_spend()

    @admin.display(description="Scopes")
    def scope_list(self, api_key):
        return ", ".join(api_key.scope_names)

    @admin.display(description="Spent this month", ordering="month_spend")
    def spend(self, api_key):
        cap = api_key.monthly_credit_cap
        return f"{api_key.month_spend} / {cap}" if cap is not None else f"{api_key.month_spend}"

    def has_add_permission(self, request):
        return False  # keys are created by their owners, who alone see the secret

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke(self, request, queryset):
        active = list(queryset.filter(revoked_at__isnull=True).values_list("pk", flat=True))
        for api_key_id in active:
            services.api_key_revoke(api_key_id=api_key_id)
        revoked = len(active)
        self.message_user(request, f"Revoked {revoked} key(s).", messages.SUCCESS)


@admin.register(DailyUsage)
class DailyUsageAdmin(admin.ModelAdmin):
    list_display = ["day", "api_key", "endpoint", "count"]
    list_filter = ["day"]
    search_fields = ["api_key__prefix", "api_key__user__email", "endpoint"]
    list_select_related = ["api_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "status_code", "created_at"]
    search_fields = ["key", "user__email"]
    readonly_fields = [
        "user",
        "api_key",
        "key",
        "fingerprint",
        "status_code",
        "response",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False
