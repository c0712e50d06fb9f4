"""Fragments that depend on nothing of the request, rendered once per process.

The navigation links (one rendering for signed-in visitors, one for the others) and the
head's stylesheet, icon and script links hold no user data and no token, only reversed
and static URLs, and building those URLs was about half of rendering a gallery page
whose grid is cached.
"""

import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix

register = template.Library()


@register.simple_tag
def once(template_name: str, **context) -> str:
    """`{% once "partials/nav_links.html" signed_in=user.is_authenticated %}`: the template
    rendered with these plain values (never request data) once per process."""
    return rendered_once(template_name, get_script_prefix(), tuple(sorted(context.items())))


@functools.cache
def rendered_once(template_name: str, script_prefix: str, context: tuple) -> str:
    return render_to_string(template_name, dict(context))


@receiver(setting_changed)
def _forget_rendered(**kwargs) -> None:
    # Tests that swap the URLconf, the templates or the static storage see their own.
    rendered_once.cache_clear()
