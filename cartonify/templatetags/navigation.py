"""The site's navigation links, rendered once per process for signed-in and signed-out visitors.

They hold no user data and no token, only reversed URLs, and reversing them was about half
of rendering a gallery page whose grid is cached.
"""

import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_links(context) -> str:
    user = context.get("user")
    return rendered_nav_links(bool(user and user.is_authenticated), get_script_prefix())


@functools.cache
def rendered_nav_links(signed_in: bool, script_prefix: str) -> str:
    return render_to_string("partials/nav_links.html", {"signed_in": signed_in})


@receiver(setting_changed)
def _forget_rendered_nav_links(**kwargs) -> None:
    # Tests that swap the URLconf or the templates must not see another one's links.
    rendered_nav_links.cache_clear()
