"""Which webhook URLs we send to: `https` on port 443 or 8443 to public addresses only.

Checked when a job is submitted and again right before each attempt (DNS can change
in between); the attempt then connects to the very address that was checked.
"""

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.exceptions import ApplicationError

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# HTTPS ports only: any other port would let webhooks probe services that are not web
# servers (and tell from the answers which ports are open).
PORTS = (443, 8443)

# IPv6 prefixes whose addresses end in an IPv4 address: NAT64 (RFC 6052's well-known
# prefix and RFC 8215's local-use one, at /96) and SIIT (RFC 6145); and the deprecated
# IPv4-compatible ::a.b.c.d, apart from :: and ::1, which are addresses of their own.
NAT64_AND_SIIT = [
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
    ipaddress.IPv6Network("::ffff:0:0:0/96"),
]
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


class WebhookRefused(ApplicationError):
    status = 422
    code = "webhook_refused"

    def __init__(self, message: str):
        super().__init__(message, extra={"errors": [{"field": "webhook", "message": message}]})


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

    `allow_loopback` (tests only) also accepts `http`, any port and loopback addresses;
    private, link-local and metadata addresses stay refused.
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
    if port not in PORTS and not allow_loopback:
        raise WebhookRefused("The webhook URL must use port 443 or 8443.")
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
    for checked in _addresses_reached(ip):
        if allow_loopback and checked.is_loopback:
            continue
        if not _is_public(checked):
            raise WebhookRefused(
                f"The webhook URL points to a private or reserved address ({checked}); "
                "only public addresses are allowed."
            )


def _addresses_reached(ip: IPAddress) -> list[IPAddress]:
    """Every IPv4 address `ip` carries, then `ip`: a translator or tunnel on the way
    (NAT64, SIIT, 6to4, Teredo) delivers to the IPv4 one."""
    if isinstance(ip, ipaddress.IPv4Address):
        return [ip]
    if ip.ipv4_mapped:
        return [ip.ipv4_mapped]  # the IPv4 host itself, as the socket layer reaches it
    carried = [ip.sixtofour, *(ip.teredo or ())]
    compatible = ip in IPV4_COMPATIBLE and int(ip) > 1
    if compatible or any(ip in prefix for prefix in NAT64_AND_SIIT):
        carried.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [*(address for address in carried if address is not None), ip]


def _is_public(ip: IPAddress) -> bool:
    # is_global is False for loopback, private (RFC 1918, fc00::/7), link-local (which
    # holds the 169.254.169.254 metadata address), shared (100.64/10), reserved and
    # unspecified addresses; it misses multicast and the deprecated site-local fec0::/10.
    site_local = isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local
    return ip.is_global and not ip.is_multicast and not site_local
