"""The admin site: staff only, signed in through allauth, with TOTP set up first."""

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffAdminSite(admin.AdminSite):
    site_header = "Cartonify staff"
    site_title = "Cartonify staff"
    index_title = "Run the service"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        # Cached on the request: the admin asks several times per page.
        if not hasattr(request, "_staff_has_totp"):
            request._staff_has_totp = has_totp(request.user)
        return request._staff_has_totp

    def login(self, request, extra_context=None):
        """Sign-in happens on allauth's pages, where the TOTP step applies."""
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url, reverse("account_login"))
        if not (user.is_active and user.is_staff):
            raise PermissionDenied("The admin is for staff only.")
        if not self.has_permission(request):
            messages.warning(request, "Set up two-factor authentication to use the admin.")
            return redirect("mfa_activate_totp")
        return redirect(next_url)
