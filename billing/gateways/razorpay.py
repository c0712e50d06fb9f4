"""The one module that talks to Razorpay; its errors become `GatewayError`."""

import hashlib
import hmac

import razorpay
import requests
from django.conf import settings

from billing.exceptions import BillingError, PaymentsNotConfigured


class GatewayError(BillingError):
    """Razorpay could not be reached or refused the request."""


def is_configured() -> bool:
    return bool(settings.RAZORPAY_KEY_ID and settings.RAZORPAY_KEY_SECRET)


def _client() -> razorpay.Client:
    if not is_configured():
        raise PaymentsNotConfigured("Payments are not configured.")
    options = {"base_url": settings.RAZORPAY_BASE_URL} if settings.RAZORPAY_BASE_URL else {}
    return razorpay.Client(auth=(settings.RAZORPAY_KEY_ID, settings.RAZORPAY_KEY_SECRET), **options)


def order_create(*, amount_paise: int, currency: str, receipt: str, notes: dict) -> dict:
    data = {"amount": amount_paise, "currency": currency, "receipt": receipt, "notes": notes}
    try:
        return _client().order.create(data=data, timeout=15)
    except (razorpay.errors.BadRequestError, razorpay.errors.ServerError) as exc:
        raise GatewayError(f"Razorpay refused the order: {exc}") from exc
    except (razorpay.errors.GatewayError, requests.RequestException, ValueError) as exc:
        raise GatewayError("Razorpay could not be reached; please try again.") from exc


def checkout_signature_valid(*, order_id: str, payment_id: str, signature: str) -> bool:
    if not signature.isascii():
        return False  # a hex digest; hmac.compare_digest refuses non-ASCII text
    params = {
        "razorpay_order_id": order_id,
        "razorpay_payment_id": payment_id,
        "razorpay_signature": signature,
    }
    try:
        return bool(_client().utility.verify_payment_signature(params))
    except razorpay.errors.SignatureVerificationError:
        return False


def webhook_signature_valid(*, body: bytes, signature: str) -> bool:
    secret = settings.RAZORPAY_WEBHOOK_SECRET
    if not secret or not signature or not signature.isascii():
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)
