"""Closing an account: jobs canceled with their credits settled, files and keys gone,
payments kept for accounting with nothing that says whose they were."""

import contextlib
import logging

from django.db import transaction

from billing import services as billing
from generation import services as generation
from generation.exceptions import JobStateConflict
from generation.models import Generation

from . import exports
from .models import User

logger = logging.getLogger(__name__)


def account_delete(*, user: User, by: User) -> None:
    """Delete `user` and everything that is theirs. Providers are called (remote jobs
    canceled) before the one transaction that removes the account."""
    for job in Generation.objects.for_user(user).filter(status__in=Generation.UNFINISHED):
        # A job that ended meanwhile goes with the account like any other.
        with contextlib.suppress(JobStateConflict):
            generation.generation_cancel(generation=job, by=by)
    user_id = user.pk
    with transaction.atomic():
        billing.payments_anonymise(user=user)
        exports.exports_delete(exports=user.exports.all())
        # Cascades take the jobs, outputs (their files go on commit: generation.signals),
        # API keys and their usage, the credit ledger, sessions' user and email addresses.
        user.delete()
    logger.info("account %s closed", user_id)
