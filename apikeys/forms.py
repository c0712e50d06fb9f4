from django import forms

from .models import Scope


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Key name",
        widget=forms.TextInput(attrs={"placeholder": "e.g. nightly batch script"}),
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        initial=Scope.values,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one scope: a key without any could do nothing."
        },
    )
    monthly_credit_cap = forms.IntegerField(
        label="Monthly credit cap",
        required=False,
        min_value=0,
        help_text="Credits this key's jobs may spend per calendar month (UTC). "
        "Leave empty for no cap; 0 stops it generating.",
    )
