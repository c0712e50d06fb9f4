from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from cartonify.admin_lists import LargeTableAdmin

from . import services
from .exceptions import ShareRefused
from .models import Share


class HideForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with your name; the owner sees it on their output's page.",
    )


@admin.register(Share)
class ShareAdmin(LargeTableAdmin):
    """Shares are made and ended by their owners; staff look, and hide with a reason."""

    list_display = ["id", "preview", "owner", "show_prompt", "created_at", "hidden_at", "hidden_by"]
    list_filter = [
        ("hidden_at", admin.EmptyFieldListFilter),
        "show_prompt",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["output__generation__prompt", "output__user__email", "token"]
    list_select_related = ["output__user", "hidden_by"]
    fields = [
        "preview",
        "owner",
        "public_link",
        "show_prompt",
        "created_at",
        "hide_link",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Preview")
    def preview(self, obj):
        url = reverse("generation:admin_output_file", args=[obj.output_id])
        if obj.is_video:
            return format_html('<video src="{}" width="64" muted loop></video>', url)
        return format_html('<img src="{}" width="64" height="64" style="object-fit:cover">', url)

    @admin.display(description="Owner", ordering="output__user__email")
    def owner(self, obj):
        url = reverse("admin:accounts_user_change", args=[obj.output.user_id])
        return format_html('<a href="{}">{}</a>', url, obj.output.user)

    @admin.display(description="Public page")
    def public_link(self, obj):
        if obj.is_hidden:
            return "Hidden: answers 404"
        url = reverse("sharing:page", args=[obj.token])
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description="Moderation")
    def hide_link(self, obj):
        if obj.is_hidden:
            return "Hidden"
        url = reverse("admin:sharing_share_hide", args=[obj.pk])
        return format_html('<a href="{}">Hide from public pages (with a reason)</a>', url)

    def get_urls(self):
        hide = path(
            "<int:pk>/hide/",
            self.admin_site.admin_view(self.hide_view),
            name="sharing_share_hide",
        )
        return [hide, *super().get_urls()]

    def hide_view(self, request, pk):
        if not request.user.has_perm("sharing.change_share"):
            raise PermissionDenied
        share = get_object_or_404(Share.objects.select_related("output__user"), pk=pk)
        form = HideForm(request.POST or None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                services.share_hide(share=share, by=request.user, reason=reason)
            except ShareRefused as refused:
                form.add_error(None, str(refused))
            else:
                self.log_change(request, share, f"Hidden: {reason}")
                messages.success(request, f"{share} is hidden: {reason}")
                return redirect("admin:sharing_share_change", pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Hide {share} from public pages",
            "share": share,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "sharing/admin_hide.html", context)
