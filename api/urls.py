"""The original service's endpoints, beside the versioned API (mounted by cartonify/urls.py)."""

from django.urls import path

from . import transform

urlpatterns = [
    path("api/transform", transform.transform, name="api_transform"),
    path("api/files/<str:token>", transform.transform_file, name="api_transform_file"),
]
