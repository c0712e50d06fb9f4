from django import forms


class ShareForm(forms.Form):
    show_prompt = forms.BooleanField(required=False, label="Show the prompt")
