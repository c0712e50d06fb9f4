"""Generation: the provider (the offline renderer or Replicate), models, limits and timings."""

from cartonify.settings.base import env

# "local" renders offline with Pillow; "replicate" is used whenever a token is set.
REPLICATE_API_TOKEN = env("REPLICATE_API_TOKEN", default="")
GENERATION_PROVIDER = env(
    "GENERATION_PROVIDER", default="replicate" if REPLICATE_API_TOKEN else "local"
)
# Empty: the SDK's default (api.replicate.com). Tests point it at a fake server.
REPLICATE_BASE_URL = env("REPLICATE_BASE_URL", default="")
# The "whsec_..." signing secret of the account's webhooks.
REPLICATE_WEBHOOK_SECRET = env("REPLICATE_WEBHOOK_SECRET", default="")
# Public base URL Replicate can reach. Webhooks are asked for only when it and the
# secret are both set; a polling fallback always runs.
REPLICATE_WEBHOOK_BASE_URL = env("REPLICATE_WEBHOOK_BASE_URL", default="")
REPLICATE_WEBHOOK_TOLERANCE = env.int("REPLICATE_WEBHOOK_TOLERANCE", default=300)
# Replicate's account-wide ceiling on prediction creations, shared by every worker through
# Redis; the window is a setting only so tests can shrink a minute.
REPLICATE_CREATIONS_PER_MINUTE = env.int("REPLICATE_CREATIONS_PER_MINUTE", default=600)
REPLICATE_CREATIONS_WINDOW = env.float("REPLICATE_CREATIONS_WINDOW", default=60.0)
# Seconds a slot is held past the window after Replicate's answer: slack for its own clock.
REPLICATE_CREATIONS_MARGIN = env.float("REPLICATE_CREATIONS_MARGIN", default=1.0)
# With webhooks on, the poller only checks on a running job this often (seconds).
REPLICATE_WEBHOOK_FALLBACK_POLL = env.float("REPLICATE_WEBHOOK_FALLBACK_POLL", default=30.0)
REPLICATE_MODELS = {
    "image": env("REPLICATE_MODEL_IMAGE", default="black-forest-labs/flux-schnell"),
    "edit": env("REPLICATE_MODEL_EDIT", default="black-forest-labs/flux-kontext-pro"),
    "video": env("REPLICATE_MODEL_VIDEO", default="minimax/video-01"),
    "enhance": env("REPLICATE_MODEL_ENHANCE", default="meta/meta-llama-3-8b-instruct"),
    # Takes `image`, `mask` (white = repaint) and `prompt`, like flux-fill or SDXL inpainting.
    "inpaint": env("REPLICATE_MODEL_INPAINT", default="black-forest-labs/flux-fill-pro"),
    # Image requests with a reference image: takes `image` and `prompt_strength` (flux-dev).
    "reference": env("REPLICATE_MODEL_REFERENCE", default="black-forest-labs/flux-dev"),
}
# The video model's input for the still a video starts from (an animated image);
# minimax/video-01 calls it first_frame_image, other models e.g. `image` or `start_image`.
REPLICATE_VIDEO_IMAGE_INPUT = env("REPLICATE_VIDEO_IMAGE_INPUT", default="first_frame_image")
# How far a picture made from a reference image may move away from it: 0 keeps the
# reference, 1 ignores it (Replicate's prompt_strength; the offline renderer blends).
GENERATION_REFERENCE_STRENGTH = env.float("GENERATION_REFERENCE_STRENGTH", default=0.75)
# Image model steps per quality; the defaults fit flux-schnell (1-4 steps). Set all three
# for another model, e.g. REPLICATE_QUALITY_STEPS=standard=20,high=35,best=50.
REPLICATE_QUALITY_STEPS = env.dict(
    "REPLICATE_QUALITY_STEPS", cast={"value": int}, default={"standard": 2, "high": 3, "best": 4}
)
GENERATION_PROMPT_MAX_LENGTH = env.int("GENERATION_PROMPT_MAX_LENGTH", default=1000)
GENERATION_MAX_UPLOAD_BYTES = env.int("GENERATION_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
GENERATION_MAX_IMAGE_PIXELS = env.int("GENERATION_MAX_IMAGE_PIXELS", default=40_000_000)
GENERATION_TIMEOUT = env.int("GENERATION_TIMEOUT", default=10 * 60)
GENERATION_POLL_INTERVAL = env.float("GENERATION_POLL_INTERVAL", default=2.0)
# A job the provider keeps throttling (HTTP 429) waits queued this long at most, then fails
# and is refunded.
GENERATION_QUEUE_TIMEOUT = env.int("GENERATION_QUEUE_TIMEOUT", default=15 * 60)
GENERATION_RATE_LIMIT = env("GENERATION_RATE_LIMIT", default="10/h")
GENERATION_ENHANCE_RATE_LIMIT = env("GENERATION_ENHANCE_RATE_LIMIT", default="30/h")
# The prompt safety check (generation/safety.py) and terms to refuse besides its list.
GENERATION_SAFETY_CHECK = env.bool("GENERATION_SAFETY_CHECK", default=True)
GENERATION_SAFETY_EXTRA_TERMS = env.list("GENERATION_SAFETY_EXTRA_TERMS", default=[])
# Seconds the local provider sleeps per job; benchmarks use it to mimic a real model.
GENERATION_SIMULATED_LATENCY = env.float("GENERATION_SIMULATED_LATENCY", default=0.0)
