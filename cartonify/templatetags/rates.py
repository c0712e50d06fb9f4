from django import template

from core.ratelimits import rate_parts

register = template.Library()


@register.filter
def rate_in_words(rate: str, things: str = "requests") -> str:
    """{{ "10/h"|rate_in_words:"generations" }} → "10 generations an hour"."""
    count, per = rate_parts(rate)
    return f"{count} {things} {per}"
