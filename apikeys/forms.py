from django import forms


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Key name",
        widget=forms.TextInput(attrs={"placeholder": "e.g. nightly batch script"}),
    )
