import re
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, models
from django.db.models import Min, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator

from .options import (
    COLORS,
    DEFAULT_QUALITY,
    DEFAULT_SIZE,
    EDIT_OPERATION_LABELS,
    MAX_COUNT,
    QUALITIES,
    SHAPES,
    SIZES,
    STYLES,
)


class Kind(models.TextChoices):
    IMAGE = "image", "Image"
    EDIT = "edit", "Image edit"
    VIDEO = "video", "Video"
    ENHANCE = "enhance", "Prompt enhancement"


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELED = "canceled", "Canceled"


class Via(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"


# The prompt's words as PostgreSQL indexes them (migration 0005): no stemming and no
# stop words, so a search finds what was typed, and SQLite can do the same.
PROMPT_SEARCH_CONFIG = "simple"
SEARCH_MAX_WORDS = 12


def prompt_vector(field: str = "prompt") -> SearchVector:
    return SearchVector(field, config=PROMPT_SEARCH_CONFIG)


def search_words(text: str) -> list[str]:
    """The words of a search, lower-cased; punctuation separates them and is dropped."""
    return re.findall(r"[^\W_]+", text.lower())[:SEARCH_MAX_WORDS]


def word_patterns(words: list[str]) -> list[str]:
    """Regular expressions for the word-by-word search (SQLite has no full-text index)."""
    return [rf"\b{word}\b" for word in words[:-1]] + [rf"\b{words[-1]}"]


LOGS_EXCERPT_MAX = 200


class GenerationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def with_pictures(self):
        """Jobs that make pictures or videos: a prompt enhancement only fills the prompt
        field, so the job lists leave it out."""
        return self.exclude(kind=Kind.ENHANCE)

    def charged(self):
        """Jobs whose credits stay spent: failed and canceled jobs are refunded."""
        return self.exclude(status__in=Generation.REFUNDED)

    def awaiting_provider(self):
        """Running jobs a remote provider is working on."""
        return self.filter(status=Status.RUNNING).exclude(provider_job_id="")

    def record_progress(self, percent: int | None, excerpt: str) -> int:
        """Note how far running jobs have got; a late report never moves a bar back."""
        running = self.filter(status=Status.RUNNING)
        fields = {"logs_excerpt": excerpt[:LOGS_EXCERPT_MAX]}
        if percent is not None:
            running = running.exclude(progress__gt=percent)
            fields["progress"] = max(0, min(percent, 100))
        return running.update(**fields)

    def due_for_check(self, now):
        return self.awaiting_provider().filter(
            models.Q(next_check_at__isnull=True) | models.Q(next_check_at__lte=now)
        )

    def earliest_check(self, now):
        """When the first of these jobs is due to be asked about (`now` for one never
        asked); None when there are none."""
        return self.aggregate(due=Min(Coalesce("next_check_at", Value(now))))["due"]

    def matching_prompt(self, text: str):
        """Jobs whose prompt has every word of `text`, in any order; the last word may be
        the start of a word (search as you type). No words: nothing matches."""
        words = search_words(text)
        if not words:
            return self.none()
        if connection.vendor == "postgresql":
            terms = [*words[:-1], f"{words[-1]}:*"]
            query = SearchQuery(" & ".join(terms), search_type="raw", config=PROMPT_SEARCH_CONFIG)
            return self.alias(prompt_words=prompt_vector()).filter(prompt_words=query)
        jobs = self
        for pattern in word_patterns(words):
            jobs = jobs.filter(prompt__iregex=pattern)
        return jobs


# Why a job started from one of its owner's images cannot run, or be retried, once that is
# deleted: without it, the job would quietly be another kind (a video from text alone).
SOURCE_GONE = {
    Kind.EDIT: "The image this edit started from is gone.",
    Kind.VIDEO: "The image this video was made from has been deleted.",
    Kind.IMAGE: "The reference image this picture was made from has been deleted.",
}


class Generation(models.Model):
    """One request to a model: what was asked, how it went, what it cost."""

    # What may happen to a job in each status. Services check these under the row
    # lock; the admin, the pages and the API read them.
    UNFINISHED = (Status.QUEUED, Status.RUNNING)
    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELED)
    RETRYABLE = (Status.FAILED, Status.CANCELED)
    REFUNDED = (Status.FAILED, Status.CANCELED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generations"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    via = models.CharField(max_length=3, choices=Via.choices, default=Via.WEB)
    # The key an API job was made with: its spend counts against the key's monthly cap.
    api_key = models.ForeignKey(
        "apikeys.ApiKey",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="generations",
    )
    prompt = models.TextField()
    negative_prompt = models.TextField(blank=True)
    style = models.CharField(max_length=20, blank=True)
    color = models.CharField(max_length=20, blank=True)
    width = models.PositiveIntegerField(default=512)
    height = models.PositiveIntegerField(default=512)
    count = models.PositiveSmallIntegerField(default=1)
    seed = models.BigIntegerField(null=True, blank=True)
    quality = models.CharField(max_length=10, default="best")
    edit_operation = models.CharField(max_length=20, blank=True)
    source_output = models.ForeignKey(
        "Output", null=True, blank=True, on_delete=models.SET_NULL, related_name="edits"
    )
    # Set when the job starts from `source_output`: deleting that output clears the link,
    # and this still says the job needs it.
    started_from_output = models.BooleanField(default=False)
    source_file = models.FileField(upload_to="sources/%Y/%m/", blank=True)
    # An inpaint's mask: a PNG the size of the source, white where the prompt is painted.
    mask_file = models.FileField(upload_to="masks/%Y/%m/", blank=True)

    provider = models.CharField(max_length=20)
    provider_job_id = models.CharField(max_length=100, blank=True, db_index=True)
    # The Celery task delivery running the job: a redelivery of the same task after
    # its worker died may take the job over.
    claimed_by = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # How far a running job is (0-100, None: unknown yet) and the line that said so: a
    # remote model's last log line or the offline renderer's stage.
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    logs_excerpt = models.CharField(max_length=LOGS_EXCERPT_MAX, blank=True)
    # When the poller next asks the provider about this running remote job.
    next_check_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # What the model said besides its files: an enhanced prompt, or how an edit was made.
    result_text = models.TextField(blank=True)
    credits_charged = models.PositiveIntegerField(default=0)
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)

    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        # Canceling refunds the owner and retrying charges them: more than viewing a job.
        permissions = [("manage_jobs", "Can cancel and retry jobs (refunds and charges)")]
        indexes = [
            models.Index(fields=["user", "-id"], name="generation_user_newest"),
            models.Index(fields=["status", "started_at"], name="generation_status_started"),
            models.Index(
                fields=["next_check_at"],
                name="generation_running_next_check",
                condition=models.Q(status="running"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gte=1, count__lte=4), name="generation_count_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def cancel_refusal(self) -> str:
        """Why this job cannot be canceled, or "" when it can."""
        if self.status in self.UNFINISHED:
            return ""
        return "This job already finished; nothing was charged back."

    @property
    def can_cancel(self) -> bool:
        return not self.cancel_refusal

    @property
    def run_refusal(self) -> str:
        """Why this job cannot run as it was asked for, or "" when it can: the image it
        started from, if any, must still exist (its owner may delete it while the job is
        queued, or after it failed)."""
        if self.started_from_output and self.source_output_id is None:
            return SOURCE_GONE[self.kind]
        return ""

    @property
    def retry_refusal(self) -> str:
        """Why this job cannot be run again, or "" when it can: it must have ended
        without outputs, and still be able to run as it was asked for."""
        if self.status not in self.RETRYABLE:
            return "Only failed or canceled jobs can be retried."
        return self.run_refusal

    @property
    def can_retry(self) -> bool:
        return not self.retry_refusal

    @property
    def edit_caption(self) -> str:
        """What an edit did and to what: "Sepia, from image #12"."""
        if self.kind != Kind.EDIT:
            return ""
        operation = EDIT_OPERATION_LABELS.get(self.edit_operation, "Edit")
        source = f"image #{self.source_output_id}" if self.source_output_id else "an upload"
        return f"{operation}, from {source}"

    @property
    def edit_method(self) -> str:
        """How an edit was made, when its provider said: "Upscaled by Real-ESRGAN (…)"."""
        return self.result_text if self.kind == Kind.EDIT else ""

    @property
    def enhanced_prompt(self) -> str:
        return self.result_text if self.kind == Kind.ENHANCE else ""

    @property
    def animation_caption(self) -> str:
        """What a video made from a still started from: "Animated from image #12"."""
        if self.kind != Kind.VIDEO or not (self.source_output_id or self.source_file):
            return ""
        source = f"image #{self.source_output_id}" if self.source_output_id else "an upload"
        return f"Animated from {source}"

    @property
    def shows_progress(self) -> bool:
        return self.status == Status.RUNNING and self.progress is not None

    @property
    def outputs_shown(self) -> int:
        """How many pictures its card counts: those on their way while it works, those
        still kept once it is done (the owner may delete some)."""
        if self.status == Status.SUCCEEDED:
            return len(self.outputs.all())  # all(): a prefetched list is used as it is
        return self.count  # a video's is 1 whatever was asked (GenerationRequest.outputs)

    @property
    def elapsed_seconds(self) -> int:
        """How long the job has waited and run so far, or took in all once finished."""
        end = self.finished_at or timezone.now()
        return max(0, int((end - self.created_at).total_seconds()))

    @property
    def placeholders(self) -> range:
        """One placeholder tile per picture on its way."""
        return range(self.count)

    @property
    def elapsed_label(self) -> str:
        """The elapsed time as a waiting card shows it: "8 s", "2 min 05 s"."""
        minutes, seconds = divmod(self.elapsed_seconds, 60)
        return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"

    @property
    def reference(self) -> str:
        """How the credit ledger refers to this job."""
        return f"generation:{self.pk}"

    @property
    def ledger_reason(self) -> str:
        """How a credit history row names this job: by its prompt, as its owner knows it."""
        prompt = self.prompt.strip() or self.get_kind_display()
        return f"“{Truncator(prompt).chars(80)}” ({self.get_kind_display()} #{self.pk})"


class OutputKind(models.TextChoices):
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"


def output_upload_to(instance, filename):
    """A random name that says nothing of its owner: with an object store, a shared
    output's public link redirects to this key."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"outputs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def _planned_apart(subquery):
    """On PostgreSQL, a subquery the planner must run on its own (OFFSET 0): it then finds
    the matching jobs through the GIN index. Folded into the gallery's query, it guesses
    that a prefix search matches 2% of rows and reads every output newest first, working
    out each prompt's words, which on 100,000 outputs takes half a second for a rare word."""
    if connection.vendor != "postgresql" or subquery.query.is_empty():
        return subquery
    sql, params = subquery.query.sql_with_params()
    return RawSQL(f"{sql} OFFSET 0", params)  # noqa: S611 (SQL from the ORM, values as params)


class OutputQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def search(self, *, user, prompt: str = "", kind: str = "", favorites: bool = False):
        """The user's outputs, filtered as the gallery asks."""
        outputs = self.for_user(user)
        if prompt:
            jobs = Generation.objects.for_user(user).matching_prompt(prompt).order_by()
            outputs = outputs.filter(generation_id__in=_planned_apart(jobs.values("id")))
        if kind:
            outputs = outputs.filter(kind=kind)
        if favorites:
            outputs = outputs.filter(favorite=True)
        return outputs


class Output(models.Model):
    """A stored file a generation produced. Images and videos share one table so the
    gallery is one index-backed query; `Image` and `Video` are proxies over it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outputs"
    )
    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(max_length=5, choices=OutputKind.choices)
    file = models.FileField(upload_to=output_upload_to, max_length=200)
    content_type = models.CharField(max_length=50)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    bytes = models.PositiveBigIntegerField(default=0)
    favorite = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OutputQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            # Newest first is id order: the gallery and the API page by id.
            models.Index(fields=["user", "-id"], name="output_user_newest"),
            models.Index(fields=["user", "kind", "-id"], name="output_user_kind_newest"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def start_refusal(self) -> str:
        """Why no job can start from this output (an edit, an animation), or "" when one can."""
        if self.kind != OutputKind.IMAGE:
            return "That is a video: only an image can be edited or animated."
        return ""

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1]

    @property
    def filename(self) -> str:
        return f"cartonify-{self.kind}-{self.pk}.{self.extension}"


class ImageManager(models.Manager.from_queryset(OutputQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=OutputKind.IMAGE)


class VideoManager(models.Manager.from_queryset(OutputQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=OutputKind.VIDEO)


class Image(Output):
    objects = ImageManager()

    class Meta:
        proxy = True


class Video(Output):
    objects = VideoManager()

    class Meta:
        proxy = True


class ReplicateWebhookEvent(models.Model):
    """A delivered Replicate webhook, recorded once so redeliveries do nothing."""

    webhook_id = models.CharField(max_length=100, unique=True)
    generation = models.ForeignKey(Generation, null=True, on_delete=models.SET_NULL)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.webhook_id


class RefusedPrompt(models.Model):
    """A prompt the safety check refused, for staff to spot abuse.

    The prompt itself is not kept: the rule is enough to see a pattern, and storing
    what we refused to make (or a false positive's private text) helps no one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="refused_prompts"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    rule = models.CharField(max_length=100)
    via = models.CharField(max_length=3, choices=Via.choices, default=Via.WEB)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} refused for {self.rule}"


def _choices(values):
    return [(value, str(value)) for value in values]


class Preferences(models.Model):
    """A user's saved defaults: where the composer starts and what the API fills in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    style = models.CharField(max_length=20, choices=_choices(STYLES), default=STYLES[0])
    color = models.CharField(max_length=20, choices=_choices(COLORS), default=COLORS[0])
    size = models.PositiveSmallIntegerField(choices=_choices(SIZES), default=DEFAULT_SIZE)
    shape = models.CharField(max_length=10, choices=_choices(SHAPES), default="square")
    quality = models.CharField(max_length=10, choices=_choices(QUALITIES), default=DEFAULT_QUALITY)
    count = models.PositiveSmallIntegerField(choices=_choices(range(1, MAX_COUNT + 1)), default=2)

    FIELDS = ("style", "color", "size", "shape", "quality", "count")

    class Meta:
        # The table it had in accounts: moving the model renamed nothing in the database, so
        # processes of the previous release keep reading it during a rolling deploy.
        db_table = "accounts_preferences"

    def __str__(self):
        return f"Defaults of {self.user}"

    @classmethod
    def for_user(cls, user) -> "Preferences":
        """The user's saved defaults, or unsaved ones holding the product's defaults."""
        return cls.objects.filter(user=user).first() or cls(user=user)

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}

    def fill(self, fields: dict) -> dict:
        """`fields` with each of ours that is missing or None taken from these defaults."""
        saved = self.as_dict()
        return {
            name: saved[name] if value is None and name in saved else value
            for name, value in fields.items()
        }
