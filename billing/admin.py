from django.contrib import admin

from .models import CreditAccount, LedgerEntry, Payment, Subscription, WebhookEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money is changed only through billing.services; the admin shows it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditAccount)
class CreditAccountAdmin(ReadOnlyAdmin):
    list_display = ["user", "plan", "balance", "period_end", "updated_at"]
    list_filter = ["plan"]
    search_fields = ["user__email"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "kind", "amount", "balance_after", "reference"]
    list_filter = ["kind"]
    search_fields = ["account__user__email", "reference", "reason"]
    list_select_related = ["account__user"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["user", "status", "current_period_start", "current_period_end"]
    list_filter = ["status"]
    search_fields = ["user__email"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "razorpay_order_id", "amount_paise", "status"]
    list_filter = ["status"]
    search_fields = ["user__email", "razorpay_order_id", "razorpay_payment_id"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "event_type", "event_id", "outcome"]
    list_filter = ["event_type"]
    search_fields = ["event_id"]
