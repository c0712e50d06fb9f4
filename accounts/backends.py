"""The site's authentication backends: Django's and allauth's, with the signed-in user
read through accounts.user_cache."""

from functools import partial

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .user_cache import cached_user


class CachedUserMixin:
    def get_user(self, user_id):
        return cached_user(user_id, load=partial(super().get_user, user_id))


class ModelBackend(CachedUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(CachedUserMixin, AllauthBackend):
    pass
