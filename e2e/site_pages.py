"""The pages a visitor reaches, signed out and signed in, for checks that walk them all."""

from django.urls import reverse

from apikeys import services as apikeys
from generation.models import Kind
from generation.tests.factories import GenerationFactory, OutputFactory
from sharing import services as sharing


def signed_out_pages(share_token: str) -> dict[str, str]:
    return {
        "home": reverse("home"),
        "explore": reverse("sharing:explore"),
        "share": reverse("sharing:page", args=[share_token]),
        "log-in": reverse("account_login"),
        "sign-up": reverse("account_signup"),
        "password-reset": reverse("account_reset_password"),
        "not-found": "/no-such-page/",
    }


def signed_in_pages(user) -> dict[str, str]:
    """Every page of `user`'s, with one of each thing on it (a picture, an edit, a key, a job)."""
    output = OutputFactory(generation__user=user, generation__prompt="a fox in the snow")
    OutputFactory(
        generation=GenerationFactory(
            user=user, kind=Kind.EDIT, edit_operation="sepia", source_output=output
        )
    )
    GenerationFactory(user=user, status="running", prompt="a lighthouse")
    key = apikeys.api_key_create(user=user, name="a script").api_key
    share = sharing.share_create(output=output, show_prompt=True)
    return {
        "home-signed-in": reverse("home"),
        "generator": reverse("generation:generate"),
        "jobs": reverse("generation:jobs"),
        "gallery": reverse("generation:gallery"),
        "output": reverse("generation:output_detail", args=[output.pk]),
        "output-edit": reverse("generation:output_edit", args=[output.pk]),
        "output-delete": reverse("generation:output_delete", args=[output.pk]),
        "share-own": reverse("sharing:page", args=[share.token]),
        "explore-signed-in": reverse("sharing:explore"),
        "api-keys": reverse("apikeys:key_list"),
        "api-key-revoke": reverse("apikeys:key_revoke", args=[key.pk]),
        "api-usage": reverse("apikeys:usage"),
        "api-docs": "/api/v1/docs",
        "premium": reverse("billing:premium"),
        "account": reverse("accounts:account"),
        "account-password": reverse("account_change_password"),
        "account-email": reverse("account_email"),
        "account-defaults": reverse("accounts:defaults"),
    }


def shared_output_token(user) -> str:
    output = OutputFactory(generation__user=user, generation__prompt="a red kite over hills")
    return sharing.share_create(output=output, show_prompt=True).token
