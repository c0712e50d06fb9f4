from django import template

register = template.Library()

THEME_COOKIE = "theme"
THEMES = ("light", "dark")


@register.simple_tag(takes_context=True)
def chosen_theme(context) -> str:
    """The theme the user picked with the switch, or "" to follow the system setting.
    The cookie is set by static/js/site.js; anything else in it is ignored."""
    request = context.get("request")
    value = request.COOKIES.get(THEME_COOKIE, "") if request else ""
    return value if value in THEMES else ""
