import pytest

from accounts.tests.factories import UserFactory
from sharing import services
from sharing.exceptions import ShareRefused
from sharing.models import Share
from sharing.tests.factories import ShareFactory

pytestmark = pytest.mark.django_db


def test_a_hide_that_lands_while_the_owner_unshares_is_kept():
    loaded_by_owner = ShareFactory()
    staff = UserFactory(is_staff=True)
    services.share_hide(share=Share.objects.get(pk=loaded_by_owner.pk), by=staff, reason="spam")

    with pytest.raises(ShareRefused):
        services.share_delete(share=loaded_by_owner)

    assert Share.objects.get(pk=loaded_by_owner.pk).hidden_reason == "spam"


def test_a_share_staff_hid_cannot_be_shared_again():
    share = ShareFactory(output__generation__prompt="x")
    services.share_hide(share=share, by=UserFactory(is_staff=True), reason="spam")

    with pytest.raises(ShareRefused, match="Staff hid this"):
        services.share_create(output=share.output, show_prompt=True)

    assert Share.objects.get(pk=share.pk).show_prompt is False


def test_an_unhidden_share_can_be_unshared_by_its_owner_again():
    share = ShareFactory()
    services.share_hide(share=share, by=UserFactory(is_staff=True), reason="spam")

    services.share_unhide(share=share)
    services.share_delete(share=share)

    assert not Share.objects.filter(pk=share.pk).exists()


def test_unhiding_a_share_someone_else_just_unhid_is_refused():
    share = ShareFactory()
    services.share_hide(share=share, by=UserFactory(is_staff=True), reason="spam")
    loaded_by_second_moderator = Share.objects.get(pk=share.pk)
    services.share_unhide(share=share)

    with pytest.raises(ShareRefused, match="not hidden"):
        services.share_unhide(share=loaded_by_second_moderator)
