"""Sharing an output, unsharing it, hiding and unhiding it (staff) and remixing it."""

from urllib.parse import urlencode

from django.db import transaction
from django.utils import timezone

from generation import services as generation
from generation.models import Kind, Output

from .exceptions import ShareRefused
from .models import Share


@transaction.atomic
def share_create(*, output: Output, show_prompt: bool) -> Share:
    """Share `output` (the caller checked it is the user's). Sharing it again keeps its
    address and takes the new prompt choice; a share staff hid stays hidden."""
    share, created = Share.objects.select_for_update().get_or_create(
        output=output, defaults={"show_prompt": show_prompt}
    )
    if share.is_hidden:
        raise ShareRefused(share.unshare_refusal)
    if not created and share.show_prompt != show_prompt:
        share.show_prompt = show_prompt
        share.save(update_fields=["show_prompt"])
    return share


def share_delete(*, share: Share) -> None:
    """Unshare: the address answers 404 from the next request on."""
    if not share.can_unshare:
        raise ShareRefused(share.unshare_refusal)
    # Conditional, so a hide that lands meanwhile is kept rather than deleted with the row.
    deleted, _ = Share.objects.filter(pk=share.pk, hidden_at__isnull=True).delete()
    if not deleted:
        raise ShareRefused(Share.HIDDEN_REFUSAL)


def share_hide(*, share: Share, by, reason: str) -> Share:
    """Staff take a share off every public page, saying why; recorded with who and when."""
    if not share.can_hide:
        raise ShareRefused(share.hide_refusal)
    if not reason.strip():
        raise ShareRefused("Say why this is hidden.")
    now = timezone.now()
    # A conditional update: of two staff hiding at once, the first reason is kept.
    hidden = Share.objects.filter(pk=share.pk, hidden_at__isnull=True).update(
        hidden_at=now, hidden_by=by, hidden_reason=reason.strip()
    )
    if not hidden:
        raise ShareRefused(Share.ALREADY_HIDDEN)
    share.refresh_from_db()
    return share


def share_unhide(*, share: Share) -> Share:
    """Staff put a hidden share back on the public pages. The hide's who, when and why
    are cleared from the row (the owner no longer sees them); the caller records them
    in the admin's history."""
    if not share.can_unhide:
        raise ShareRefused(share.unhide_refusal)
    # Conditional, like hiding: of two staff unhiding at once, one succeeds.
    unhidden = Share.objects.filter(pk=share.pk, hidden_at__isnull=False).update(
        hidden_at=None, hidden_by=None, hidden_reason=""
    )
    if not unhidden:
        raise ShareRefused(Share.NOT_HIDDEN)
    share.refresh_from_db()
    return share


def share_remix_query(*, share: Share) -> str:
    """The generator's query string prefilled with a share's settings; the prompt only
    when its owner chose to show it."""
    job = share.output.generation
    settings = generation.request_from(job)
    params = {
        "kind": Kind.VIDEO if job.kind == Kind.VIDEO else Kind.IMAGE,
        "style": settings.style,
        "color": settings.color,
        "size": settings.size,
        "shape": settings.shape,
        "quality": settings.quality,
        "count": settings.count,
    }
    if share.show_prompt:
        params["prompt"] = job.prompt
    return urlencode({name: value for name, value in params.items() if value not in ("", None)})
