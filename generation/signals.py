import logging

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver

from .gallery_cache import gallery_changed
from .models import Generation, Output

logger = logging.getLogger(__name__)

# Sent after the commit that moved a job to running / to its final state, with
# `generation_id`. Other apps (webhooks) listen; a failing receiver never fails the job.
generation_started = Signal()
generation_finished = Signal()


def announce(signal: Signal, *, generation_id: int) -> None:
    """Send `signal` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _send(signal, generation_id))


def _send(signal: Signal, generation_id: int) -> None:
    for receiver_func, result in signal.send_robust(sender=Generation, generation_id=generation_id):
        if isinstance(result, Exception):
            logger.error(
                "%s failed for generation %s", receiver_func, generation_id, exc_info=result
            )


# A receiver rather than a service: outputs also go when their job or their
# owner is deleted (database cascades), and their files must go with them.
@receiver(post_delete, sender=Output)
def delete_output_file(sender, instance, **kwargs):
    name, storage = instance.file.name, instance.file.storage
    if name:
        # robust: a store that is down leaves an orphan object, never a failed delete.
        transaction.on_commit(lambda: storage.delete(name), robust=True)
    transaction.on_commit(lambda: gallery_changed(instance.user_id))


@receiver(post_delete, sender=Generation)
def delete_source_file(sender, instance, **kwargs):
    for upload in (instance.source_file, instance.mask_file):
        name, storage = upload.name, upload.storage
        if name:
            transaction.on_commit(
                lambda name=name, storage=storage: storage.delete(name), robust=True
            )
