from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings

# A new account lands on the generator, whose welcome line (with the credits left) replaces
# these two banners; an email change confirmed while signed in keeps its message.
SIGN_UP_MESSAGES = ("account/messages/email_confirmed.txt", "account/messages/logged_in.txt")


class AccountAdapter(DefaultAccountAdapter):
    """Cartonify's hooks into allauth's flows; extend here, not by patching views."""

    def send_mail(self, template_prefix: str, email: str, context_: dict) -> None:
        super().send_mail(template_prefix, email, context_)
        if "code" in context_:
            _keep_pending_session_short(context.request)

    def post_login(self, request, user, **kwargs):
        request.signing_up = kwargs["signup"]  # read by add_message, within this request
        return super().post_login(request, user, **kwargs)

    def add_message(self, request, level, message_template=None, *args, **kwargs) -> None:
        if message_template in SIGN_UP_MESSAGES and _signing_up(request):
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def login(self, request, user) -> None:
        # Signed in, the session lives as long as any other (or as "remember me" says).
        request.session.set_expiry(None)
        super().login(request, user)


def _signing_up(request) -> bool:
    """Whether this request finishes a sign-up: the code is confirmed before the visitor
    is signed in, and allauth's post_login says when it signs in a new account."""
    return getattr(request, "signing_up", False) or not request.user.is_authenticated


def _keep_pending_session_short(request) -> None:
    """allauth keeps a mailed code in plain text in the session until it is used.

    A visitor's session holding one then expires with the code instead of after two weeks,
    so an abandoned sign-up or reset leaves nothing usable in the session store.
    """
    if request is not None and not request.user.is_authenticated:
        request.session.set_expiry(settings.PENDING_CODE_SESSION_AGE)
