from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as BaseAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from apikeys.models import ApiKey
from billing import services as billing
from billing.models import LedgerEntry, Payment, Subscription
from generation.models import Generation, Status

from . import deletion, services
from .forms import UserAdminChangeForm, UserAdminCreationForm
from .models import User

LEDGER_LINES = 20
LATEST_GENERATIONS = 10


class ReadOnlyInline(admin.TabularInline):
    """History shown on the user's page; it is changed only through services."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SubscriptionInline(ReadOnlyInline):
    model = Subscription
    fields = ["status", "current_period_start", "current_period_end", "latest_payment"]


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["created_at", "razorpay_order_id", "amount_paise", "status", "activated_at"]


class ApiKeyInline(ReadOnlyInline):
    model = ApiKey
    fields = ["name", "masked", "created_at", "last_used_at", "revoked_at"]
    verbose_name_plural = "API keys"

    @admin.display(description="Key")
    def masked(self, obj):
        return obj.masked


class VerifiedEmailFilter(admin.SimpleListFilter):
    title = "verified email"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        verified = EmailAddress.objects.filter(verified=True).values("user_id")
        if self.value() == "yes":
            return queryset.filter(pk__in=verified)
        if self.value() == "no":
            return queryset.exclude(pk__in=verified)
        return queryset


def _generations_used():
    used = (
        Generation.objects.filter(user=OuterRef("pk"))
        .exclude(status__in=[Status.FAILED, Status.CANCELED])
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(used, output_field=IntegerField()), Value(0))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    ordering = ["email"]
    list_display = [
        "email",
        "plan",
        "balance",
        "generations_used",
        "is_staff",
        "is_active",
        "date_joined",
        "last_login",
    ]
    list_filter = [
        "credit_account__plan",
        "is_staff",
        "is_superuser",
        "is_active",
        VerifiedEmailFilter,
    ]
    search_fields = ["email"]
    readonly_fields = ["credits", "ledger", "latest_generations", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        ("Credits", {"fields": ("credits", "ledger")}),
        ("Generations", {"fields": ("latest_generations",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [SubscriptionInline, PaymentInline, ApiKeyInline]
    actions = ["make_staff", "remove_staff", "deactivate", "reset_free_quota", "adjust_credits"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                plan=Coalesce("credit_account__plan", Value("")),
                balance=Coalesce("credit_account__balance", Value(0)),
                generations_used=_generations_used(),
            )
        )

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj else []

    def has_change_permission(self, request, obj=None):
        # Read-only page and a refused password form for accounts above the actor's reach.
        if obj is not None and not obj.can_be_managed_by(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.can_be_managed_by(request.user):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # What goes with a user (their ledger, jobs, keys) is removed by account_delete,
        # not by staff deleting those records one by one: delete_user is the permission,
        # for accounts within the actor's reach (the bulk action checks no object).
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed = set()
        if any(not user.can_be_managed_by(request.user) for user in objs):
            perms_needed.add(self.opts.verbose_name)
        return deleted, counts, perms_needed, protected

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Who is staff is decided by superusers only, here as in the actions.
            fields += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return fields

    @admin.display(description="Plan", ordering="plan")
    def plan(self, obj):
        return obj.plan or "—"

    @admin.display(description="Credits", ordering="balance")
    def balance(self, obj):
        return obj.balance

    @admin.display(description="Generations used", ordering="generations_used")
    def generations_used(self, obj):
        return obj.generations_used

    @admin.display(description="Credits")
    def credits(self, obj):
        if not obj.pk:
            return ""
        return format_html(
            '{} credits ({} plan) · <a href="{}">Grant or deduct credits</a>',
            obj.balance,
            obj.plan or "no account yet, free",
            reverse("admin:accounts_user_credits", args=[obj.pk]),
        )

    @admin.display(description="Ledger (newest first)")
    def ledger(self, obj):
        if not obj.pk:
            return ""
        entries = LedgerEntry.objects.for_user(obj).select_related("created_by")[:LEDGER_LINES]
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    e.created_at.strftime("%Y-%m-%d %H:%M"),
                    e.get_kind_display(),
                    f"{e.amount:+d}",
                    e.balance_after,
                    e.reason,
                    e.created_by or "",
                )
                for e in entries
            ),
        )
        all_url = (
            reverse("admin:billing_ledgerentry_changelist") + "?" + urlencode({"q": obj.email})
        )
        return format_html(
            '<table data-testid="user-ledger"><thead><tr><th>When</th><th>Kind</th>'
            "<th>Amount</th><th>Balance</th><th>Reason</th><th>By</th></tr></thead>"
            '<tbody>{}</tbody></table><a href="{}">All ledger entries</a>',
            rows,
            all_url,
        )

    @admin.display(description="Latest generations")
    def latest_generations(self, obj):
        if not obj.pk:
            return ""
        jobs = Generation.objects.for_user(obj)[:LATEST_GENERATIONS]
        items = format_html_join(
            "",
            '<li><a href="{}">#{}</a> {} · {} · {}</li>',
            (
                (
                    reverse("admin:generation_generation_change", args=[job.pk]),
                    job.pk,
                    job.get_kind_display(),
                    job.get_status_display(),
                    job.prompt[:80],
                )
                for job in jobs
            ),
        )
        jobs_url = reverse("admin:generation_generation_changelist") + f"?user__id__exact={obj.pk}"
        return format_html(
            '<ul>{}</ul><a href="{}">See this user\'s prompts</a> · '
            '<a href="{}">All their jobs</a>',
            items,
            reverse("admin:accounts_user_prompts", args=[obj.pk]),
            jobs_url,
        )

    def delete_model(self, request, obj):
        deletion.account_delete(user=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # One by one, through the service: jobs canceled, payments kept anonymously.
        for user in queryset:
            deletion.account_delete(user=user, by=request.user)

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/credits/",
                self.admin_site.admin_view(self.credits_view),
                name="accounts_user_credits",
            ),
            path(
                "<int:pk>/prompts/",
                self.admin_site.admin_view(self.prompts_view),
                name="accounts_user_prompts",
            ),
        ]
        return urls + super().get_urls()

    def credits_view(self, request, pk):
        """Grant or deduct through billing's adjustment page, then come back here."""
        user = get_object_or_404(User, pk=pk)
        account = billing.credit_account_for(user=user)
        adjust = reverse("admin:billing_creditaccount_adjust", args=[account.pk])
        back = reverse("admin:accounts_user_change", args=[pk])
        return HttpResponseRedirect(f"{adjust}?{urlencode({'next': back})}")

    def prompts_view(self, request, pk):
        """Everything this user asked for, newest first (the old /admin/user_prompts/<id>)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        owner = get_object_or_404(User, pk=pk)
        jobs = Generation.objects.for_user(owner).only(
            "pk", "kind", "status", "prompt", "created_at", "via"
        )
        page = Paginator(jobs, 50).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Prompts of {owner}",
            "owner": owner,
            "page": page,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/user/prompts.html", context)

    def _each(self, request, queryset, operation, done: str):
        changed = 0
        for user in queryset:
            try:
                if operation(user=user, by=request.user):
                    self.log_change(request, user, done)
                    changed += 1
            except services.StaffActionRefused as refused:
                self.message_user(request, f"{user}: {refused}", messages.ERROR)
        self.message_user(request, f"{done}: {changed} user(s).", messages.SUCCESS)

    def has_superuser_permission(self, request):
        return request.user.is_superuser

    @admin.action(description="Make staff", permissions=["superuser"])
    def make_staff(self, request, queryset):
        self._each(request, queryset, services.user_make_staff, "Made staff")

    @admin.action(description="Remove staff", permissions=["superuser"])
    def remove_staff(self, request, queryset):
        self._each(request, queryset, services.user_remove_staff, "Removed staff")

    @admin.action(description="Deactivate (they can no longer sign in)", permissions=["change"])
    def deactivate(self, request, queryset):
        self._each(request, queryset, services.user_deactivate, "Deactivated")

    @admin.action(description="Reset the free quota", permissions=["change"])
    def reset_free_quota(self, request, queryset):
        reset = 0
        for user in queryset:
            try:
                entry = billing.credits_reset_free_quota(user=user, created_by=request.user)
            except billing.InvalidAdjustment as refused:
                self.message_user(request, f"{user}: {refused}", messages.ERROR)
                continue
            if entry is not None:
                self.log_change(request, user, f"Free quota reset ({entry.amount:+d} credits)")
                reset += 1
        self.message_user(request, f"Free quota reset for {reset} user(s).", messages.SUCCESS)

    @admin.action(description="Grant or deduct credits (one user)", permissions=["change"])
    def adjust_credits(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one user to adjust.", messages.WARNING)
            return None
        return redirect("admin:accounts_user_credits", queryset.get().pk)


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(BaseAuthenticatorAdmin):
    """Staff may remove a lost authenticator, never read its secret or add one by hand."""

    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.user.can_be_managed_by(request.user):
            return False
        return super().has_delete_permission(request, obj)
