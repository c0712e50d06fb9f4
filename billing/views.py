import json
import logging
from functools import wraps
from urllib.parse import urlsplit

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.ratelimits import RateLimited, rate_limit

from . import services
from .exceptions import BillingError
from .forms import CheckoutCallbackForm
from .gateways import razorpay as gateway
from .models import LedgerEntry, Plan, Subscription, WebhookEvent

logger = logging.getLogger(__name__)

EVENT_ID_MAX_LENGTH = WebhookEvent._meta.get_field("event_id").max_length


def allow_checkout(view):
    """Let a page load Razorpay Checkout: its script, and the payment window it opens in a
    frame. Read per request, as the script's address is a setting."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        parts = urlsplit(settings.RAZORPAY_CHECKOUT_JS_URL)
        origin = f"{parts.scheme}://{parts.netloc}"
        razorpay = [origin, "https://api.razorpay.com", "https://lumberjack.razorpay.com"]
        policy = {"script-src": [origin], "frame-src": razorpay, "connect-src": razorpay}
        return csp_update(policy)(view)(request, *args, **kwargs)

    return wrapped


@login_required
@allow_checkout
def premium(request):
    account = services.credit_account_for(user=request.user)
    entries = Paginator(LedgerEntry.objects.filter(account=account), 25)
    subscription = Subscription.objects.filter(user=request.user).first()
    context = {
        "account": account,
        "subscription": subscription,
        "paid_until_after_payment": (subscription or Subscription()).paid_until_after_payment(
            timezone.now()
        ),
        "entries": entries.get_page(request.GET.get("page")),
        "payments_configured": gateway.is_configured(),
        "price_rupees": settings.PREMIUM_PRICE_PAISE / 100,
        "currency": settings.PREMIUM_CURRENCY,
        "credits_per_period": settings.PREMIUM_CREDITS_PER_PERIOD,
        "period_days": settings.PREMIUM_PERIOD_DAYS,
        "free_generations": settings.FREE_PLAN_GENERATIONS,
        "checkout_js_url": settings.RAZORPAY_CHECKOUT_JS_URL,
        "video_cost": {
            plan: services.plan_cost(plan=plan, kind="video", count=1) for plan in Plan.values
        },
        "generation_rate": settings.GENERATION_RATE_LIMIT,
    }
    return render(request, "billing/premium.html", context)


@login_required
@require_POST
def order_create(request):
    """Create the Razorpay order for the page's Checkout; the amount comes from settings."""
    try:
        _check_order_rate(request)
    except RateLimited as limited:
        response = JsonResponse({"error": "Too many payment attempts. Try again soon."}, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    try:
        payment = services.payment_start(user=request.user)
    except BillingError as exc:
        logger.warning("Order creation failed for user %s: %s", request.user.pk, exc)
        return JsonResponse({"error": str(exc)}, status=503)
    return JsonResponse(
        {
            "key": settings.RAZORPAY_KEY_ID,
            "order_id": payment.razorpay_order_id,
            "amount": payment.amount_paise,
            "currency": payment.currency,
            "email": request.user.email,
        }
    )


def _check_order_rate(request) -> None:
    """Each order this user asks for calls Razorpay: raise RateLimited past the limit."""
    rate_limit(
        request,
        group="billing.order_create",
        key="user",
        rate=settings.PAYMENT_ORDER_RATE_LIMIT,
        allowed="start {count} payments",
        method=["POST"],
    )


@login_required
@require_POST
def payment_verify(request):
    form = CheckoutCallbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The payment response was incomplete.")
        return redirect("billing:premium")
    try:
        services.payment_confirm_checkout(
            user=request.user,
            order_id=form.cleaned_data["razorpay_order_id"],
            payment_id=form.cleaned_data["razorpay_payment_id"],
            signature=form.cleaned_data["razorpay_signature"],
        )
    except BillingError as exc:
        messages.error(
            request, f"{exc} If money left your account, contact us with your payment id."
        )
        return redirect("billing:premium")
    messages.success(request, "Thank you! Premium is active.")
    return redirect("billing:premium")


def _refuse_non_json_number(name: str):
    # Python reads NaN and Infinity; JSON (and PostgreSQL, which records the event) does not.
    raise ValueError(f"{name} is not JSON")


def _is_event(payload) -> bool:
    # PostgreSQL cannot store a NUL character in the recorded JSON.
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("event"), str)
        and "\\u0000" not in json.dumps(payload)
    )


@csrf_exempt
@require_POST
def razorpay_event(request):
    signature = request.headers.get("X-Razorpay-Signature", "")
    if not gateway.webhook_signature_valid(body=request.body, signature=signature):
        logger.warning("Razorpay event with a bad signature")
        return HttpResponse("bad signature", status=400, content_type="text/plain")
    event_id = request.headers.get("X-Razorpay-Event-Id", "")
    try:
        payload = json.loads(request.body, parse_constant=_refuse_non_json_number)
    except ValueError:
        return HttpResponse("bad json", status=400, content_type="text/plain")
    if not event_id or len(event_id) > EVENT_ID_MAX_LENGTH:
        return HttpResponse("missing event id", status=400, content_type="text/plain")
    # Signed is not well formed: the handlers may trust only the shape checked here.
    if not _is_event(payload):
        return HttpResponse("not an event", status=400, content_type="text/plain")
    outcome = services.gateway_event_receive(event_id=event_id, payload=payload)
    return HttpResponse(outcome, content_type="text/plain")
