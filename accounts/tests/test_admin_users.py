import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from accounts.models import User
from apikeys.models import ApiKey
from billing import services as billing
from billing.models import LedgerKind, Payment
from generation.models import Status
from generation.tests.factories import GenerationFactory
from testing.credits import reserve
from testing.mfa import log_in_as_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:accounts_user_changelist")


@pytest.fixture
def superuser(make_user):
    return make_user(email="boss@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def boss(client, superuser):
    log_in_as_staff(client, superuser)
    return client


@pytest.fixture
def staff_member(make_user):
    return make_user(email="helper@example.com", is_staff=True)


@pytest.fixture
def helper(client, staff_member):
    """A staff member who is not a superuser, with the permission to change users."""
    from django.contrib.auth.models import Permission

    staff_member.user_permissions.add(*Permission.objects.filter(codename__endswith="_user"))
    log_in_as_staff(client, staff_member)
    return client


def act(client, action, *users, **extra):
    data = {"action": action, "_selected_action": [u.pk for u in users], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_user_list_shows_plan_credits_and_generations_used(boss, user):
    billing.credit_account_for(user=user)
    GenerationFactory.create_batch(2, user=user)
    GenerationFactory(user=user, status=Status.FAILED)
    response = boss.get(CHANGELIST, {"q": user.email})
    result = response.context["cl"].result_list.get()
    assert (result.email, result.plan, result.balance, result.generations_used) == (
        user.email,
        "free",
        5,
        2,
    )


def test_user_search_finds_by_email(boss, make_user):
    make_user(email="findme@example.com")
    make_user(email="other@example.com")
    response = boss.get(CHANGELIST, {"q": "findme"})
    assert [u.email for u in response.context["cl"].result_list] == ["findme@example.com"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"verified": "no"}, ["unverified@example.com"]),
        ({"is_staff__exact": "1"}, ["boss@example.com"]),
        ({"credit_account__plan": "free"}, ["verified@example.com"]),
    ],
)
def test_user_filters(boss, make_user, params, expected):
    make_user(email="unverified@example.com", verified_email=False)
    billing.credit_account_for(user=make_user(email="verified@example.com"))
    response = boss.get(CHANGELIST, params)
    assert [u.email for u in response.context["cl"].result_list] == expected


def test_user_page_shows_ledger_payments_keys_and_latest_jobs(boss, user):
    billing.credits_adjust(user=user, amount=3, reason="a goodwill gesture", created_by=None)
    Payment.objects.create(
        user=user, razorpay_order_id="order_X1", amount_paise=50000, currency="INR"
    )
    ApiKey.objects.create(user=user, name="nightly", prefix="abcd1234", digest="0" * 64)
    GenerationFactory(user=user, prompt="a cat in a hat")
    page = boss.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    for text in ["a goodwill gesture", "order_X1", "nightly", "a cat in a hat", "8 credits"]:
        assert text in page


def test_superuser_makes_and_removes_staff_and_it_is_logged(boss, user):
    act(boss, "make_staff", user)
    user.refresh_from_db()
    assert user.is_staff
    act(boss, "remove_staff", user)
    user.refresh_from_db()
    assert not user.is_staff
    messages = list(
        LogEntry.objects.filter(object_id=str(user.pk)).values_list("change_message", flat=True)
    )
    assert messages == ["Removed staff", "Made staff"]


def test_staff_who_are_not_superusers_cannot_make_staff(helper, user):
    response = act(helper, "make_staff", user)
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.is_staff
    actions = [name for name, _ in response.context["action_form"].fields["action"].choices]
    assert "make_staff" not in actions and "remove_staff" not in actions


def test_staff_who_are_not_superusers_cannot_tick_is_staff(helper, user):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = helper.get(url).context["adminform"].form
    assert "is_staff" not in form.fields and "is_superuser" not in form.fields


def test_a_superuser_cannot_remove_their_own_staff_access(boss, superuser):
    response = act(boss, "remove_staff", superuser)
    assert "cannot remove your own" in response.content.decode()
    superuser.refresh_from_db()
    assert superuser.is_staff


def test_deactivate_stops_the_user_signing_in(boss, client, user):
    act(boss, "deactivate", user)
    assert not User.objects.get(pk=user.pk).is_active


def test_reset_free_quota_writes_a_reset_to_the_ledger(boss, user, superuser):
    reserve(user=user, amount=1, reference="generation:1", reason="job")
    act(boss, "reset_free_quota", user)
    entry = billing.credit_account_for(user=user).entries.first()
    assert (entry.kind, entry.amount, entry.balance_after) == (LedgerKind.RESET, 1, 5)
    assert entry.created_by == superuser


def test_grant_credits_action_goes_through_billing_adjustment_and_back(boss, user, superuser):
    response = act(boss, "adjust_credits", user)
    adjust_url = response.redirect_chain[-1][0]
    assert adjust_url.startswith(
        reverse("admin:billing_creditaccount_adjust", args=[user.credit_account.pk])
    )

    response = boss.post(
        adjust_url, {"amount": "10", "reason": "sorry for the outage"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("admin:accounts_user_change", args=[user.pk])
    assert "sorry for the outage" in response.content.decode()
    entry = user.credit_account.entries.first()
    assert (entry.kind, entry.amount, entry.created_by) == (LedgerKind.ADJUSTMENT, 10, superuser)
    assert LogEntry.objects.filter(change_message__contains="sorry for the outage").exists()


def test_deducting_more_than_the_balance_is_refused(boss, user):
    account = billing.credit_account_for(user=user)
    url = reverse("admin:billing_creditaccount_adjust", args=[account.pk])
    response = boss.post(url, {"amount": "-6", "reason": "too much"})
    assert "cannot go down by 6" in response.content.decode()
    assert billing.credits_balance(user=user) == 5


def test_grant_credits_action_wants_exactly_one_user(boss, user, make_user):
    response = act(boss, "adjust_credits", user, make_user())
    assert "Select exactly one user" in response.content.decode()


def test_user_prompts_page_lists_only_that_users_prompts(boss, user, make_user):
    GenerationFactory(user=user, prompt="a fox in the snow")
    GenerationFactory(user=make_user(), prompt="someone else's idea")
    page = boss.get(reverse("admin:accounts_user_prompts", args=[user.pk])).content.decode()
    assert "a fox in the snow" in page and "someone else" not in page


def test_user_page_links_to_the_prompts_page(boss, user):
    page = boss.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert reverse("admin:accounts_user_prompts", args=[user.pk]) in page


def test_the_original_user_prompts_address_still_works(boss, user):
    response = boss.get(f"/admin/user_prompts/{user.pk}")
    assert response.url == reverse("admin:accounts_user_prompts", args=[user.pk])
