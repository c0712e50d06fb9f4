from django import template

from generation.checks import offline_renderer_in_use

register = template.Library()


@register.inclusion_tag("generation/partials/offline_renderer_notice.html")
def offline_renderer_notice():
    """Where pictures are made: one calm line for users when the offline renderer draws them."""
    return {"offline": offline_renderer_in_use()}


@register.inclusion_tag("admin/partials/offline_renderer_setup.html")
def offline_renderer_setup_notice():
    """For staff only (the admin index): how to switch to Replicate's models."""
    return {"offline": offline_renderer_in_use()}
