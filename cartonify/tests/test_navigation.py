"""The navigation and the head's asset links are rendered once per process (signed-in and
signed-out visitors each get their own navigation)."""

from django.urls import reverse

from cartonify.templatetags.fragments import rendered_once


def test_a_signed_out_visitor_sees_no_links_to_private_pages(client, user):
    client.force_login(user)
    client.get(reverse("generation:gallery"))  # the signed-in links rendered first
    client.logout()

    page = client.get(reverse("sharing:explore")).content.decode()

    assert f'href="{reverse("sharing:explore")}"' in page
    assert f'href="{reverse("generation:gallery")}"' not in page


def test_a_signed_in_visitor_sees_the_links_to_their_pages(client, user):
    client.get(reverse("sharing:explore"))  # the signed-out links rendered first
    client.force_login(user)

    page = client.get(reverse("sharing:explore")).content.decode()

    assert f'href="{reverse("generation:gallery")}"' in page
    assert f'href="{reverse("apikeys:usage")}"' in page


def test_the_fixed_fragments_are_rendered_once_for_many_pages(client, user):
    rendered_once.cache_clear()
    client.force_login(user)
    for _ in range(3):
        client.get(reverse("generation:gallery"))

    assert rendered_once.cache_info().misses == 2  # the head's assets and the navigation


def test_the_head_links_the_stylesheet_scripts_and_manifest(client, db):
    page = client.get(reverse("sharing:explore")).content.decode()

    assert 'rel="stylesheet" href="/static/css/site.css"' in page
    assert 'src="/static/js/htmx.min.js" defer' in page
    assert f'rel="manifest" href="{reverse("manifest")}"' in page
