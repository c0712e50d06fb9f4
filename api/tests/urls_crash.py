"""The site's URLs plus one API address that crashes, for the error-shape tests."""

from django.urls import path

from cartonify.urls import urlpatterns as site_urlpatterns


def crash(request):
    raise RuntimeError("an unexpected bug")


urlpatterns = [path("api/v1/crash", crash), *site_urlpatterns]
