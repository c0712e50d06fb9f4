"""A user's outputs: favourite and delete."""

from django.db import transaction

from ..gallery_cache import gallery_changed
from ..models import Output


def output_set_favorite(*, user, output_id: int, favorite: bool) -> Output:
    output = Output.objects.get(pk=output_id, user=user)
    output.favorite = favorite
    output.save(update_fields=["favorite"])
    transaction.on_commit(lambda: gallery_changed(user.pk))
    return output


def output_delete(*, user, output_id: int) -> None:
    """Delete an output and, once that commits, its file (see signals.py for cascades)."""
    Output.objects.get(pk=output_id, user=user).delete()
