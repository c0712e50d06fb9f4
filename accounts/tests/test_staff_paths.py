"""Every staff-only page asks for TOTP, like the admin itself (issue 14, finding 1).

Staff-only pages live under /admin/ or /staff/; the walk below finds every URL pattern
there, so a page added later is covered without editing this file.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from generation.tests.factories import OutputFactory
from testing.mfa import log_in_as_staff

pytestmark = pytest.mark.django_db

STAFF_PREFIXES = ("admin/", "staff/")
# Signing out is open to everyone signed in: it shows nothing and changes nothing of staff's.
OPEN_TO_ALL = {"/admin/logout/"}
_GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)")
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _concrete(pattern: str, pk: int) -> str:
    """A path matching `pattern`: ids become `pk`, a choice of words its first word."""

    def group(match):
        choices = match.group(2).split("|")
        return choices[0] if re.fullmatch(r"[\w-]+", choices[0]) else str(pk)

    path = _GROUP.sub(group, pattern)
    path = _CONVERTER.sub(str(pk), path)
    return path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _staff_paths(pk: int) -> list[str]:
    staff_routes = [r for r in _patterns() if r.lstrip("^").startswith(STAFF_PREFIXES)]
    return sorted({"/" + _concrete(route, pk) for route in staff_routes})


def test_the_walk_finds_the_admin_and_the_staff_output_file():
    paths = _staff_paths(7)

    assert "/admin/" in paths
    assert "/staff/outputs/7/file/" in paths
    assert len(paths) > 50


def test_every_staff_only_page_refuses_staff_without_totp(client, make_user):
    output = OutputFactory()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    refusals = (reverse("admin:login"), reverse("mfa_activate_totp"))
    admitted = []
    for path in sorted(set(_staff_paths(output.pk)) - OPEN_TO_ALL):
        # A staff address that only points at another one (the old prompts URL) is followed.
        response = client.get(path)
        while response.status_code == 302 and response.url.startswith("/admin/"):
            if response.url.startswith(refusals):
                break
            response = client.get(response.url)
        if response.status_code != 302 or not response.url.startswith(refusals):
            admitted.append((path, response.status_code))

    assert admitted == []


def test_staff_with_totp_get_the_staff_output_file(client, make_user):
    output = OutputFactory()
    log_in_as_staff(client, make_user(is_staff=True))

    response = client.get(reverse("generation:admin_output_file", args=[output.pk]))

    assert response.status_code == 200


def test_staff_without_totp_do_not_get_an_output_file(client, make_user):
    output = OutputFactory()
    client.force_login(make_user(is_staff=True))

    response = client.get(reverse("generation:admin_output_file", args=[output.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
