"""The installable web app: its manifest, its service worker and the page shown offline.

The service worker keeps only the static shell and the offline page, which hold nothing
of any user's; private pages and outputs always come from the network. Signing out
tells the browser to drop what it kept (Clear-Site-Data)."""

import hashlib
import json

from allauth.account.views import LogoutView
from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

THEME_COLOR = "#5b4bdb"
BACKGROUND_COLOR = "#f7f6fb"
SHELL = ["css/site.css", "js/site.js", "js/htmx.min.js", "img/favicon.svg", "img/icon-192.png"]


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request):
    icon = {"type": "image/png", "purpose": "any"}
    body = {
        "id": "/",
        "name": "Cartonify",
        "short_name": "Cartonify",
        "description": "Images and short videos from your words.",
        "start_url": reverse("generation:generate"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {**icon, "src": static("img/icon-192.png"), "sizes": "192x192"},
            {**icon, "src": static("img/icon-512.png"), "sizes": "512x512"},
            {
                **icon,
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")


def shell_urls() -> list[str]:
    return [reverse("offline"), *(static(path) for path in SHELL)]


@require_GET
@never_cache  # the browser checks for a new worker on every visit
def service_worker(request):
    urls = shell_urls()
    # A new list of files (hashed static names after a deploy) is a new cache.
    version = hashlib.sha256("\n".join(urls).encode()).hexdigest()[:12]
    context = {"urls": json.dumps(urls), "cache_name": json.dumps(f"shell-{version}")}
    return render(request, "sw.js", context, content_type="text/javascript")


@require_GET
@cache_control(max_age=3600, public=True)
def offline(request):
    """The same for everyone: it is kept on the device."""
    return render(request, "offline.html")


class SignOutView(LogoutView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
