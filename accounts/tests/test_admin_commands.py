import pytest
from django.core.management import CommandError, call_command

from accounts import services
from billing import services as billing
from billing.models import LedgerKind

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_grant_credits_writes_an_adjustment_with_the_reason(user):
    output = run("grant_credits", user.email.upper(), "10", "--reason", "conference demo")
    entry = billing.credit_account_for(user=user).entries.first()
    assert (entry.kind, entry.amount, entry.reason) == (
        LedgerKind.ADJUSTMENT,
        10,
        "conference demo",
    )
    assert "5 → 15" in output


def test_grant_credits_dry_run_changes_nothing(user):
    output = run("grant_credits", user.email, "10", "--reason", "x", "--dry-run")
    assert "dry run" in output
    assert billing.credits_balance(user=user) == 5


def test_grant_credits_refuses_to_go_below_zero(user):
    with pytest.raises(CommandError, match="cannot go down by 9"):
        run("grant_credits", user.email, "-9", "--reason", "oops")


def test_grant_credits_needs_a_known_user(db):
    with pytest.raises(CommandError, match="No user"):
        run("grant_credits", "nobody@example.com", "1", "--reason", "x")


def test_make_staff_and_remove(user):
    run("make_staff", user.email)
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    run("make_staff", user.email, "--remove")
    user.refresh_from_db()
    assert not user.is_staff


def test_make_staff_dry_run_changes_nothing(user):
    assert "dry run" in run("make_staff", user.email, "--dry-run")
    user.refresh_from_db()
    assert not user.is_staff


@pytest.mark.parametrize("command", ["grant_credits", "make_staff"])
def test_commands_have_help(command, capsys):
    with pytest.raises(SystemExit):
        call_command(command, "--help")
    assert "--dry-run" in capsys.readouterr().out


def test_only_superusers_change_who_is_staff(make_user, user):
    helper = make_user(is_staff=True)
    with pytest.raises(services.StaffActionRefused):
        services.user_make_staff(user=user, by=helper)
    with pytest.raises(services.StaffActionRefused):
        services.user_remove_staff(user=helper, by=helper)


def test_deactivated_users_are_not_made_staff(make_user, user):
    user.is_active = False
    user.save()
    with pytest.raises(services.StaffActionRefused):
        services.user_make_staff(user=user, by=make_user(is_staff=True, is_superuser=True))


def test_staff_cannot_deactivate_themselves_or_a_superuser(make_user):
    helper = make_user(is_staff=True)
    boss = make_user(is_staff=True, is_superuser=True)
    with pytest.raises(services.StaffActionRefused):
        services.user_deactivate(user=helper, by=helper)
    with pytest.raises(services.StaffActionRefused):
        services.user_deactivate(user=boss, by=helper)
