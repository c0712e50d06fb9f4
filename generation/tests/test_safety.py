"""The prompt safety check: refused before anything is charged, recorded for staff."""

import pytest
from django.urls import reverse

from billing import services as billing
from generation import safety, services
from generation.exceptions import UnsafePrompt
from generation.models import Generation, RefusedPrompt, Status, Via
from generation.services import GenerationRequest
from testing.forms import generator_form
from testing.mfa import log_in_as_staff

pytestmark = pytest.mark.django_db

FORM = generator_form(prompt="a naked man on a beach")


def submit(user, prompt, **fields):
    request = GenerationRequest(kind="image", prompt=prompt, **fields)
    return services.generation_submit(user=user, request=request)


@pytest.mark.parametrize(
    "prompt, rule",
    [
        ("A NUDE figure", "sexual content"),
        ("two nudes by a lake", "sexual content"),
        ("a beheading in the square", "violence against people"),
        ("an underage girl", "minors"),
    ],
)
def test_listed_terms_break_their_rule_as_whole_words_in_any_case(prompt, rule):
    assert safety.broken_rule(prompt) == rule


@pytest.mark.parametrize(
    "prompt", ["Scunthorpe cocktail", "a cocktail in Scunthorpe", "a nudibranch", "gorgeous"]
)
def test_terms_inside_other_words_pass(user, settings, prompt):
    settings.GENERATION_SAFETY_EXTRA_TERMS = ["cock", "cunt", "nud"]

    job = submit(user, prompt)

    assert job.pk and not RefusedPrompt.objects.exists()


def test_the_negative_prompt_is_checked_too(user):
    with pytest.raises(UnsafePrompt) as refused:
        submit(user, "a quiet street", negative_prompt="porn")

    assert refused.value.rule == "sexual content"
    assert refused.value.field == "prompt"


def test_the_switch_off_lets_it_through(user, settings):
    settings.GENERATION_SAFETY_CHECK = False

    assert submit(user, "a naked man on a beach").pk


def test_extra_terms_from_settings_are_refused_as_blocked_terms(user, settings):
    settings.GENERATION_SAFETY_EXTRA_TERMS = [" Clown ", ""]

    with pytest.raises(UnsafePrompt) as refused:
        submit(user, "a sad clown")

    assert str(refused.value) == "This prompt was refused: blocked terms."


def test_an_unsafe_prompt_on_the_page_is_a_400_naming_the_rule_and_charges_nothing(signed_in, user):
    response = signed_in.post(reverse("generation:generate"), FORM)

    assert response.status_code == 400
    page = response.content.decode()
    assert "This prompt was refused: sexual content." in page
    assert not Generation.objects.exists()
    assert billing.credits_balance(user=user) == 5
    refusal = RefusedPrompt.objects.get()
    assert (refusal.user, refusal.rule, refusal.via) == (user, "sexual content", Via.WEB)


def test_an_unsafe_prompt_through_the_api_is_a_422_naming_the_rule(api, user):
    response = api.post("/images", {"prompt": "a naked man on a beach"})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "prompt_refused"
    assert body["message"] == "This prompt was refused: sexual content."
    assert "naked" not in response.content.decode()
    assert not Generation.objects.exists()
    assert billing.credits_balance(user=user) == 5
    assert RefusedPrompt.objects.get().via == Via.API


def test_a_refused_prompt_sent_with_an_idempotency_key_stays_recorded(api, user):
    response = api.post(
        "/images", {"prompt": "a nude statue"}, headers={"Idempotency-Key": "refused-1"}
    )

    assert response.status_code == 422 and response.json()["code"] == "prompt_refused"
    refusal = RefusedPrompt.objects.get()
    assert refusal.user == user and refusal.via == Via.API
    assert billing.credits_balance(user=user) == 5


def test_an_unsafe_prompt_through_the_original_transform_is_a_400(client, user, new_key):
    response = client.post(
        "/api/transform",
        {"prompt": "a naked man on a beach"},
        headers={"Authorization": f"Bearer {new_key.plaintext}"},
    )

    assert response.status_code == 400
    assert "This prompt was refused: sexual content." in response.content.decode()
    assert not Generation.objects.exists()


def test_repeated_refusals_count_against_the_hourly_limit(signed_in, user):
    for _ in range(10):
        assert signed_in.post(reverse("generation:generate"), FORM).status_code == 400

    response = signed_in.post(reverse("generation:generate"), FORM)

    assert response.status_code == 429
    assert RefusedPrompt.objects.count() == 10


def test_replicates_nsfw_refusal_fails_the_job_refunded_with_the_refusal_message(
    user, fake_replicate, settings, django_capture_on_commit_callbacks
):
    settings.GENERATION_POLL_INTERVAL = 0
    fake_replicate.next_outcome = "failed"
    fake_replicate.error = "NSFW content detected. Try running it again, or try a different prompt."

    with django_capture_on_commit_callbacks(execute=True):
        job = submit(user, "a heron in the rain")

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == "This prompt was refused: sexual content (the model's own safety filter)."
    assert billing.credits_balance(user=user) == 5


def test_staff_see_refusals_with_user_time_and_rule(client, make_user, user):
    RefusedPrompt.objects.create(user=user, rule="minors")
    log_in_as_staff(client, make_user(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:generation_refusedprompt_changelist")).content.decode()

    assert user.email in page and "minors" in page
    assert client.get(reverse("admin:generation_refusedprompt_add")).status_code == 403


def test_a_retry_refused_by_a_newer_term_stays_recorded(user, settings):
    job = services.generation_submit(
        user=user, request=GenerationRequest(kind="image", prompt="a grinning gargoyle")
    )
    services.generation_fail(generation_id=job.pk, reason="transient")
    settings.GENERATION_SAFETY_EXTRA_TERMS = ["gargoyle"]

    with pytest.raises(UnsafePrompt):
        services.generation_retry(generation=job)

    assert RefusedPrompt.objects.get().rule == safety.EXTRA_RULE
    assert Generation.objects.count() == 1
