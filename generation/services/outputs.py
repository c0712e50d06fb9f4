"""A user's outputs: favourite and delete."""

from django.db import transaction

from ..gallery_cache import gallery_changed
from ..models import Output


def output_set_favorite(*, output: Output, favorite: bool) -> Output:
    output.favorite = favorite
    output.save(update_fields=["favorite"])
    transaction.on_commit(lambda: gallery_changed(output.user_id))
    return output


def output_delete(*, output: Output) -> None:
    """Delete an output and, once that commits, its file (see signals.py for cascades)."""
    output.delete()
