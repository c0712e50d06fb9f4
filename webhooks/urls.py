from django.urls import include, path

from . import views

pages = [
    path("account/webhook-secret/rotate/", views.secret_rotate, name="secret_rotate"),
]

urlpatterns = [path("", include((pages, "webhooks")))]
