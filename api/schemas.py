"""Request and response bodies of the public API."""

from datetime import date, datetime
from typing import Literal

from django.conf import settings
from ninja import Field, Schema

from generation.models import Kind, Preferences, Status
from generation.options import (
    COLORS,
    EDIT_OPERATIONS,
    MAX_COUNT,
    PROMPT_MAX_LENGTH,
    QUALITIES,
    SEED_MAX,
    SEED_MIN,
    SHAPES,
    SIZES,
    STYLES,
)

StyleName = Literal[STYLES]
ColorName = Literal[COLORS]
SizePx = Literal[SIZES]
ShapeName = Literal[SHAPES]
QualityName = Literal[QUALITIES]
EditOperation = Literal[EDIT_OPERATIONS]
Seed = Field(None, ge=SEED_MIN, le=SEED_MAX, description="Same seed, same picture.")


def saved(name: str) -> str:
    """Fields a request leaves out (or sends as null) take the user's saved defaults."""
    first = Preferences._meta.get_field(name).default
    return f"Left out or null: your saved default (`{first}` until you save one)."


WebhookEvent = Literal["started", "completed"]


class WebhookFields(Schema):
    """Optional on every job-creating request: be told when the job ends."""

    webhook: str | None = Field(
        None,
        max_length=settings.WEBHOOKS_URL_MAX_LENGTH,
        description="An `https` URL on port 443 or 8443 at a public address: we POST the job "
        "there (the body of GET /generations/{id}) signed with your signing secret (API keys "
        "page), as Replicate signs webhooks: `webhook-id`, `webhook-timestamp`, "
        "`webhook-signature`.",
    )
    webhook_events: list[WebhookEvent] = Field(
        ["completed"], min_length=1, description="`completed` (the default) and/or `started`."
    )


class ImageIn(WebhookFields):
    prompt: str = Field(..., min_length=1, max_length=PROMPT_MAX_LENGTH)
    negative_prompt: str = Field("", max_length=PROMPT_MAX_LENGTH, description="What to avoid.")
    style: StyleName | None = Field(None, description=saved("style"))
    color: ColorName | None = Field(None, description=saved("color"))
    size: SizePx | None = Field(None, description="Pixels of the shorter side. " + saved("size"))
    shape: ShapeName | None = Field(None, description=saved("shape"))
    quality: QualityName | None = Field(
        None, description="More model steps, slower. " + saved("quality")
    )
    count: int | None = Field(
        None, ge=1, le=MAX_COUNT, description="Images; one request is one credit. " + saved("count")
    )
    seed: int | None = Seed
    reference_image_id: int | None = Field(
        None, ge=1, description="Start from one of your images (its `id` in GET /images)."
    )


class VideoIn(WebhookFields):
    prompt: str = Field(..., min_length=1, max_length=PROMPT_MAX_LENGTH)
    negative_prompt: str = Field("", max_length=PROMPT_MAX_LENGTH)
    style: StyleName | None = Field(None, description=saved("style"))
    color: ColorName | None = Field(None, description=saved("color"))
    size: SizePx | None = Field(None, description="Pixels of the shorter side. " + saved("size"))
    shape: ShapeName | None = Field(None, description=saved("shape"))
    seed: int | None = Seed
    source_image_id: int | None = Field(
        None,
        ge=1,
        description="Animate one of your images (its `id` in GET /images): the video starts "
        "from it. Send this or `source_image`, not both.",
    )
    source_image: str | None = Field(
        None,
        max_length=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        description="Animate an image you send: PNG, JPEG, WebP or GIF as base64 or a "
        "`data:` URI. The whole JSON body is limited to 2.5 MB (a larger one is a `413`).",
    )


# A request body is at most DATA_UPLOAD_MAX_MEMORY_SIZE; black-and-white masks are small PNGs.
MASK_MAX = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class EditIn(WebhookFields):
    operation: EditOperation = Field(
        ...,
        description="`instruct` follows the prompt; `inpaint` paints the prompt where the "
        "mask is white and keeps the rest.",
    )
    prompt: str = Field(
        "",
        max_length=PROMPT_MAX_LENGTH,
        description="The instruction for `instruct`; what to paint for `inpaint` (required).",
    )
    mask: str | None = Field(
        None,
        max_length=MASK_MAX,
        description="For `inpaint` (required): a PNG exactly the size of the image, as base64 "
        "or a `data:image/png;base64,` URI. White pixels are repainted, black ones kept. "
        "Only `inpaint` uses it. The whole JSON body is limited to 2.5 MB.",
    )


class EnhanceIn(Schema):
    prompt: str = Field(..., min_length=1, max_length=PROMPT_MAX_LENGTH)


class OutputOut(Schema):
    id: int
    kind: Literal["image", "video"]
    content_type: str
    width: int
    height: int
    bytes: int
    favorite: bool
    created_at: datetime
    generation_id: int
    prompt: str
    download_url: str


class GenerationOut(Schema):
    id: int
    kind: Literal[tuple(Kind.values)]
    status: Literal[tuple(Status.values)]
    via: Literal["web", "api"]
    prompt: str
    negative_prompt: str
    style: str
    color: str
    width: int
    height: int
    count: int
    seed: int | None
    edit_operation: str
    source_image_id: int | None
    error: str
    progress: int | None = Field(
        ...,
        ge=0,
        le=100,
        description="Percent done while running (null until the model reports); 100 on success.",
    )
    logs_excerpt: str = Field(
        ..., description="The model's latest log line or the renderer's stage, while it works."
    )
    enhanced_prompt: str = Field(..., description="The improved prompt (prompt enhancement jobs).")
    credits_charged: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    outputs: list[OutputOut]
    url: str


class PageQuery(Schema):
    before: int | None = Field(
        None, ge=1, description="Cursor: the `next` link of the previous page carries it."
    )
    page_size: int = Field(20, ge=1, le=100)


class Page(Schema):
    next: str | None  # the older page, or null on the last one


class GenerationPage(Page):
    items: list[GenerationOut]


class ImagePage(Page):
    items: list[OutputOut]


class MeOut(Schema):
    email: str
    plan: Literal["free", "premium"]
    credits_remaining: int
    period_end: datetime | None
    api_key: str = Field(..., description="The masked key this request used.")
    api_key_scopes: list[Literal["read", "generate", "manage"]]
    api_key_monthly_credit_cap: int | None = Field(
        ..., description="The key's monthly credit cap, or null for none."
    )
    api_key_spent_this_month: int = Field(
        ..., description="Credits the key's jobs spent this calendar month (UTC)."
    )
    key_rate_limit: str
    generation_rate_limit: str


class EndpointCount(Schema):
    endpoint: str
    count: int


class DayUsage(Schema):
    day: date
    count: int
    endpoints: list[EndpointCount]


class KeyUsage(Schema):
    id: int
    name: str
    prefix: str
    revoked: bool
    count: int
    endpoints: list[EndpointCount]


class UsageOut(Schema):
    since: date
    until: date
    total: int
    days: list[DayUsage]
    keys: list[KeyUsage]
