from django.urls import include, path

from . import views
from .api import api

pages = [
    path("account/api-keys/", views.key_list, name="key_list"),
    path("account/api-keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
    path("account/usage/", views.usage_page, name="usage"),
]

# No app_name here: the pages get the "apikeys" namespace and the API keeps its own
# top-level "api-v1" namespace, which ninja's docs page reverses.
urlpatterns = [
    path("", include((pages, "apikeys"))),
    path("api/v1/", api.urls),
]
