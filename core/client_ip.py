"""The client's address as seen through the reverse proxies we trust."""

from allauth.account.adapter import get_adapter


def client_ip(request) -> str:
    """One answer for allauth's rate limits and django-ratelimit's `key="ip"` alike.

    allauth's adapter reads ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER
    (set from TRUSTED_PROXY_COUNT / TRUSTED_CLIENT_IP_HEADER). Without them X-Forwarded-For
    is ignored, since any client can write it; behind a proxy every visitor then shares
    the proxy's address and one address's limit becomes everyone's.
    """
    return get_adapter(request).get_client_ip(request)
