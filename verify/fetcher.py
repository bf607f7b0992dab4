"""Fetch one web page safely and pull out its main text.

Reviewers paste source URLs; the worker fetches them. A URL is attacker-controlled input, so the
fetcher must never become a way to reach the machine itself, the newsroom's internal network or a
cloud metadata service (server-side request forgery, SSRF). Everything here is built around that.

Public API
==========
``fetch(url, *, policy=None) -> FetchResult``
    Never raises for network or HTTP trouble: every outcome is a :class:`FetchResult` whose
    ``state`` is ``"fetched"``, ``"failed"`` (network/HTTP/content problem; ``retryable`` says
    whether trying later may help) or ``"refused"`` (the URL is not allowed; never retryable),
    with a human-readable ``error`` shown to reviewers.
``check_url(url, *, policy=None) -> (ok, reason, addresses)``
    The SSRF verdict alone, resolving the host once.
``FetchPolicy.from_settings()``
    Limits from Django settings (read lazily, inside functions, never at import time).

How the SSRF guard works
========================
1. The URL is parsed by httpx's own parser (the one whose result is actually requested, so there
   is no disagreement between a "checking" parser and a "connecting" parser). Only http/https,
   no ``user:pass@``, a host that is an IP literal or a plain LDH host name (IDNA-encoded by
   httpx; names that fail to encode, percent-encoded hosts and ``localhost``/``*.localhost``,
   ``*.local``, ``*.internal`` … are refused) and a port from ``VERIFY_FETCH_ALLOWED_PORTS``.
2. The host is resolved ONCE with ``socket.getaddrinfo``. That is deliberate: getaddrinfo itself
   turns ``2130706433``, ``0x7f.1``, ``127.1`` … into 127.0.0.1, so the check is made on the
   address that would really be used, not on the spelling.
3. Every resolved address must be globally routable (:func:`address_problem`): loopback, private,
   shared (100.64/10), link-local (incl. 169.254.169.254), multicast, reserved, unspecified,
   documentation/benchmark ranges, and IPv6 forms that embed an IPv4 address (mapped ``::ffff:``,
   compatible ``::a.b.c.d``, 6to4 ``2002::/16``, NAT64 ``64:ff9b::/96``, Teredo) are refused. One
   bad address refuses the whole host.
4. The validated addresses are *pinned*: the httpx client uses :class:`PinningBackend`, an
   httpcore network backend whose ``connect_tcp`` never resolves anything. It connects only to a
   pinned address of the host it is asked for (the URL keeps the host name, so the Host header,
   TLS SNI and certificate checks still use the name), and after connecting compares the socket's
   ``getpeername()`` with the pinned address. A DNS answer that changes between check and connect
   (DNS rebinding) therefore has no effect.
5. Redirects are followed by hand (at most ``VERIFY_FETCH_MAX_REDIRECTS``, default 5) and every
   hop goes through steps 1-4 again.

Letting tests fetch from 127.0.0.1
==================================
Tests run a real HTTP server on 127.0.0.1, which the guard refuses. They may opt in with
``VERIFY_FETCH_ALLOW_LOOPBACK_FOR_TESTS = LOOPBACK_TEST_TOKEN`` (the exact string, ``True`` is
not enough), and the opt-in is honoured only while ALL of these hold:

* the setting equals :data:`LOOPBACK_TEST_TOKEN`;
* ``pytest`` is imported in this process (``"pytest" in sys.modules``);
* a pytest test is running (``PYTEST_CURRENT_TEST`` is in the environment).

A web server or Celery worker never imports pytest, so a stray setting in production does
nothing. Even when honoured it allows loopback only (127.0.0.0/8 and ::1, plain ``localhost``):
private, link-local and every other range stay refused.

Settings (all optional; ``getattr(settings, NAME, default)``)
=============================================================
VERIFY_FETCH_CONNECT_TIMEOUT (5 s), VERIFY_FETCH_READ_TIMEOUT (15 s), VERIFY_FETCH_TOTAL_TIMEOUT
(30 s, wall clock for the whole fetch so a server dribbling bytes cannot hold a worker),
VERIFY_FETCH_MAX_BYTES (5 MB, decoded body), VERIFY_FETCH_MAX_REDIRECTS (5),
VERIFY_FETCH_ALLOWED_PORTS ([80, 443]), VERIFY_CONTACT (for the User-Agent; falls back to
VERIFY_NEWSROOM_URL), VERIFY_FETCH_ALLOW_LOOPBACK_FOR_TESTS (off; see above).
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import ipaddress
import logging
import math
import os
import re
import socket
import ssl
import sys
import time
import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import httpcore
import httpx

# SyncStream is httpcore's wrapper of a connected socket (TLS upgrade, timeouts per read). It is
# not re-exported, but building our own socket is the whole point of PinningBackend: the public
# SyncBackend.connect_tcp would call socket.create_connection, which resolves the host again.
from httpcore._backends.sync import SyncStream

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
State = Literal["fetched", "failed", "refused"]

VERSION = "0.1"
DEFAULT_CONTACT = "https://newsroom.example"
LOOPBACK_TEST_TOKEN = "allow-loopback-in-pytest-only"
ALLOWED_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
HTML_TYPES = ("text/html", "application/xhtml+xml")
HEADERS_OF_INTEREST = ("content-type", "last-modified", "etag", "retry-after", "content-length")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
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


# --- Settings and policy --------------------------------------------------------------------------


def _setting(name: str, default: Any) -> Any:
    """A Django setting read at call time; the default when Django is not configured (scripts)."""
    from django.conf import settings

    if not settings.configured:
        return default
    return getattr(settings, name, default)


def loopback_allowed_for_tests() -> bool:
    """True only inside a pytest run whose settings carry the exact opt-in token (see docstring)."""
    return (
        _setting("VERIFY_FETCH_ALLOW_LOOPBACK_FOR_TESTS", None) == LOOPBACK_TEST_TOKEN
        and "pytest" in sys.modules
        and "PYTEST_CURRENT_TEST" in os.environ
    )


def _user_agent() -> str:
    contact = _setting("VERIFY_CONTACT", "") or _setting("VERIFY_NEWSROOM_URL", "") or DEFAULT_CONTACT
    # A header must be printable ASCII without CR/LF, whatever someone put in the setting.
    contact = "".join(ch for ch in str(contact) if " " <= ch <= "~") or DEFAULT_CONTACT
    return f"verify/{VERSION} (+claim verification workbench; contact: {contact})"


@dataclass(frozen=True)
class FetchPolicy:
    """The limits of one fetch. ``from_settings()`` fills them from Django settings.

    The loopback test opt-in is deliberately NOT a policy field: a policy is easy to build in
    code, and the opt-in must only ever come from the guarded setting.
    """

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allowed_ports: tuple[int, ...] = (80, 443)
    user_agent: str = f"verify/{VERSION} (+claim verification workbench; contact: {DEFAULT_CONTACT})"

    @classmethod
    def from_settings(cls, **overrides: Any) -> FetchPolicy:
        base = cls(
            connect_timeout=float(_setting("VERIFY_FETCH_CONNECT_TIMEOUT", cls.connect_timeout)),
            read_timeout=float(_setting("VERIFY_FETCH_READ_TIMEOUT", cls.read_timeout)),
            total_timeout=float(_setting("VERIFY_FETCH_TOTAL_TIMEOUT", cls.total_timeout)),
            max_bytes=int(_setting("VERIFY_FETCH_MAX_BYTES", cls.max_bytes)),
            max_redirects=int(_setting("VERIFY_FETCH_MAX_REDIRECTS", cls.max_redirects)),
            allowed_ports=tuple(int(p) for p in _setting("VERIFY_FETCH_ALLOWED_PORTS", cls.allowed_ports)),
            user_agent=_user_agent(),
        )
        return replace(base, **overrides)


# --- Result ---------------------------------------------------------------------------------------


@dataclass
class FetchResult:
    """What happened to one URL; stored on the source and shown to reviewers."""

    url: str
    state: State
    final_url: str = ""
    http_status: int | None = None
    content_type: str = ""
    charset: str = ""
    title: str = ""
    text: str = ""
    text_sha256: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""
    retry_after: int | None = None
    retryable: bool = False
    truncated: bool = False
    bytes_read: int = 0
    redirects: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    links: list[str] = field(default_factory=list)  # outbound http(s) links of an HTML page

    @property
    def ok(self) -> bool:
        return self.state == "fetched"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, with ``ok`` included (a property, so ``asdict`` leaves it out)."""
        return {**asdict(self), "ok": self.ok}


# --- Addresses and URLs ---------------------------------------------------------------------------


def _is_loopback(ip: IPAddress) -> bool:
    return ip == _LOOPBACK_V6 if ip.version == 6 else ip in _LOOPBACK_V4


def address_problem(ip: IPAddress | str, *, allow_loopback: bool = False) -> str | None:
    """Why a connection to ``ip`` is not allowed ("a loopback address" …), or None if it is.

    ``is_global`` alone is not enough: Python treats 6to4, NAT64, IPv4-compatible and mapped
    IPv6 addresses and site-local fec0::/10 as global, yet each can lead to a private IPv4 host.
    """
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip)
    # 1. IPv6 forms that embed (or tunnel to) an IPv4 address.
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
class _Vetted:
    """check_url's answer plus what fetch needs: the parsed URL and whether a "no" is a refusal."""

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


def _vet(raw_url: str | httpx.URL, policy: FetchPolicy) -> _Vetted:
    """The SSRF check (module docstring, "How the SSRF guard works", steps 1-3)."""
    allow_loopback = loopback_allowed_for_tests()
    # 1. Parse with httpx, exactly as the request will.
    text = str(raw_url).strip()
    if len(text) > MAX_URL_LENGTH:
        return _Vetted(False, f"refused: the URL is longer than {MAX_URL_LENGTH} characters", [])
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        return _Vetted(False, f"refused: invalid URL ({exc})", [])
    if url.scheme not in ("http", "https"):
        scheme = url.scheme or "(none)"
        return _Vetted(False, f"refused: scheme {scheme} is not allowed (only http and https)", [])
    if url.userinfo:
        return _Vetted(False, "refused: credentials in URLs are not allowed", [])
    try:
        host = url.raw_host.decode("ascii").lower()
    except UnicodeDecodeError:
        return _Vetted(False, "refused: the host name could not be encoded", [])
    problem = _host_problem(host, allow_loopback=allow_loopback)
    if problem:
        return _Vetted(False, f"refused: {problem}", [])
    port = url.port if url.port is not None else (443 if url.scheme == "https" else 80)
    if port not in policy.allowed_ports:
        return _Vetted(False, f"refused: port {port} is not allowed", [])
    # 2. Resolve once.
    try:
        addresses = _resolve(host, port)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        again = isinstance(exc, socket.gaierror) and exc.errno == socket.EAI_AGAIN
        reason = f"could not resolve host {host}: {exc}"
        return _Vetted(False, reason, [], url, host, port, refused=False, retryable=again)
    if not addresses:
        return _Vetted(False, f"could not resolve host {host}", [], url, host, port, refused=False)
    # 3. Every address must be allowed.
    literal = _ip_literal(host) is not None
    for address in addresses:
        try:
            problem = address_problem(address, allow_loopback=allow_loopback)
        except ValueError:
            problem = "not an IP address"
        if problem:
            where = f"{address} is" if literal else f"{host} resolves to {address},"
            return _Vetted(False, f"refused: {where} {problem}", addresses, url, host, port)
    return _Vetted(True, "", addresses, url, host, port, refused=False)


def check_url(url: str, *, policy: FetchPolicy | None = None) -> tuple[bool, str, list[str]]:
    """May ``url`` be fetched? ``(ok, reason, resolved addresses)``; reason is "" when ok.

    Resolves the host (one DNS lookup). A refusal's reason starts with "refused:"; a host that
    does not resolve gives ``ok=False`` with a "could not resolve" reason.
    """
    vetted = _vet(url, policy or FetchPolicy.from_settings())
    return vetted.ok, vetted.reason, vetted.addresses


# --- Connecting only to pinned addresses ----------------------------------------------------------


class PinViolation(Exception):
    """The HTTP stack tried to reach an address that was not validated. Never caught by httpx
    (it maps only httpcore's own exceptions), so it surfaces in fetch() as a refusal."""


class PinningBackend(httpcore.NetworkBackend):
    """An httpcore network backend that connects only to addresses validated by ``check_url``.

    ``connect_tcp`` is given the URL's host name; it looks the name up in its pins (never in DNS)
    and connects to a pinned IP with a plain socket, so a changed DNS answer cannot redirect it.
    After connecting it checks the peer address, in case anything below (a patched socket, a
    transparent proxy) put it somewhere else.
    """

    def __init__(self, *, allow_loopback: bool = False) -> None:
        self._pins: dict[tuple[str, int], tuple[str, ...]] = {}
        self._allow_loopback = allow_loopback
        self.connected: list[tuple[str, int]] = []

    def pin(self, host: str, port: int, addresses: Iterable[str]) -> None:
        self._pins[(host.lower(), port)] = tuple(addresses)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        # 1. Only a host:port that was vetted for this hop.
        addresses = self._pins.get((host.lower(), port))
        if not addresses:
            raise PinViolation(f"refused: {host}:{port} was not checked before connecting")
        last_error: OSError | None = None
        for address in addresses:
            ip = ipaddress.ip_address(address)
            # 2. Defence in depth: the pinned address is re-checked right before use.
            problem = address_problem(ip, allow_loopback=self._allow_loopback)
            if problem:
                raise PinViolation(f"refused: {address} is {problem}")
            family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(timeout)
                if local_address:
                    sock.bind((local_address, 0))
                # 3. Connect to the IP itself: no name, so no second lookup.
                sock.connect((str(ip), port))
                # 4. The peer must be the address we validated.
                peer = ipaddress.ip_address(sock.getpeername()[0].split("%", 1)[0])
                if peer != ip:
                    raise PinViolation(f"refused: connected to {peer}, expected the checked address {ip}")
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                for option in socket_options or ():
                    sock.setsockopt(*option)
            except PinViolation:
                sock.close()
                raise
            except OSError as exc:
                sock.close()
                last_error = exc
                continue
            self.connected.append((str(ip), port))
            return SyncStream(sock)
        if isinstance(last_error, TimeoutError):
            raise httpcore.ConnectTimeout(f"connecting to {host} timed out")
        raise httpcore.ConnectError(f"could not connect to {host}: {last_error}")

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
        raise PinViolation("refused: unix sockets are never used")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context (certifi's CAs) for the process: loading the CA bundle costs
    tens of milliseconds, too much to pay on every fetch."""
    return httpx.create_ssl_context(trust_env=False)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's default transport with its connection pool rebuilt on a :class:`PinningBackend`.

    httpx 0.28 has no parameter for a network backend, so the pool is replaced after
    ``__init__``; if a future httpx renames the attribute this fails loudly instead of silently
    connecting without pins.
    """

    def __init__(self, backend: PinningBackend) -> None:
        ssl_context = _ssl_context()
        super().__init__(verify=ssl_context, trust_env=False, retries=0)
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):
            raise RuntimeError("httpx internals changed: cannot install the pinning network backend")
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=4,
            max_keepalive_connections=2,
            http1=True,
            http2=False,
            retries=0,
            network_backend=backend,
        )


# --- Body: bounded reading, decoding, extraction --------------------------------------------------


class _Unsupported(Exception):
    """A response we will not read (content encoding, broken compression)."""


class _TooSlow(Exception):
    """The fetch as a whole went past its wall-clock budget."""


class _BoundedDecoder:
    """Content-Encoding decoding that never produces more than asked for.

    httpx's own decoders inflate a whole network chunk at once, so a small gzip bomb could
    allocate far past the byte limit before we count anything; zlib's ``max_length`` stops that.
    """

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        self._coding = codings[0] if len(codings) == 1 else ("" if not codings else "multiple")
        self._z: Any = None
        self._first = True
        if self._coding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._coding == "deflate":
            self._z = zlib.decompressobj()
        elif self._coding:
            raise _Unsupported(f"unsupported content encoding {content_encoding}")

    def feed(self, data: bytes, room: int) -> tuple[bytes, bool]:
        """Decode ``data``; return at most ``room`` bytes and whether more output was cut."""
        if self._z is None:
            return data[:room], len(data) > room
        try:
            out = self._z.decompress(data, room + 1)
        except zlib.error:
            if not (self._coding == "deflate" and self._first):
                raise _Unsupported(f"the {self._coding} body is corrupt") from None
            # Some servers send raw deflate without the zlib header.
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
            self._first = False
            return self.feed(data, room)
        self._first = False
        return out[:room], len(out) > room or bool(self._z.unconsumed_tail)


def _read_body(response: httpx.Response, max_bytes: int, deadline: float) -> tuple[bytes, bool, int]:
    """Up to ``max_bytes`` of decoded body; (body, truncated, raw bytes read from the network)."""
    decoder = _BoundedDecoder(response.headers.get("content-encoding", ""))
    parts: list[bytes] = []
    size = raw = 0
    for chunk in response.iter_raw():
        raw += len(chunk)
        out, cut = decoder.feed(chunk, max_bytes - size)
        parts.append(out)
        size += len(out)
        if cut or size >= max_bytes:
            # Reached the limit: anything more (even a byte) means the body was cut.
            return b"".join(parts), True, raw
        if time.monotonic() > deadline:
            raise _TooSlow
    return b"".join(parts), False, raw


_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _text_codec(label: str | None) -> str | None:
    """A Python codec for a charset label, or None for unknown or non-text codecs (rot13 …)."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def decode_body(body: bytes, declared: str | None, *, html: bool) -> tuple[str, str]:
    """Bytes to text, never failing: (text, codec used).

    Order: byte-order mark, the charset the server declared, then for HTML a ``<meta charset>``
    or XML declaration in the first 4 KB, then UTF-8. Bad bytes become U+FFFD.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), codec
    codec = _text_codec(declared)
    if codec is None and html:
        head = body[:4096]
        match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
        codec = _text_codec(match.group(1).decode("ascii")) if match else None
        if codec and codec.startswith("utf-16"):
            codec = "utf-8"  # a meta tag readable as ASCII cannot be in UTF-16
    codec = codec or "utf-8"
    return body.decode(codec, errors="replace"), codec


_WS = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_NOISE_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg")


def _parse_html(html: str) -> Any:
    import lxml.html

    # lxml refuses str input that still carries an XML encoding declaration.
    return lxml.html.document_fromstring(_XML_DECL.sub("", html))


def _clean(text: str) -> str:
    lines = (_WS.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _simple_text(html: str) -> str:
    """Fallback when trafilatura finds no main text: the visible body text minus page chrome."""
    try:
        doc = _parse_html(html)
    except Exception:
        return _clean(re.sub(r"<[^>]+>", " ", html))
    for element in doc.xpath("//" + " | //".join(_NOISE_TAGS)):
        element.drop_tree()
    for block in doc.xpath("//p | //h1 | //h2 | //h3 | //h4 | //li | //br | //div | //tr"):
        block.tail = "\n" + (block.tail or "")
    body = doc.find("body")
    return _clean((body if body is not None else doc).text_content())


def _html_title(html: str) -> str:
    try:
        doc = _parse_html(html)
    except Exception:
        return ""
    for xpath in ("//meta[@property='og:title']/@content", "//title//text()", "//h1//text()"):
        found = " ".join(str(t) for t in doc.xpath(xpath)).strip()
        if found:
            return _WS.sub(" ", found)[:500]
    return ""


def outbound_links(html: str, base_url: str, *, limit: int = 50) -> list[str]:
    """Links the story's text makes to other pages (its sources, as a rule): anchors inside
    ``<article>``/``<main>``, else inside paragraphs, so menus and footers are left out. Absolute
    http(s) URLs, each once, in page order, without fragments or links back to the page."""
    from urllib.parse import urldefrag, urljoin, urlsplit

    try:
        doc = _parse_html(html)
    except Exception:
        return []
    own = urldefrag(base_url)[0]
    found: list[str] = []
    hrefs = doc.xpath("//article//a/@href | //main//a/@href") or doc.xpath("//p//a/@href")
    for href in hrefs:
        url = urldefrag(urljoin(base_url, str(href).strip()))[0]
        if urlsplit(url).scheme in ("http", "https") and url != own and url not in found and len(url) <= 2000:
            found.append(url)
            if len(found) >= limit:
                break
    return found


def extract_text(html: str) -> str:
    """Main text of an article page: trafilatura, else :func:`_simple_text`."""
    import trafilatura

    try:
        text = trafilatura.extract(html, include_comments=False, favor_precision=True)
    except Exception:
        logger.warning("trafilatura failed; using the simple extraction", exc_info=True)
        text = None
    return text.strip() if text else _simple_text(html)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> int | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent
    or unreadable. A date in the past means 0."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0, math.ceil(delta))


# --- fetch ----------------------------------------------------------------------------------------


def _finish(response: httpx.Response, result: FetchResult, policy: FetchPolicy, deadline: float) -> None:
    """Fill ``result`` from a final (non-redirect) response, reading the body only if wanted."""
    # 1. Status line, headers of interest, Retry-After.
    result.http_status = response.status_code
    result.headers = {
        name: response.headers[name] for name in HEADERS_OF_INTEREST if name in response.headers
    }
    result.retry_after = parse_retry_after(response.headers.get("retry-after"))
    content_type = response.headers.get("content-type", "")
    mime = content_type.split(";", 1)[0].strip().lower()
    result.content_type = mime
    # 2. HTTP errors: no body needed; 429 and 5xx may pass.
    if response.status_code >= 400:
        result.state = "failed"
        result.error = f"HTTP {response.status_code} {response.reason_phrase}".strip()
        result.retryable = response.status_code == 429 or response.status_code >= 500
        return
    if response.status_code >= 300:
        result.state = "failed"
        result.error = f"HTTP {response.status_code} redirect without a usable Location header"
        return
    # 3. Content type, decided before a single body byte is read.
    if mime not in ALLOWED_CONTENT_TYPES:
        result.state = "failed"
        result.error = f"unsupported content type {mime or '(none declared)'}"
        return
    # 4. Bounded body, then text.
    body, result.truncated, result.bytes_read = _read_body(response, policy.max_bytes, deadline)
    html = mime in HTML_TYPES
    text, result.charset = decode_body(body, response.charset_encoding, html=html)
    if html:
        result.title = _html_title(text)
        result.text = extract_text(text)
        result.links = outbound_links(text, str(response.url))
    else:
        result.text = text.replace("\r\n", "\n").strip()
    result.text_sha256 = hashlib.sha256(result.text.encode("utf-8")).hexdigest()
    result.state = "fetched"


def _failed(result: FetchResult, message: str, *, retryable: bool, state: State = "failed") -> FetchResult:
    result.state = state
    result.error = message
    result.retryable = retryable and state != "refused"
    return result


def fetch(url: str, *, policy: FetchPolicy | None = None) -> FetchResult:
    """Fetch ``url`` within the policy and extract its main text. Never raises for network,
    HTTP or content problems; see :class:`FetchResult`."""
    policy = policy or FetchPolicy.from_settings()
    started = time.monotonic()
    deadline = started + policy.total_timeout
    result = _fetch(url, policy, deadline)
    result.elapsed = round(time.monotonic() - started, 3)
    if not result.ok:
        logger.info("fetch %s: %s (%s)", result.state, url, result.error)
    return result


def _fetch(url: str, policy: FetchPolicy, deadline: float) -> FetchResult:
    result = FetchResult(url=url, state="failed", final_url=url)
    backend = PinningBackend(allow_loopback=loopback_allowed_for_tests())
    headers = {
        "User-Agent": policy.user_agent,
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8",
        "Accept-Encoding": "gzip, deflate",
    }
    current: str | httpx.URL = url
    first = _vet(url, policy)
    if not first.ok:
        state: State = "refused" if first.refused else "failed"
        return _failed(result, first.reason, retryable=first.retryable, state=state)
    try:
        with httpx.Client(
            transport=PinnedTransport(backend), headers=headers, follow_redirects=False, trust_env=False
        ) as client:
            for hop in range(policy.max_redirects + 1):
                # 1. Vet this hop (first URL or redirect target) and pin its addresses.
                vetted = first if hop == 0 else _vet(current, policy)
                if not vetted.ok or vetted.url is None:
                    where = f" (redirect {hop} to {current})" if hop else ""
                    state = "refused" if vetted.refused else "failed"
                    return _failed(result, vetted.reason + where, retryable=vetted.retryable, state=state)
                backend.pin(vetted.host, vetted.port, vetted.addresses)
                result.final_url = str(vetted.url)
                # 2. Ask, with timeouts no longer than what is left of the total budget.
                left = deadline - time.monotonic()
                if left <= 0:
                    raise _TooSlow
                timeout = httpx.Timeout(
                    connect=min(policy.connect_timeout, left),
                    read=min(policy.read_timeout, left),
                    write=min(policy.read_timeout, left),
                    pool=min(policy.connect_timeout, left),
                )
                with client.stream("GET", vetted.url, timeout=timeout) as response:
                    location = response.headers.get("location")
                    # 3. A redirect: work out the next URL and go round again (it is re-vetted).
                    if response.status_code in REDIRECT_STATUSES and location:
                        try:
                            current = response.url.join(location)
                        except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
                            return _failed(
                                result, f"invalid redirect location {location!r}: {exc}", retryable=False
                            )
                        result.redirects.append(str(current))
                        continue
                    # 4. The final answer.
                    _finish(response, result, policy, deadline)
                    return result
            return _failed(result, f"too many redirects (more than {policy.max_redirects})", retryable=False)
    except PinViolation as exc:
        return _failed(result, str(exc), retryable=False, state="refused")
    except _Unsupported as exc:
        return _failed(result, str(exc), retryable=False)
    except _TooSlow:
        message = f"timed out: the fetch took longer than {policy.total_timeout:g} s"
        return _failed(result, message, retryable=True)
    except httpx.ConnectTimeout:
        return _failed(result, f"timed out connecting (after {policy.connect_timeout:g} s)", retryable=True)
    except httpx.TimeoutException:
        message = f"timed out waiting for the server (after {policy.read_timeout:g} s)"
        return _failed(result, message, retryable=True)
    except httpx.ConnectError as exc:
        return _failed(result, f"could not connect: {exc}", retryable=True)
    except httpx.TransportError as exc:
        return _failed(result, f"network error: {exc or type(exc).__name__}", retryable=True)
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        return _failed(result, f"request failed: {exc}", retryable=False)
