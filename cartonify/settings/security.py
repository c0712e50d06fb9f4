"""HTTPS, cookies, framing and the Content-Security-Policy (django-csp)."""

from csp.constants import NONCE

from cartonify.settings.base import DEVELOPMENT, env
from cartonify.settings.files_and_storages import AWS_STORAGE_BUCKET_NAME, STORAGES

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if not DEVELOPMENT:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Scripts and styles come from our own origin; an inline script needs the request's nonce.
# Style attributes are allowed (they cannot run code; the admin and Swagger set them), and
# the plain error pages' one inline style is allowed by its hash. The payment provider's
# checkout is allowed on the premium page only (billing.views.premium).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Named, so a page that adds a source (the premium page) still keeps its own origin.
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'sha256-gSdPL02CtvwRB2OagqZjikOwiK9oGGlclUXKCa5/Y9U='"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if AWS_STORAGE_BUCKET_NAME:
    from core.object_storage import csp_allowing_storage

    CONTENT_SECURITY_POLICY = csp_allowing_storage(CONTENT_SECURITY_POLICY, STORAGES["default"])
