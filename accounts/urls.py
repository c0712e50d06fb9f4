from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/export/", views.export_start, name="export_start"),
    path("account/export/<int:pk>/", views.export_status, name="export_status"),
    path("account/export/<int:pk>/download/", views.export_download, name="export_download"),
    path("account/defaults/", views.defaults, name="defaults"),
    path("account/close/", views.close, name="close"),
]
