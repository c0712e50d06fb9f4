from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("gallery/<int:pk>/share/", views.share, name="share"),
    path("gallery/<int:pk>/unshare/", views.unshare, name="unshare"),
    path("share/<str:token>/", views.share_page, name="page"),
    path("share/<str:token>/file", views.share_file, name="file"),
    path("share/<str:token>/remix/", views.remix, name="remix"),
    path("explore/", views.explore, name="explore"),
]
