"""Staff pages outside /admin/, guarded by whatever admin site the project configures."""

import functools

from django.contrib import admin


def staff_view(view):
    """Guard a staff page that lives outside /admin/ exactly as the admin guards its own.

    `staff_member_required` alone lets in staff who never set up TOTP; the admin site's
    `admin_view` applies its `has_permission` (ours: accounts.admin_site, TOTP first) and
    never-cache and CSRF instead.
    """

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        # Looked up per request: the default site is built lazily, after the URLconf.
        return admin.site.admin_view(view)(request, *args, **kwargs)

    return guarded
