from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from api import api
from sharing.views import home

from . import health, pwa

urlpatterns = [
    path("", home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    # The original app's address for a user's prompts, now a page of the user admin.
    path(
        "admin/user_prompts/<int:pk>",
        RedirectView.as_view(pattern_name="admin:accounts_user_prompts"),
    ),
    path("admin/", admin.site.urls),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    # allauth's sign-out, which also clears what the service worker kept.
    path("accounts/logout/", pwa.SignOutView.as_view(), name="account_logout"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("generation.urls")),
    path("", include("billing.urls")),
    path("", include("apikeys.urls")),
    path("", include("sharing.urls")),
    path("", include("webhooks.urls")),
    # ninja gives the API its own top-level "api-v1" namespace, which its docs page reverses.
    path("api/v1/", api.urls),
    path("", include("api.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "cartonify.errors.server_error"
