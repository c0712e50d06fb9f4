"""The owner's share controls and the public page at the share's address."""

import re

import httpx
import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from generation.models import OutputKind
from generation.tests.factories import OutputFactory
from sharing.models import Share
from sharing.tests.factories import ShareFactory

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.fixture
def output(user):
    return OutputFactory(generation__user=user, generation__prompt="a secret lighthouse")


def test_owner_shares_an_output_at_an_unguessable_address(signed_in, output):
    response = signed_in.post(reverse("sharing:share", args=[output.pk]))

    share = Share.objects.get(output=output)
    assert response.status_code == 302
    assert len(share.token) >= 43 and str(output.pk) != share.token
    assert share.show_prompt is False
    page = signed_in.get(reverse("generation:output_detail", args=[output.pk])).content.decode()
    assert reverse("sharing:page", args=[share.token]) in page


def test_sharing_twice_keeps_the_address_and_takes_the_new_prompt_choice(signed_in, output):
    signed_in.post(reverse("sharing:share", args=[output.pk]))
    token = Share.objects.get(output=output).token

    signed_in.post(reverse("sharing:share", args=[output.pk]), {"show_prompt": "on"})

    share = Share.objects.get(output=output)
    assert share.token == token and share.show_prompt is True


def test_public_page_shows_the_image_with_link_preview_tags(client, output):
    share = ShareFactory(output=output)

    response = client.get(reverse("sharing:page", args=[share.token]))

    page = response.content.decode()
    file_url = f"http://testserver{reverse('sharing:file', args=[share.token])}"
    assert response.status_code == 200
    assert f'<meta property="og:image" content="{file_url}">' in page
    assert '<meta property="og:type" content="website">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert '<meta property="og:title" content="A picture made with Cartonify">' in page
    assert 'data-testid="made-with"' in page and 'href="/"' in page


def test_public_page_hides_the_prompt_and_the_owner_unless_asked(client, user, output):
    share = ShareFactory(output=output)

    page = client.get(reverse("sharing:page", args=[share.token])).content.decode()

    assert "secret lighthouse" not in page
    assert user.email not in page
    assert f"/gallery/{output.pk}/" not in page
    assert f"outputs/{user.pk}/" not in page  # the stored file's name holds the owner's id


def test_public_page_shows_the_prompt_when_the_owner_chose_to(client, output):
    share = ShareFactory(output=output, show_prompt=True)

    page = client.get(reverse("sharing:page", args=[share.token])).content.decode()

    assert '<p data-testid="shared-prompt">a secret lighthouse</p>' in page
    assert '<meta property="og:title" content="a secret lighthouse">' in page


def test_a_shared_video_has_og_video_and_a_preview_image(client, user):
    video = OutputFactory(generation__user=user, kind=OutputKind.VIDEO, content_type="video/mp4")
    share = ShareFactory(output=video)

    page = client.get(reverse("sharing:page", args=[share.token])).content.decode()

    file_url = f"http://testserver{reverse('sharing:file', args=[share.token])}"
    assert f'<meta property="og:video" content="{file_url}">' in page
    assert '<meta property="og:type" content="video.other">' in page
    assert '<meta property="og:image" content="http://testserver/static/img/icon-512.png">' in page


def test_the_file_is_served_by_the_token_and_never_kept_by_a_cache(client, output):
    share = ShareFactory(output=output)

    response = client.get(reverse("sharing:file", args=[share.token]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert {"no-store", "no-cache", "max-age=0"} <= cache_control(response)
    assert str(output.pk) not in response.get("Content-Disposition", "")


def test_with_a_bucket_the_file_redirects_to_a_link_naming_neither_owner_nor_output(
    client, user, fake_s3
):
    output = OutputFactory(generation__user=user)
    share = ShareFactory(output=output)

    response = client.get(reverse("sharing:file", args=[share.token]))

    assert response.status_code == 302
    key = output.file.name
    assert re.fullmatch(r"outputs/\d{4}/\d{2}/[0-9a-f]{32}\.png", key)
    served = httpx.get(response["Location"], timeout=10)
    assert served.status_code == 200 and served.content == fake_s3.read(key)
    assert served.headers["Content-Disposition"] == 'inline; filename="cartonify.png"'


def test_the_public_page_is_never_kept_by_a_cache(client, output):
    share = ShareFactory(output=output)

    response = client.get(reverse("sharing:page", args=[share.token]))

    assert {"no-store", "no-cache", "max-age=0"} <= cache_control(response)


@pytest.mark.parametrize("name", ["sharing:page", "sharing:file"])
def test_an_address_that_never_existed_is_404(client, name):
    assert client.get(reverse(name, args=["x" * 43])).status_code == 404


@pytest.mark.parametrize("name", ["sharing:page", "sharing:file"])
def test_unsharing_takes_effect_on_the_next_request(client, user, output, name):
    share = ShareFactory(output=output)
    url = reverse(name, args=[share.token])
    assert Client().get(url).status_code == 200
    client.force_login(user)

    client.post(reverse("sharing:unshare", args=[output.pk]))

    assert Client().get(url).status_code == 404
    assert not Share.objects.filter(pk=share.pk).exists()


@pytest.mark.parametrize("name", ["sharing:page", "sharing:file"])
def test_deleting_the_output_takes_effect_on_the_next_request(client, user, output, name):
    share = ShareFactory(output=output)
    url = reverse(name, args=[share.token])
    assert Client().get(url).status_code == 200
    client.force_login(user)

    client.post(reverse("generation:output_delete", args=[output.pk]))

    assert Client().get(url).status_code == 404


def test_sharing_again_after_unsharing_makes_a_new_address(signed_in, output):
    old = ShareFactory(output=output).token
    signed_in.post(reverse("sharing:unshare", args=[output.pk]))

    signed_in.post(reverse("sharing:share", args=[output.pk]))

    new = Share.objects.get(output=output).token
    assert new != old
    assert signed_in.get(reverse("sharing:page", args=[old])).status_code == 404


@pytest.mark.parametrize("name", ["sharing:share", "sharing:unshare"])
def test_someone_elses_output_is_404(signed_in, name):
    theirs = OutputFactory(generation__user=UserFactory())
    ShareFactory(output=OutputFactory(generation__user=theirs.user))
    if name == "sharing:unshare":
        ShareFactory(output=theirs)

    response = signed_in.post(reverse(name, args=[theirs.pk]))

    assert response.status_code == 404
    assert Share.objects.filter(output=theirs).exists() is (name == "sharing:unshare")


def test_unsharing_an_output_that_is_not_shared_is_404(signed_in, output):
    assert signed_in.post(reverse("sharing:unshare", args=[output.pk])).status_code == 404


@pytest.mark.parametrize("name", ["sharing:share", "sharing:unshare"])
def test_share_controls_refuse_get(signed_in, output, name):
    ShareFactory(output=output)

    assert signed_in.get(reverse(name, args=[output.pk])).status_code == 405
    assert Share.objects.filter(output=output).exists()


@pytest.mark.parametrize("name", ["sharing:share", "sharing:unshare"])
def test_share_controls_need_the_csrf_token(user, output, name):
    if name == "sharing:unshare":
        ShareFactory(output=output)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.post(reverse(name, args=[output.pk]))

    assert response.status_code == 403
    assert Share.objects.filter(output=output).exists() is (name == "sharing:unshare")


@pytest.mark.parametrize("name", ["sharing:share", "sharing:unshare"])
def test_share_controls_need_a_signed_in_owner(client, output, name):
    response = client.post(reverse(name, args=[output.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
