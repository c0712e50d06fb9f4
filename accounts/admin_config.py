from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """django.contrib.admin with our site: staff with TOTP only."""

    default_site = "accounts.admin_site.StaffAdminSite"
