"""Plans, credits and prices, and the payment gateway (Razorpay)."""

from cartonify.settings.base import env

FREE_PLAN_GENERATIONS = env.int("FREE_PLAN_GENERATIONS", default=5)
PREMIUM_PRICE_PAISE = env.int("PREMIUM_PRICE_PAISE", default=50000)
PREMIUM_CURRENCY = env("PREMIUM_CURRENCY", default="INR")
PREMIUM_CREDITS_PER_PERIOD = env.int("PREMIUM_CREDITS_PER_PERIOD", default=1600)
PREMIUM_PERIOD_DAYS = env.int("PREMIUM_PERIOD_DAYS", default=30)
# Unpaid Razorpay orders expire after this; a repeated Upgrade click reuses a younger one.
PAYMENT_ORDER_TTL_HOURS = env.int("PAYMENT_ORDER_TTL_HOURS", default=24)
# Premium credits per request (as the original: one request of 1-4 images is one credit);
# video is metered. A kind priced 0 is free on every plan. The free plan spends one of its
# lifetime generations per request of any priced kind.
GENERATION_COSTS = {
    "image": env.int("GENERATION_COST_IMAGE", default=1),
    "edit": env.int("GENERATION_COST_EDIT", default=1),
    "video": env.int("GENERATION_COST_VIDEO", default=20),
    "enhance": env.int("GENERATION_COST_ENHANCE", default=0),
}
# Operators may price premium images and edits per output instead (cost x count).
GENERATION_PRICE_PER_IMAGE = env.bool("GENERATION_PRICE_PER_IMAGE", default=False)
RAZORPAY_KEY_ID = env("RAZORPAY_KEY_ID", default="")
RAZORPAY_KEY_SECRET = env("RAZORPAY_KEY_SECRET", default="")
RAZORPAY_WEBHOOK_SECRET = env("RAZORPAY_WEBHOOK_SECRET", default="")
# Empty means the client's default (https://api.razorpay.com); tests point it at a fake.
RAZORPAY_BASE_URL = env("RAZORPAY_BASE_URL", default="")
RAZORPAY_CHECKOUT_JS_URL = env(
    "RAZORPAY_CHECKOUT_JS_URL", default="https://checkout.razorpay.com/v1/checkout.js"
)
# Orders a user may create (each calls Razorpay), in django-ratelimit's syntax.
PAYMENT_ORDER_RATE_LIMIT = env("PAYMENT_ORDER_RATE_LIMIT", default="10/h")
