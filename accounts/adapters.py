from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Cartonify's hooks into allauth's flows; extend here, not by patching views."""

    def send_mail(self, template_prefix: str, email: str, context_: dict) -> None:
        super().send_mail(template_prefix, email, context_)
        if "code" in context_:
            _keep_pending_session_short(context.request)

    def login(self, request, user) -> None:
        # Signed in, the session lives as long as any other (or as "remember me" says).
        request.session.set_expiry(None)
        super().login(request, user)


def _keep_pending_session_short(request) -> None:
    """allauth keeps a mailed code in plain text in the session until it is used.

    A visitor's session holding one then expires with the code instead of after two weeks,
    so an abandoned sign-up or reset leaves nothing usable in the session store.
    """
    if request is not None and not request.user.is_authenticated:
        request.session.set_expiry(settings.PENDING_CODE_SESSION_AGE)
