from django.urls import include, path

from . import views

pages = [
    path("account/api-keys/", views.key_list, name="key_list"),
    path("account/api-keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
    path("account/usage/", views.usage_page, name="usage"),
]

urlpatterns = [path("", include((pages, "apikeys")))]
