"""``fetch(url, *, policy)``: one page, within the policy's limits, never raising for trouble.

Every outcome is a :class:`FetchResult` whose ``state`` is ``"fetched"``, ``"failed"``
(network/HTTP/content problem; ``retryable`` says whether trying later may help) or
``"refused"`` (the URL is not allowed; never retryable), with a human-readable ``error`` shown
to reviewers.

The steps: the URL is vetted (:mod:`verify.fetch.guard`) and its addresses pinned
(:mod:`verify.fetch.transport`); redirects are followed by hand, each hop vetted again; the
content type is checked before any body byte is read; the body is read, decompressed and cut at
``max_bytes`` (a gzip bomb never inflates past it); everything runs under one wall-clock
deadline (``total_timeout``); the text comes from :mod:`verify.fetch.pagetext`.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
import zlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import httpx

from verify.fetch.guard import vet
from verify.fetch.pagetext import decode_body, html_title, html_to_text, outbound_links
from verify.fetch.policy import FetchPolicy
from verify.fetch.transport import PinnedTransport, PinningBackend, PinViolation

logger = logging.getLogger(__name__)

State = Literal["fetched", "failed", "refused"]

ALLOWED_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
HTML_TYPES = ("text/html", "application/xhtml+xml")
HEADERS_OF_INTEREST = ("content-type", "last-modified", "etag", "retry-after", "content-length")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


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


# --- Bounded body ---------------------------------------------------------------------------------


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
        result.title = html_title(text)
        result.text = html_to_text(text)
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


def fetch(url: str, *, policy: FetchPolicy) -> FetchResult:
    """Fetch ``url`` within ``policy`` and extract its main text. Never raises for network,
    HTTP or content problems; see :class:`FetchResult`."""
    started = time.monotonic()
    deadline = started + policy.total_timeout
    result = _fetch(url, policy, deadline)
    result.elapsed = round(time.monotonic() - started, 3)
    if not result.ok:
        logger.info("fetch %s: %s (%s)", result.state, url, result.error)
    return result


def _fetch(url: str, policy: FetchPolicy, deadline: float) -> FetchResult:
    result = FetchResult(url=url, state="failed", final_url=url)
    backend = PinningBackend(allow_loopback=policy.allow_loopback)
    headers = {
        "User-Agent": policy.user_agent,
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8",
        "Accept-Encoding": "gzip, deflate",
    }
    current: str | httpx.URL = url
    first = vet(url, policy)
    if not first.ok:
        state: State = "refused" if first.refused else "failed"
        return _failed(result, first.reason, retryable=first.retryable, state=state)
    try:
        with httpx.Client(
            transport=PinnedTransport(backend), headers=headers, follow_redirects=False, trust_env=False
        ) as client:
            for hop in range(policy.max_redirects + 1):
                # 1. Vet this hop (first URL or redirect target) and pin its addresses.
                vetted = first if hop == 0 else vet(current, policy)
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
