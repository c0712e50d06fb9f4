"""The SSRF guard, as a pure function: resolvers are passed in, nothing is patched."""

import pytest

from webhooks.guard import WebhookRefused, webhook_target

MAX = 2000


def public(host, port):
    return ["93.184.215.14"]


def resolves_to(address):
    return lambda host, port: [address]


def target(url, **kwargs):
    return webhook_target(url, max_length=MAX, **kwargs)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.0.0.5/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://localhost/hook",  # resolved through /etc/hosts, no internet DNS
        "https://0.0.0.0/hook",
        "https://192.168.1.1/hook",
        "https://172.16.0.1/hook",
        "https://100.100.100.200/hook",  # shared address space: a cloud metadata service
        "https://[fd00:ec2::254]/hook",  # AWS's IPv6 metadata address
        "https://[fe80::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:10.0.0.5]/hook",
        "https://2130706433/hook",  # 127.0.0.1 as one number
        "https://0x7f.1/hook",
    ],
)
def test_private_loopback_link_local_and_metadata_addresses_are_refused(url):
    with pytest.raises(WebhookRefused, match=r"private or reserved|could not be resolved"):
        target(url)


def test_a_name_resolving_to_a_private_address_is_refused():
    with pytest.raises(WebhookRefused, match=r"private or reserved address \(10\.1\.2\.3\)"):
        target("https://hooks.internal.example/x", resolve=resolves_to("10.1.2.3"))


def test_a_name_is_refused_when_any_of_its_addresses_is_private():
    both = lambda host, port: ["93.184.215.14", "127.0.0.1"]  # noqa: E731
    with pytest.raises(WebhookRefused):
        target("https://hooks.example.com/x", resolve=both)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.com/x", "must start with https://"),
        ("ftp://hooks.example.com/x", "must start with https://"),
        ("hooks.example.com/x", "must start with https://"),
        ("https://user:secret@hooks.example.com/x", "user name or password"),
        ("https:///x", "no host"),
        ("https://hooks.example.com:99999/x", "invalid port"),
        ("https://hooks.example.com/" + "a" * 5000, "longer than 2000"),
    ],
)
def test_malformed_urls_are_refused_with_a_reason(url, message):
    with pytest.raises(WebhookRefused, match=message):
        target(url, resolve=public)


def test_an_unresolvable_host_is_refused():
    def fails(host, port):
        raise OSError("Name or service not known")

    with pytest.raises(WebhookRefused, match="could not be resolved"):
        target("https://nowhere.invalid/x", resolve=fails)


def test_a_public_https_url_gives_the_checked_address_to_connect_to():
    found = target("https://hooks.example.com:8443/x?y=1", resolve=public)
    assert (found.host, found.port, found.address) == ("hooks.example.com", 8443, "93.184.215.14")
    assert found.is_https


def test_the_test_setting_allows_http_to_loopback_only():
    assert target("http://127.0.0.1:8000/hook", allow_loopback=True).address == "127.0.0.1"
    for url in ("http://10.0.0.5/hook", "https://169.254.169.254/", "http://[fe80::1]/"):
        with pytest.raises(WebhookRefused):
            target(url, allow_loopback=True)


# IPv6 forms that carry an IPv4 address, each carrying 169.254.169.254 (the metadata
# address) or 10.0.0.5: a gateway on the way turns them into the IPv4 address.
CARRIED = [
    ("64:ff9b::a9fe:a9fe", "169.254.169.254"),  # NAT64, the well-known prefix
    ("64:ff9b::a00:5", "10.0.0.5"),
    ("64:ff9b:1::a9fe:a9fe", "169.254.169.254"),  # NAT64, the local-use prefix
    ("2002:a9fe:a9fe::1", "169.254.169.254"),  # 6to4
    ("2002:a00:5::", "10.0.0.5"),
    ("2001:0:4136:e378:8000:63bf:f5ff:fffa", "10.0.0.5"),  # Teredo: the client, inverted
    ("2001:0:a00:5:8000:63bf:a2c4:f9fa", "10.0.0.5"),  # Teredo: the server
    ("::a9fe:a9fe", "169.254.169.254"),  # IPv4-compatible
    ("::ffff:0:a9fe:a9fe", "169.254.169.254"),  # SIIT
    ("::ffff:a9fe:a9fe", "169.254.169.254"),  # IPv4-mapped
]


@pytest.mark.parametrize(("address", "carried"), CARRIED)
def test_an_ipv6_literal_carrying_a_private_ipv4_address_is_refused_for_it(address, carried):
    with pytest.raises(WebhookRefused, match=rf"private or reserved address \({carried}\)"):
        target(f"https://[{address}]/hook")


@pytest.mark.parametrize(("address", "carried"), CARRIED)
def test_a_name_whose_aaaa_answer_carries_a_private_ipv4_address_is_refused(address, carried):
    with pytest.raises(WebhookRefused, match=rf"private or reserved address \({carried}\)"):
        target("https://hooks.example.com/x", resolve=resolves_to(address))


@pytest.mark.parametrize("resolve", [None, resolves_to("fec0::1")], ids=["literal", "aaaa"])
def test_a_site_local_ipv6_address_is_refused(resolve):
    url = "https://[fec0::1]/hook" if resolve is None else "https://hooks.example.com/x"
    kwargs = {"resolve": resolve} if resolve else {}
    with pytest.raises(WebhookRefused, match=r"private or reserved address \(fec0::1\)"):
        target(url, **kwargs)


def test_nat64_to_a_public_ipv4_address_is_allowed_and_connected_to_as_given():
    found = target("https://hooks.example.com/x", resolve=resolves_to("64:ff9b::5db8:d70e"))
    assert found.address == "64:ff9b::5db8:d70e"


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com:22/x",
        "https://hooks.example.com:80/x",
        "https://hooks.example.com:6379/x",
        "https://hooks.example.com:8080/x",
        "https://[64:ff9b::5db8:d70e]:25/x",
    ],
)
def test_ports_other_than_443_and_8443_are_refused(url):
    with pytest.raises(WebhookRefused, match="port 443 or 8443"):
        target(url, resolve=public)


@pytest.mark.parametrize(
    ("url", "port"),
    [
        ("https://h.example.com/x", 443),
        ("https://h.example.com:443/x", 443),
        ("https://h.example.com:8443/x", 8443),
    ],
)
def test_the_https_ports_are_allowed(url, port):
    assert target(url, resolve=public).port == port
