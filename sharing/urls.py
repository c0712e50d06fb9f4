from django.urls import path

from . import views

app_name = "sharing"

# Tokens are secrets.token_urlsafe: letters, digits, "-" and "_", which is what <slug:>
# matches; anything else (a NUL byte, say) is not found before it reaches the database.
urlpatterns = [
    path("gallery/<int:pk>/share/", views.share, name="share"),
    path("gallery/<int:pk>/unshare/", views.unshare, name="unshare"),
    path("share/<slug:token>/", views.share_page, name="page"),
    path("share/<slug:token>/file", views.share_file, name="file"),
    path("share/<slug:token>/remix/", views.remix, name="remix"),
    path("explore/", views.explore, name="explore"),
]
