"""``fetch(url, *, policy)``: one page, within the policy's limits, never raising for trouble.

Every outcome is a :class:`FetchResult` whose ``state`` is ``"fetched"``, ``"failed"``
(network/HTTP/content problem; ``retryable`` says whether trying later may help) or
``"refused"`` (the URL is not allowed; never retryable), with a human-readable ``error`` shown
to reviewers.

The steps: the URL is vetted (:mod:`verify.fetch.guard`) and its addresses pinned
(:mod:`verify.fetch.transport`); redirects are followed by hand, each hop vetted again; the
content type is checked before any body byte is read; the body is read, decompressed and cut at
``max_bytes`` (a gzip bomb never inflates past it); all of it — connect, TLS, headers, body,
every hop — runs under one wall-clock deadline (``total_timeout``), kept by the transport on
every wait on the socket. Then the connection is closed and the text comes from
:mod:`verify.fetch.pagetext`: bytes decoded (never failing), and for HTML the title, links and
main text from a child process under its own limits (:mod:`verify.fetch.extract`).
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

from verify.fetch.extract import ExtractionError, page_text
from verify.fetch.guard import vet
from verify.fetch.pagetext import decode_body
from verify.fetch.policy import FetchPolicy
from verify.fetch.transport import DeadlineExceeded, PinnedTransport, PinningBackend, PinViolation

logger = logging.getLogger(__name__)

State = Literal["fetched", "failed", "refused"]

ALLOWED_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
HTML_TYPES = ("text/html", "application/xhtml+xml")
HEADERS_OF_INTEREST = ("content-type", "last-modified", "etag", "retry-after", "content-length")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
Body = tuple[bytes, str | None]  # a page's bytes and the charset its Content-Type declared


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
    warning: str = ""  # of a fetched page: what was cut, and at which limit
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


def _read_body(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool, int]:
    """Up to ``max_bytes`` of decoded body; (body, truncated, raw bytes read from the network).
    Each read is held to the fetch's deadline by the transport."""
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
    return b"".join(parts), False, raw


def _size(n: int) -> str:
    """A byte count as people read it: 5 MB, 100 KB, 512 bytes."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.3g} MB"
    return f"{n / 1024:.3g} KB" if n >= 1024 else f"{n} bytes"


# --- fetch ----------------------------------------------------------------------------------------


def _finish(response: httpx.Response, result: FetchResult, policy: FetchPolicy) -> Body | None:
    """Fill ``result`` from a final (non-redirect) response; the body (read within the limits)
    and its declared charset if it is to become text, None when the answer stops here (HTTP
    error, content type)."""
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
        return None
    if response.status_code >= 300:
        result.state = "failed"
        result.error = f"HTTP {response.status_code} redirect without a usable Location header"
        return None
    # 3. Content type, decided before a single body byte is read.
    if mime not in ALLOWED_CONTENT_TYPES:
        result.state = "failed"
        result.error = f"unsupported content type {mime or '(none declared)'}"
        return None
    # 4. Bounded body.
    body, result.truncated, result.bytes_read = _read_body(response, policy.max_bytes)
    if result.truncated:
        result.warning = f"only the first {_size(policy.max_bytes)} of the page were read (the size limit)"
    return body, response.charset_encoding


def _to_text(body: Body, result: FetchResult, policy: FetchPolicy) -> None:
    """The page's text, once the connection is closed: decoded, and for HTML extracted in a
    child process (raises ExtractionError past its limits)."""
    html = result.content_type in HTML_TYPES
    text, result.charset = decode_body(*body, html=html)
    if html:
        page = page_text(text, result.final_url, policy=policy)
        result.title, result.text, result.links = page.title, page.text, page.links
        if page.cut:
            result.truncated = True
            cut = (
                f"only the first {_size(policy.max_extract_bytes)} of the page's HTML were searched "
                "for its text (the extraction size limit)"
            )
            result.warning = "; ".join(filter(None, [result.warning, cut]))
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
    result = FetchResult(url=url, state="failed", final_url=url)
    body = _fetch(result, policy, deadline=started + policy.total_timeout)
    if body is not None:
        try:
            _to_text(body, result, policy)
        except ExtractionError as exc:
            _failed(result, str(exc), retryable=exc.retryable)
    result.elapsed = round(time.monotonic() - started, 3)
    if not result.ok:
        logger.info("fetch %s: %s (%s)", result.state, url, result.error)
    return result


def _fetch(result: FetchResult, policy: FetchPolicy, *, deadline: float) -> Body | None:
    """The network part: fills ``result`` and returns the body to turn into text, or None (the
    result says why)."""
    url = result.url
    backend = PinningBackend(allow_loopback=policy.allow_loopback, deadline=deadline)
    headers = {
        "User-Agent": policy.user_agent,
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8",
        "Accept-Encoding": "gzip, deflate",
    }
    # Per wait on the socket; the transport cuts each to what is left of the total budget.
    timeout = httpx.Timeout(
        connect=policy.connect_timeout,
        read=policy.read_timeout,
        write=policy.read_timeout,
        pool=policy.connect_timeout,
    )
    current: str | httpx.URL = url
    first = vet(url, policy)
    if not first.ok:
        state: State = "refused" if first.refused else "failed"
        _failed(result, first.reason, retryable=first.retryable, state=state)
        return None
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
                    _failed(result, vetted.reason + where, retryable=vetted.retryable, state=state)
                    return None
                backend.pin(vetted.host, vetted.port, vetted.addresses)
                result.final_url = str(vetted.url)
                # 2. Ask.
                with client.stream("GET", vetted.url, timeout=timeout) as response:
                    location = response.headers.get("location")
                    # 3. A redirect: work out the next URL and go round again (it is re-vetted).
                    if response.status_code in REDIRECT_STATUSES and location:
                        try:
                            current = response.url.join(location)
                        except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
                            message = f"invalid redirect location {location!r}: {exc}"
                            _failed(result, message, retryable=False)
                            return None
                        result.redirects.append(str(current))
                        continue
                    # 4. The final answer.
                    return _finish(response, result, policy)
            _failed(result, f"too many redirects (more than {policy.max_redirects})", retryable=False)
            return None
    except PinViolation as exc:
        _failed(result, str(exc), retryable=False, state="refused")
    except _Unsupported as exc:
        _failed(result, str(exc), retryable=False)
    except DeadlineExceeded:
        _failed(result, f"timed out: the fetch took longer than {policy.total_timeout:g} s", retryable=True)
    except httpx.ConnectTimeout:
        _failed(result, f"timed out connecting (after {policy.connect_timeout:g} s)", retryable=True)
    except httpx.TimeoutException:
        message = f"timed out waiting for the server (after {policy.read_timeout:g} s)"
        _failed(result, message, retryable=True)
    except httpx.ConnectError as exc:
        _failed(result, f"could not connect: {exc}", retryable=True)
    except httpx.TransportError as exc:
        _failed(result, f"network error: {exc or type(exc).__name__}", retryable=True)
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        _failed(result, f"request failed: {exc}", retryable=False)
    return None
