from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError

from generation.models import Preferences

from .models import User


class UserAdminCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserAdminChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """Answers alike whether or not the address has an account: no enumeration on reset.

    ACCOUNT_PREVENT_ENUMERATION stays off so sign-up can say "already registered" plainly
    (a product decision, see SECURITY.md); allauth would otherwise refuse an unknown
    address here. With no account, allauth's flow mails the address that it has none.
    """

    def clean_email(self) -> str:
        self.users = None
        try:
            return super().clean_email()
        except ValidationError:
            # allauth refuses an unknown address only after finding no account for it.
            if self.users == []:
                return self.cleaned_data["email"]
            raise


class CloseAccountForm(forms.Form):
    """Closing is for good: the user types their email address to confirm."""

    email = forms.CharField(label="Type your email address to confirm")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        typed = self.cleaned_data["email"].strip()
        if typed.lower() != self.user.email.lower():
            raise forms.ValidationError("That is not your email address.")
        return typed


class PreferencesForm(forms.ModelForm):
    """Saved defaults, checked against the product's choices (generation.options).

    No plan limits any of these today (every plan may ask for any style, size and up to
    MAX_COUNT pictures), so "a value the plan does not allow" is one outside the choices.
    """

    class Meta:
        model = Preferences
        fields = Preferences.FIELDS
        labels = {"color": "Colour", "count": "Pictures per request"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from generation.forms import GenerateForm  # the composer's wording ("512 px")

        for name in Preferences.FIELDS:
            self.fields[name].choices = GenerateForm.base_fields[name].choices
