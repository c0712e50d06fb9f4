"""Which webhook URLs we send to: `https` to public addresses only.

Checked when a job is submitted and again right before each attempt (DNS can change
in between); the attempt then connects to the very address that was checked.
"""

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

Resolver = Callable[[str, int], list[str]]


class WebhookRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    url: str
    host: str
    port: int
    address: str  # the checked IP to connect to

    @property
    def is_https(self) -> bool:
        return self.url.lower().startswith("https:")


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def webhook_target(
    url: str,
    *,
    max_length: int,
    allow_loopback: bool = False,
    resolve: Resolver = system_resolver,
) -> Target:
    """The address to deliver `url` to, or WebhookRefused saying why not.

    `allow_loopback` (tests only) also accepts `http` and loopback addresses; private,
    link-local and metadata addresses stay refused.
    """
    if len(url) > max_length:
        raise WebhookRefused(f"The webhook URL is longer than {max_length} characters.")
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_loopback else ("https",)
    if parts.scheme.lower() not in schemes:
        raise WebhookRefused("The webhook URL must start with https://.")
    if parts.username is not None or parts.password is not None:
        raise WebhookRefused("The webhook URL must not carry a user name or password.")
    host = parts.hostname
    if not host:
        raise WebhookRefused("The webhook URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as error:
        raise WebhookRefused("The webhook URL has an invalid port.") from error
    addresses = _resolve(resolve, host, port)
    for address in addresses:
        _check_address(address, allow_loopback=allow_loopback)
    return Target(url=url, host=host, port=port, address=addresses[0])


def _resolve(resolve: Resolver, host: str, port: int) -> list[str]:
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as error:  # socket.gaierror is an OSError
        raise WebhookRefused(f"The webhook host {host!r} could not be resolved.") from error
    if not addresses:
        raise WebhookRefused(f"The webhook host {host!r} has no address.")
    return addresses


def _check_address(address: str, *, allow_loopback: bool) -> None:
    """Every address the name has must be public: a client may pick any of them."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError as error:
        raise WebhookRefused("The webhook host resolved to an invalid address.") from error
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if allow_loopback and ip.is_loopback:
        return
    # is_global is False for loopback, private (RFC 1918, fc00::/7), link-local (which
    # holds the 169.254.169.254 metadata address), shared (100.64/10), reserved and
    # unspecified addresses.
    if not ip.is_global or ip.is_multicast:
        raise WebhookRefused(
            f"The webhook URL points to a private or reserved address ({ip}); "
            "only public addresses are allowed."
        )
