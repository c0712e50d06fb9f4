"""Generation announces its state changes after they commit; jobs with a webhook get a
delivery. Only the hand-over lives here: the work is in services."""

from . import services
from .models import Event


def on_generation_started(sender, *, generation_id: int, **kwargs) -> None:
    services.delivery_create(generation_id=generation_id, event=Event.STARTED)


def on_generation_finished(sender, *, generation_id: int, **kwargs) -> None:
    services.delivery_create(generation_id=generation_id, event=Event.COMPLETED)
