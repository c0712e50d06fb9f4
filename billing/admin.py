from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from . import services
from .exceptions import InvalidAdjustment
from .models import CreditAccount, LedgerEntry, Payment, Refund, Subscription, WebhookEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money is changed only through billing.services; the admin shows it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AdjustmentForm(forms.Form):
    amount = forms.IntegerField(help_text="Credits to add; negative to take away.")
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class PremiumForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("grant", "Give premium for a number of days"), ("revoke", "End premium now")]
    )
    days = forms.IntegerField(min_value=1, max_value=3650, required=False, initial=30)
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


def _adjust(account, data, by) -> str:
    services.credits_adjust(
        user=account.user, amount=data["amount"], reason=data["reason"], created_by=by
    )
    return f"Adjusted credits by {data['amount']:+d}: {data['reason']}"


def _premium(account, data, by) -> str:
    if data["action"] == "revoke":
        services.subscription_revoke(user=account.user, reason=data["reason"], by=by)
        return f"Revoked premium: {data['reason']}"
    days = data["days"] or 0
    services.subscription_grant(user=account.user, days=days, reason=data["reason"], by=by)
    return f"Gave premium for {days} days: {data['reason']}"


# name → (form, operation, page title, button). Each goes through billing.services,
# never by editing the account, and is written to the ledger and the admin log.
OPERATIONS = {
    "adjust": (AdjustmentForm, _adjust, "Adjust credits of", "Adjust"),
    "premium": (PremiumForm, _premium, "Give or end premium for", "Apply"),
}


@admin.register(CreditAccount)
class CreditAccountAdmin(ReadOnlyAdmin):
    list_display = ["user", "plan", "balance", "period_end", "updated_at"]
    list_filter = ["plan"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    readonly_fields = ["adjust_link", "premium_link"]

    @admin.display(description="Adjust")
    def adjust_link(self, obj):
        url = reverse("admin:billing_creditaccount_adjust", args=[obj.pk])
        return format_html('<a href="{}">Adjust credits (recorded in the ledger)</a>', url)

    @admin.display(description="Premium")
    def premium_link(self, obj):
        url = reverse("admin:billing_creditaccount_premium", args=[obj.pk])
        return format_html('<a href="{}">Give or end premium (recorded in the ledger)</a>', url)

    def get_urls(self):
        operations = [
            path(
                f"<int:pk>/{name}/",
                self.admin_site.admin_view(self.operation_view),
                {"operation": name},
                name=f"billing_creditaccount_{name}",
            )
            for name in OPERATIONS
        ]
        return [*operations, *super().get_urls()]

    def operation_view(self, request, pk, operation):
        if not request.user.has_perm("billing.change_creditaccount"):
            raise PermissionDenied
        account = get_object_or_404(CreditAccount.objects.select_related("user"), pk=pk)
        form_class, perform, title, button = OPERATIONS[operation]
        form = form_class(request.POST or None)
        if form.is_valid():
            try:
                done = perform(account, form.cleaned_data, request.user)
            except InvalidAdjustment as exc:
                form.add_error(None, str(exc))
            else:
                self.log_change(request, account, done)
                messages.success(request, f"{account.user}: {done}")
                return self._back(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{title} {account.user}",
            "account": account,
            "form": form,
            "button": button,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "billing/admin_adjust.html", context)

    def _back(self, request, pk):
        next_url = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            return redirect(next_url)
        return redirect("admin:billing_creditaccount_change", pk)


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
    list_select_related = ["user"]


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    readonly_fields = ["razorpay_refund_id", "amount_paise", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "user",
        "razorpay_order_id",
        "amount_paise",
        "status",
        "refunded_paise",
        "dispute_status",
        "revoked_at",
    ]
    list_filter = ["status", "dispute_status"]
    inlines = [RefundInline]
    search_fields = ["user__email", "razorpay_order_id", "razorpay_payment_id"]
    list_select_related = ["user"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "event_type", "event_id", "outcome"]
    list_filter = ["event_type"]
    search_fields = ["event_id"]
