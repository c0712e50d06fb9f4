from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("generation/partials/offline_renderer_notice.html")
def offline_renderer_notice():
    """On pages that show outputs: say plainly when they come from the offline renderer."""
    return {"offline": settings.GENERATION_PROVIDER == "local"}
