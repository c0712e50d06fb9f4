"""The navigation is rendered once per process for each of signed-in and signed-out visitors."""

from django.urls import reverse

from cartonify.templatetags.navigation import rendered_nav_links


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


def test_the_links_are_rendered_once_per_visitor_kind(client, user):
    rendered_nav_links.cache_clear()
    client.force_login(user)
    for _ in range(3):
        client.get(reverse("generation:gallery"))

    assert rendered_nav_links.cache_info().misses == 1
