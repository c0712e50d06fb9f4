from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.admin_lists import LargeTableAdmin

from . import services
from .exceptions import ShareRefused
from .models import Share


class HideForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with your name; the owner sees it on their output's page.",
    )


class UnhideForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with your name in the share's history, beside the hide it lifts.",
    )


def _hide_record(share: Share) -> str:
    """Who hid `share`, when and why, for the history once the row no longer says."""
    by = share.hidden_by or "a deleted account"
    return f"hidden {share.hidden_at:%Y-%m-%d %H:%M %Z} by {by}: {share.hidden_reason}"


@admin.register(Share)
class ShareAdmin(LargeTableAdmin):
    """Shares are made and ended by their owners; staff look, and hide or unhide them
    with a reason."""

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
        "moderation",
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
    def moderation(self, obj):
        if obj.can_hide:
            url = reverse("admin:sharing_share_hide", args=[obj.pk])
            return format_html('<a href="{}">Hide from public pages (with a reason)</a>', url)
        if obj.can_unhide:
            url = reverse("admin:sharing_share_unhide", args=[obj.pk])
            return format_html('Hidden. <a href="{}">Unhide (with a reason)</a>', url)
        return ""

    def get_urls(self):
        hide = path(
            "<int:pk>/hide/",
            self.admin_site.admin_view(self.hide_view),
            name="sharing_share_hide",
        )
        unhide = path(
            "<int:pk>/unhide/",
            self.admin_site.admin_view(self.unhide_view),
            name="sharing_share_unhide",
        )
        return [hide, unhide, *super().get_urls()]

    def hide_view(self, request, pk):
        share = self._share_to_moderate(request, pk)
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
        title = f"Hide {share} from public pages"
        return self._moderation_page(request, share, form, title, "sharing/admin_hide.html")

    def unhide_view(self, request, pk):
        share = self._share_to_moderate(request, pk)
        form = UnhideForm(request.POST or None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            # Read before unhiding clears it: the history keeps the hide this lifts.
            lifted = _hide_record(share) if share.is_hidden else ""
            try:
                services.share_unhide(share=share)
            except ShareRefused as refused:
                form.add_error(None, str(refused))
            else:
                self.log_change(request, share, f"Unhidden: {reason} (was {lifted})")
                messages.success(request, f"{share} is back on public pages.")
                return redirect("admin:sharing_share_change", pk)
        title = f"Put {share} back on public pages"
        return self._moderation_page(request, share, form, title, "sharing/admin_unhide.html")

    def _share_to_moderate(self, request, pk) -> Share:
        if not request.user.has_perm("sharing.change_share"):
            raise PermissionDenied
        return get_object_or_404(Share.objects.select_related("output__user", "hidden_by"), pk=pk)

    def _moderation_page(self, request, share, form, title, template):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "share": share,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, template, context)
