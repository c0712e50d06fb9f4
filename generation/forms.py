import contextlib

from django import forms

from .models import Kind, OutputKind, search_words
from .options import (
    COLORS,
    DEFAULT_QUALITY,
    DEFAULT_SIZE,
    EDIT_OPERATION_LABELS,
    EDIT_OPERATIONS_WITH_PROMPT,
    MAX_COUNT,
    PROMPT_MAX_LENGTH,
    QUALITIES,
    SEED_MAX,
    SEED_MIN,
    SHAPES,
    SIZES,
    STYLES,
)
from .services import GenerationRequest
from .uploads import read_upload


def _choices(values):
    return [(value, LABELS.get(value, value.replace("-", " ").capitalize())) for value in values]


LABELS = {
    "auto": "Auto",
    "3d-render": "3D render",
    "portrait": "Portrait",
    "landscape": "Landscape",
}


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(Kind.IMAGE, "Images"), (Kind.VIDEO, "Video")],
        initial=Kind.IMAGE,
        widget=forms.HiddenInput,
    )
    prompt = forms.CharField(
        max_length=PROMPT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "A fox reading a map, at dawn"}),
    )
    negative_prompt = forms.CharField(
        required=False,
        max_length=PROMPT_MAX_LENGTH,
        label="Avoid (optional)",
        widget=forms.TextInput(attrs={"placeholder": "blurry, text"}),
    )
    style = forms.ChoiceField(choices=_choices(STYLES))
    color = forms.ChoiceField(choices=_choices(COLORS), label="Colour")
    size = forms.TypedChoiceField(
        choices=[(s, f"{s} px") for s in SIZES], coerce=int, initial=DEFAULT_SIZE
    )
    # Optional, so a page loaded before these existed still submits.
    shape = forms.ChoiceField(choices=_choices(SHAPES), initial="square", required=False)
    quality = forms.ChoiceField(
        choices=_choices(QUALITIES), initial=DEFAULT_QUALITY, required=False
    )
    count = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, MAX_COUNT + 1)], coerce=int, initial=2
    )
    seed = forms.IntegerField(required=False, min_value=SEED_MIN, max_value=SEED_MAX)
    # A picture may start from a reference image: one from the gallery, or an upload.
    reference_output = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    reference_upload = forms.FileField(required=False, label="Start from an image (optional)")

    # What a link may prefill (?style=watercolor&count=4: a shared page's "Remix").
    PREFILLABLE = ("kind", "prompt", "style", "color", "size", "shape", "quality", "count")

    @classmethod
    def initial_from_query(cls, query) -> dict:
        """The prefillable fields of `query` that are valid; the others are left out."""
        initial = {}
        for name in cls.PREFILLABLE:
            if query.get(name):
                with contextlib.suppress(forms.ValidationError):
                    initial[name] = cls.base_fields[name].clean(query[name])
        return initial

    def to_request(self) -> GenerationRequest:
        data = self.cleaned_data
        return GenerationRequest(
            kind=data["kind"],
            prompt=data["prompt"],
            negative_prompt=data["negative_prompt"],
            style=data["style"],
            color=data["color"],
            size=data["size"],
            shape=data["shape"] or "square",
            quality=data["quality"] or DEFAULT_QUALITY,
            count=data["count"],  # a video makes one whatever the count: GenerationRequest.outputs
            seed=data["seed"],
        )


class EditForm(forms.Form):
    # Read by the pages (data-edit-operations): where the instruction field shows.
    prompt_operations = " ".join(EDIT_OPERATIONS_WITH_PROMPT)
    edit_operation = forms.ChoiceField(choices=EDIT_OPERATION_LABELS.items(), label="Edit")
    prompt = forms.CharField(
        required=False,
        max_length=PROMPT_MAX_LENGTH,
        label="Instruction, or what to paint in the mask",
        widget=forms.TextInput(attrs={"placeholder": "make it night time"}),
    )
    source_upload = forms.FileField(required=False, label="Image to edit")
    mask = forms.FileField(
        required=False,
        label="Mask (PNG the size of the image, white = repaint)",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png"}),
    )

    def mask_bytes(self) -> bytes | None:
        """The uploaded mask's bytes (bounded in size); the service checks what they are."""
        upload = self.cleaned_data.get("mask")
        return read_upload(upload, field="mask") if upload else None

    def to_request(self) -> GenerationRequest:
        data = self.cleaned_data
        return GenerationRequest(
            kind=Kind.EDIT, prompt=data["prompt"], edit_operation=data["edit_operation"]
        )


class AnimateForm(forms.Form):
    """Animate an image of the gallery: the video starts from it."""

    prompt = forms.CharField(
        max_length=PROMPT_MAX_LENGTH,
        label="What happens",
        widget=forms.TextInput(attrs={"placeholder": "the leaves drift in the wind"}),
    )

    @classmethod
    def for_image(cls, output) -> "AnimateForm":
        """The form for an image's page: "What happens" starts as the prompt that made the
        image (editable), so one click starts the video."""
        return cls(initial={"prompt": output.generation.prompt})

    def to_request(self) -> GenerationRequest:
        return GenerationRequest(kind=Kind.VIDEO, prompt=self.cleaned_data["prompt"])


class EnhanceForm(forms.Form):
    prompt = forms.CharField(max_length=PROMPT_MAX_LENGTH)


class GallerySearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "Search with up to %(limit_value)d characters."},
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Search prompts",
                "aria-label": "Search prompts",
            }
        ),
    )
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "All"), (OutputKind.IMAGE, "Images"), (OutputKind.VIDEO, "Videos")],
        widget=forms.Select(attrs={"aria-label": "Show"}),
    )
    favorites = forms.BooleanField(required=False, label="Favourites only")

    def clean_q(self):
        q = self.cleaned_data["q"]
        if q.strip() and not search_words(q):
            raise forms.ValidationError("Search for a word of a prompt: letters or numbers.")
        return q
