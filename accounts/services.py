"""Staff operations on accounts. The admin and the management commands call these."""

from importlib import import_module

from django.conf import settings
from django.db import transaction

from .models import User


class StaffActionRefused(Exception):
    """The acting staff member may not do this."""


_MAY_NOT_MANAGE = (
    "Only superusers can change a superuser, and staff only those allowed to manage staff."
)


def _require_superuser(by) -> None:
    # `by=None` is an operator at the shell (a management command), who has the database anyway.
    if by is not None and not by.is_superuser:
        raise StaffActionRefused("Only superusers can change who is staff.")


@transaction.atomic
def user_make_staff(*, user: User, by: User | None) -> bool:
    """Give `user` access to the admin; False when they already had it."""
    _require_superuser(by)
    if not user.is_active:
        raise StaffActionRefused(f"{user} is deactivated.")
    return User.objects.filter(pk=user.pk, is_staff=False).update(is_staff=True) == 1


@transaction.atomic
def user_remove_staff(*, user: User, by: User | None) -> bool:
    """Take admin access (and superuser rights) away; False when `user` had none."""
    _require_superuser(by)
    if by is not None and user.pk == by.pk:
        raise StaffActionRefused("You cannot remove your own staff access.")
    return (
        User.objects.filter(pk=user.pk, is_staff=True).update(is_staff=False, is_superuser=False)
        == 1
    )


@transaction.atomic
def user_deactivate(*, user: User, by: User | None) -> bool:
    """Stop `user` from signing in; their data stays. False when already inactive."""
    if by is not None and user.pk == by.pk:
        raise StaffActionRefused("You cannot deactivate yourself.")
    if by is not None and not user.can_be_managed_by(by):
        raise StaffActionRefused(_MAY_NOT_MANAGE)
    return User.objects.filter(pk=user.pk, is_active=True).update(is_active=False) == 1


def sessions_clear_expired() -> None:
    """Delete expired sessions from the store, with any one-time codes they still hold."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
