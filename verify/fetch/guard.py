"""The SSRF guard: may this URL be fetched, and at which addresses?

Reviewers paste source URLs; the worker fetches them. A URL is attacker-controlled input, so the
fetcher must never become a way to reach the machine itself, the newsroom's internal network or a
cloud metadata service (server-side request forgery, SSRF). Everything in :mod:`verify.fetch` is
built around that.

How the SSRF guard works
========================
1. The URL is parsed by httpx's own parser (the one whose result is actually requested, so there
   is no disagreement between a "checking" parser and a "connecting" parser). Only http/https,
   no ``user:pass@``, a host that is an IP literal or a plain LDH host name (IDNA-encoded by
   httpx; names that fail to encode, percent-encoded hosts and ``localhost``/``*.localhost``,
   ``*.local``, ``*.internal`` … are refused) and a port from the policy's ``allowed_ports``.
2. The host is resolved ONCE with ``socket.getaddrinfo``. That is deliberate: getaddrinfo itself
   turns ``2130706433``, ``0x7f.1``, ``127.1`` … into 127.0.0.1, so the check is made on the
   address that would really be used, not on the spelling.
3. Every resolved address must be globally routable (:func:`address_problem`): loopback, private,
   shared (100.64/10), link-local (incl. 169.254.169.254), multicast, reserved, unspecified,
   documentation/benchmark ranges, and IPv6 forms that embed an IPv4 address (mapped ``::ffff:``,
   compatible ``::a.b.c.d``, 6to4 ``2002::/16``, NAT64 ``64:ff9b::/96``, Teredo) are refused. One
   bad address refuses the whole host.
4. The validated addresses are *pinned* (:mod:`verify.fetch.transport`): the httpx client uses
   ``PinningBackend``, an httpcore network backend whose ``connect_tcp`` never resolves anything.
   It connects only to a pinned address of the host it is asked for (the URL keeps the host
   name, so the Host header, TLS SNI and certificate checks still use the name), and after
   connecting compares the socket's ``getpeername()`` with the pinned address. A DNS answer
   that changes between check and connect (DNS rebinding) therefore has no effect.
5. Redirects are followed by hand (:mod:`verify.fetch.client`, at most the policy's
   ``max_redirects``, default 5) and every hop goes through steps 1-4 again.

Loopback for tests
==================
Tests run a real HTTP server on 127.0.0.1, which the guard refuses. A policy with
``allow_loopback=True`` lets it through, and nothing else: it allows 127.0.0.0/8, ::1 and the
plain name ``localhost``; private, link-local and every other range stay refused. The flag is
injected by code, never detected: the library has no idea whether it runs under pytest, and the
Django side only ever sets it through a factory named in the ``VERIFY_FETCH_POLICY`` setting
(see :mod:`verify.services.policy`), which is not read from the environment.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass

import httpx

from verify.fetch.policy import FetchPolicy

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 8192

# Names that only ever mean "this machine" or "the local network", refused before any lookup so the
# reason is clear (their addresses would be refused anyway).
_LOCAL_NAME_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".home.arpa", ".lan")
_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")

_SHARED = ipaddress.ip_network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_BENCHMARK = ipaddress.ip_network("198.18.0.0/15")
_DOCUMENTATION = tuple(
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "3fff::/20")
)
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_LOOPBACK_V4 = ipaddress.ip_network("127.0.0.0/8")
_LOOPBACK_V6 = ipaddress.ip_address("::1")
_METADATA = ipaddress.ip_address("169.254.169.254")


def _is_loopback(ip: IPAddress) -> bool:
    return ip == _LOOPBACK_V6 if ip.version == 6 else ip in _LOOPBACK_V4


def address_problem(ip: IPAddress | str, *, allow_loopback: bool = False) -> str | None:
    """Why a connection to ``ip`` is not allowed ("a loopback address" …), or None if it is.

    ``is_global`` alone is not enough: Python treats 6to4, NAT64, IPv4-compatible and mapped
    IPv6 addresses and site-local fec0::/10 as global, yet each can lead to a private IPv4 host.
    """
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip)
    # 1. IPv6 forms that embed (or tunnel to) an IPv4 address. The embedded address is checked
    #    without allow_loopback: loopback reached through a tunnel form is never a test server.
    if ip.version == 6:
        assert isinstance(ip, ipaddress.IPv6Address)
        if ip.ipv4_mapped is not None:
            return f"an IPv4-mapped IPv6 address (of {ip.ipv4_mapped})"
        if ip in _IPV4_COMPATIBLE and int(ip) > 1:
            return f"an IPv4-compatible IPv6 address (of {ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)})"
        if ip.sixtofour is not None:
            inner = address_problem(ip.sixtofour)
            if inner:
                return f"a 6to4 address embedding {ip.sixtofour}, {inner}"
        if ip in _NAT64:
            v4 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            inner = address_problem(v4)
            if inner:
                return f"a NAT64 address embedding {v4}, {inner}"
            return None
        if ip in _NAT64_LOCAL:
            return "a local-use NAT64 address"
        if ip.teredo is not None:
            return "a Teredo tunnelling address"
        if ip.is_site_local:
            return "a site-local address"
    # 2. The named ranges, most specific reason first.
    if ip.is_unspecified:
        return "an unspecified address"
    if _is_loopback(ip):
        return None if allow_loopback else "a loopback address"
    if ip == _METADATA:
        return "a link-local address (cloud metadata service)"
    if ip.is_link_local:
        return "a link-local address"
    if ip.version == 4 and ip in _SHARED:
        return "a shared (carrier-grade NAT) address"
    if ip.version == 4 and ip in _THIS_NETWORK:
        return "a 'this network' address"
    if any(ip in net for net in _DOCUMENTATION if net.version == ip.version):
        return "a documentation address"
    if ip.version == 4 and ip in _BENCHMARK:
        return "a benchmarking address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.version == 4 and ip.is_reserved:
        return "a reserved address"  # 240.0.0.0/4, which Python also counts as private
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    # 3. Whatever else the registry does not route globally.
    if not ip.is_global:
        return "not a globally routable address"
    return None


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _host_problem(host: str, *, allow_loopback: bool) -> str | None:
    """Refusals decided from the host name alone, before any lookup."""
    if not host:
        return "the URL has no host"
    if "%" in host:
        return "percent-encoded host names are not allowed"
    if _ip_literal(host) is not None:
        return None
    name = host[:-1] if host.endswith(".") else host
    if name == "localhost" and not allow_loopback:
        return "localhost is this machine"
    if name.endswith(_LOCAL_NAME_SUFFIXES):
        return f"{host} is a local network name"
    labels = name.split(".")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        return f"{host!r} is not a valid host name"
    return None


@dataclass
class Vetted:
    """check_url's answer plus what a fetch needs: the parsed URL and whether a "no" is a refusal."""

    ok: bool
    reason: str
    addresses: list[str]
    url: httpx.URL | None = None
    host: str = ""
    port: int = 0
    refused: bool = True
    retryable: bool = False


def _resolve(host: str, port: int) -> list[str]:
    """Addresses of ``host`` in resolver order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    seen: dict[str, None] = {}
    for _family, _type, _proto, _canon, sockaddr in infos:
        seen.setdefault(str(sockaddr[0]), None)
    return list(seen)


def vet(raw_url: str | httpx.URL, policy: FetchPolicy) -> Vetted:
    """The SSRF check (module docstring, "How the SSRF guard works", steps 1-3)."""
    allow_loopback = policy.allow_loopback
    # 1. Parse with httpx, exactly as the request will.
    text = str(raw_url).strip()
    if len(text) > MAX_URL_LENGTH:
        return Vetted(False, f"refused: the URL is longer than {MAX_URL_LENGTH} characters", [])
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        return Vetted(False, f"refused: invalid URL ({exc})", [])
    if url.scheme not in ("http", "https"):
        scheme = url.scheme or "(none)"
        return Vetted(False, f"refused: scheme {scheme} is not allowed (only http and https)", [])
    if url.userinfo:
        return Vetted(False, "refused: credentials in URLs are not allowed", [])
    try:
        host = url.raw_host.decode("ascii").lower()
    except UnicodeDecodeError:
        return Vetted(False, "refused: the host name could not be encoded", [])
    problem = _host_problem(host, allow_loopback=allow_loopback)
    if problem:
        return Vetted(False, f"refused: {problem}", [])
    port = url.port if url.port is not None else (443 if url.scheme == "https" else 80)
    if port not in policy.allowed_ports:
        return Vetted(False, f"refused: port {port} is not allowed", [])
    # 2. Resolve once.
    try:
        addresses = _resolve(host, port)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        again = isinstance(exc, socket.gaierror) and exc.errno == socket.EAI_AGAIN
        reason = f"could not resolve host {host}: {exc}"
        return Vetted(False, reason, [], url, host, port, refused=False, retryable=again)
    if not addresses:
        return Vetted(False, f"could not resolve host {host}", [], url, host, port, refused=False)
    # 3. Every address must be allowed.
    literal = _ip_literal(host) is not None
    for address in addresses:
        try:
            problem = address_problem(address, allow_loopback=allow_loopback)
        except ValueError:
            problem = "not an IP address"
        if problem:
            where = f"{address} is" if literal else f"{host} resolves to {address},"
            return Vetted(False, f"refused: {where} {problem}", addresses, url, host, port)
    return Vetted(True, "", addresses, url, host, port, refused=False)


def check_url(url: str, *, policy: FetchPolicy | None = None) -> tuple[bool, str, list[str]]:
    """May ``url`` be fetched? ``(ok, reason, resolved addresses)``; reason is "" when ok.

    Resolves the host (one DNS lookup). A refusal's reason starts with "refused:"; a host that
    does not resolve gives ``ok=False`` with a "could not resolve" reason. Without a policy the
    defaults apply (ports 80 and 443, no loopback).
    """
    vetted = vet(url, policy or FetchPolicy())
    return vetted.ok, vetted.reason, vetted.addresses
