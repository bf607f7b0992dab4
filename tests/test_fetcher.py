"""The safe page fetcher: real HTTP against a local server, and the SSRF guard proven by counting.

Most tests talk to ``tests.httpfixtures``' server on 127.0.0.1 through the guarded loopback
opt-in (fixture ``loopback``). The SSRF tests turn the opt-in OFF while that server listens and
show, by its request counter and by a spy on ``socket.socket.connect``, that a refused URL never
opened a connection at all. No test sends a packet anywhere but 127.0.0.1: where a test needs a
"public" address, ``socket.socket.connect`` is replaced by a fake that refuses it.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from verify import fetcher
from verify.fetcher import FetchPolicy, FetchResult, PinningBackend, PinViolation, check_url, fetch

if TYPE_CHECKING:
    from tests.httpfixtures import LocalHTTPServer

# Registered as a plugin, not imported, so pytest can rewrite its asserts and ruff sees no F811.
pytest_plugins = ("tests.httpfixtures",)

PUBLIC_IP = "93.184.215.14"  # only ever handed to the fake connect below, never dialled

ENGLISH_STORY = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Monsoon rains arrive early in Kerala, weather office says | Wire</title>
<script>window.tracking = "do-not-extract";</script>
<style>.ad { color: red }</style>
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe now</a></nav></header>
<article>
<h1>Monsoon rains arrive early in Kerala, weather office says</h1>
<p>THIRUVANANTHAPURAM, May 29 (Wire) - Monsoon rains arrived over the southern state of Kerala
three days ahead of schedule, the India Meteorological Department said on Thursday, raising hopes
of a strong start to the planting season for summer crops.</p>
<p>The monsoon delivers nearly 70% of the rain India needs to water farms and recharge reservoirs
and aquifers. Nearly half of the country's farmland, without any irrigation cover, depends on the
annual June-September rains.</p>
<p>"Conditions are favourable for further advance of the monsoon into more parts of the central
Arabian Sea and the northeastern states during the next three to four days," the weather office
said in a statement.</p>
<p>Farmers typically start planting rice, cotton, soybeans and sugar cane with the arrival of the
rains. The weather office has forecast above-average rainfall for the season for a second year.</p>
<p>Good rains could help cool food inflation, which has stayed above the central bank's target for
most of the past year, analysts said.</p>
</article>
<aside>Most read: Celebrity gossip you cannot miss</aside>
<footer>Copyright Wire 2025. All rights reserved. Cookie settings.</footer>
</body></html>
"""

# Charset only in <meta>, not in the Content-Type header: decoding must find it there.
HINDI_STORY = """<!doctype html>
<html lang="hi"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>दिल्ली में मेट्रो का नया गलियारा खुला | समाचार</title></head><body>
<nav><a href="/">मुखपृष्ठ</a> <a href="/desh">देश</a> <a href="/login">लॉग इन करें</a></nav>
<article>
<h1>दिल्ली में मेट्रो का नया गलियारा खुला</h1>
<p>नई दिल्ली, 12 जून (समाचार एजेंसी) दिल्ली मेट्रो रेल निगम ने बुधवार को शहर के पूर्वी हिस्से में
नए गलियारे पर यात्री सेवा शुरू कर दी, जिससे रोज़ाना लगभग दो लाख यात्रियों को फायदा होने की उम्मीद है।</p>
<p>निगम के एक प्रवक्ता ने बताया कि नया गलियारा बारह किलोमीटर लंबा है और इसमें दस स्टेशन हैं। उन्होंने
कहा कि सुबह छह बजे से रात ग्यारह बजे तक हर पांच मिनट पर ट्रेनें चलेंगी।</p>
<p>परिवहन मंत्री ने उद्घाटन के मौके पर कहा कि इस परियोजना से सड़कों पर भीड़ कम होगी और प्रदूषण घटाने में
मदद मिलेगी। उन्होंने बताया कि परियोजना पर कुल तीन हज़ार करोड़ रुपये खर्च हुए हैं।</p>
<p>यात्रियों ने नई सेवा का स्वागत किया, हालांकि कुछ लोगों ने स्टेशनों तक पहुंचने के लिए बेहतर बस
सेवा की मांग की। निगम ने कहा कि अगले महीने से फीडर बसें भी चलाई जाएंगी।</p>
</article>
<footer>सर्वाधिकार सुरक्षित। विज्ञापन के लिए संपर्क करें।</footer>
</body></html>
"""


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def guarded(settings, http_server: LocalHTTPServer) -> LocalHTTPServer:
    """The local server listening, its port allowed, but the loopback opt-in OFF (production)."""
    settings.VERIFY_FETCH_ALLOW_LOOPBACK_FOR_TESTS = None
    settings.VERIFY_FETCH_ALLOWED_PORTS = [80, 443, http_server.port]
    return http_server


@pytest.fixture
def connects(monkeypatch) -> list[tuple]:
    """Every address a socket in this process tries to connect to (real connects still happen)."""
    calls: list[tuple] = []
    real = socket.socket.connect

    def spy(self, address):
        calls.append(tuple(address))
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    return calls


@pytest.fixture
def fake_dns(monkeypatch) -> dict[str, list]:
    """Names answered from a table (value: list of IPs, or a callable per call); anything else goes
    to the real resolver, which the numeric spellings (2130706433, 0x7f.1 …) never leave."""
    table: dict[str, list] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        key = host.decode() if isinstance(host, bytes) else host
        if key in table:
            answer = table[key]
            ips = answer() if callable(answer) else answer
            return [
                (
                    socket.AF_INET6 if ":" in ip else socket.AF_INET,
                    socket.SOCK_STREAM,
                    socket.IPPROTO_TCP,
                    "",
                    (ip, port, 0, 0) if ":" in ip else (ip, port),
                )
                for ip in ips
            ]
        return real(host, port, family, type, proto, flags)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


# ---------------------------------------------------------------------------------------------
# Fetching pages
# ---------------------------------------------------------------------------------------------


def test_fetches_an_english_story_with_main_text_title_and_headers(loopback, settings):
    settings.VERIFY_CONTACT = "desk@newsroom.example"
    loopback.route(
        "/story",
        body=ENGLISH_STORY,
        headers={"ETag": '"v1"', "Last-Modified": "Thu, 29 May 2025 06:00:00 GMT", "X-Other": "no"},
    )
    result = fetch(loopback.url("/story"))

    assert result.ok and result.state == "fetched", result.error
    assert result.http_status == 200
    assert result.final_url == loopback.url("/story")
    assert result.content_type == "text/html"
    assert result.title.startswith("Monsoon rains arrive early in Kerala")
    assert "three days ahead of schedule" in result.text
    assert "Good rains could help cool food inflation" in result.text
    for noise in ("do-not-extract", "Subscribe now", "Celebrity gossip", "Cookie settings"):
        assert noise not in result.text
    assert result.text_sha256 == hashlib.sha256(result.text.encode("utf-8")).hexdigest()
    assert result.headers["etag"] == '"v1"'
    assert result.headers["last-modified"] == "Thu, 29 May 2025 06:00:00 GMT"
    assert set(result.headers) <= set(fetcher.HEADERS_OF_INTEREST)
    assert not result.truncated and not result.retryable and result.error == ""
    sent = loopback.hits[0].headers
    assert sent["user-agent"] == (
        "verify/0.1 (+claim verification workbench; contact: desk@newsroom.example)"
    )
    assert sent["host"] == f"127.0.0.1:{loopback.port}"
    assert result.as_dict()["ok"] is True


def test_fetches_a_hindi_story_whose_charset_is_only_in_meta(loopback):
    loopback.route("/hindi", body=HINDI_STORY.encode("utf-8"), content_type="text/html")
    result = fetch(loopback.url("/hindi"))

    assert result.ok, result.error
    assert result.charset == "utf-8"
    assert "दिल्ली मेट्रो रेल निगम" in result.text
    assert "फीडर बसें" in result.text
    assert "लॉग इन करें" not in result.text
    assert result.title.startswith("दिल्ली में मेट्रो का नया गलियारा खुला")
    assert "\ufffd" not in result.text


def test_plain_text_is_returned_as_is(loopback):
    loopback.route("/note.txt", body="Line one.\r\nLine two — ठीक है.\r\n", content_type="text/plain")
    result = fetch(loopback.url("/note.txt"))

    assert result.ok
    assert result.content_type == "text/plain"
    assert result.text == "Line one.\nLine two — ठीक है."
    assert result.text_sha256 == hashlib.sha256(result.text.encode()).hexdigest()


def test_gzip_encoded_page_is_decoded(loopback):
    loopback.route(
        "/gz",
        body=gzip.compress(ENGLISH_STORY.encode()),
        headers={"Content-Encoding": "gzip"},
    )
    result = fetch(loopback.url("/gz"))
    assert result.ok, result.error
    assert "three days ahead of schedule" in result.text


def test_falls_back_to_simple_extraction_when_trafilatura_finds_nothing(loopback, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    loopback.route("/bare", body=ENGLISH_STORY)
    result = fetch(loopback.url("/bare"))

    assert result.ok
    assert "three days ahead of schedule" in result.text
    assert "do-not-extract" not in result.text and "Subscribe now" not in result.text


def test_bad_bytes_in_the_declared_charset_are_replaced_not_fatal(loopback):
    body = b"<html><body><p>Valid start " + b"\xff\xfe\xc3(" + b" end.</p></body></html>"
    loopback.route("/bad", body=body, content_type="text/html; charset=utf-8")
    loopback.route("/bogus", body="<p>café au lait</p>".encode(), content_type="text/html; charset=x-no-such")
    loopback.route(
        "/latin", body="Café crème".encode("latin-1"), content_type="text/plain; charset=ISO-8859-1"
    )

    bad = fetch(loopback.url("/bad"))
    assert bad.ok and "\ufffd" in bad.text and "Valid start" in bad.text

    bogus = fetch(loopback.url("/bogus"))
    assert bogus.ok and bogus.charset == "utf-8" and "café au lait" in bogus.text

    latin = fetch(loopback.url("/latin"))
    assert latin.ok and latin.text == "Café crème"


# ---------------------------------------------------------------------------------------------
# Redirects
# ---------------------------------------------------------------------------------------------


def _chain(server: LocalHTTPServer, name: str, hops: int) -> str:
    """/name/N -> /name/N-1 -> … -> /name/0 (the page). Returns the first URL."""
    for n in range(hops, 0, -1):
        server.redirect(f"/{name}/{n}", f"/{name}/{n - 1}", status=(301, 302, 303, 307, 308)[n % 5])
    server.route(f"/{name}/0", body=ENGLISH_STORY)
    return server.url(f"/{name}/{hops}")


def test_follows_three_redirects(loopback):
    result = fetch(_chain(loopback, "three", 3))
    assert result.ok, result.error
    assert result.final_url == loopback.url("/three/0")
    assert result.redirects == [loopback.url(f"/three/{n}") for n in (2, 1, 0)]


def test_five_redirects_is_the_limit_and_six_are_too_many(loopback):
    assert fetch(_chain(loopback, "five", 5)).ok

    result = fetch(_chain(loopback, "six", 6))
    assert result.state == "failed"
    assert result.error == "too many redirects (more than 5)"
    assert not result.retryable
    assert loopback.paths().count("/six/0") == 0  # the 7th request is never made
    assert len([p for p in loopback.paths() if p.startswith("/six/")]) == 6


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://10.0.0.1/", "refused: 10.0.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local address"),
        ("http://[::ffff:a9fe:a9fe]/", "refused: ::ffff:169.254.169.254 is an IPv4-mapped"),
        ("http://127.0.0.1:1/", "refused: port 1 is not allowed"),
        ("file:///etc/passwd", "refused: scheme file is not allowed"),
    ],
)
def test_redirect_to_a_forbidden_place_is_refused_at_that_hop(loopback, connects, target, reason):
    loopback.redirect("/start", "/hop")
    loopback.redirect("/hop", target)
    result = fetch(loopback.url("/start"))

    assert result.state == "refused"
    assert result.error.startswith(reason)
    assert "(redirect 2 to " in result.error
    assert not result.retryable
    assert loopback.paths() == ["/start", "/hop"]
    assert {address[0] for address in connects} == {"127.0.0.1"}


# ---------------------------------------------------------------------------------------------
# Limits: time, size, content type
# ---------------------------------------------------------------------------------------------


def test_slow_server_times_out_and_is_retryable(loopback, settings):
    settings.VERIFY_FETCH_READ_TIMEOUT = 0.3

    def slow(handler):
        loopback.stopping.wait(5)

    loopback.route_fn("/slow", slow)
    started = time.monotonic()
    result = fetch(loopback.url("/slow"))

    assert time.monotonic() - started < 2
    assert result.state == "failed" and result.retryable
    assert result.error == "timed out waiting for the server (after 0.3 s)"


def test_dribbling_server_is_cut_by_the_total_time_budget(loopback, settings):
    settings.VERIFY_FETCH_TOTAL_TIMEOUT = 0.6

    def dribble(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        for _ in range(200):
            if loopback.stopping.wait(0.05):
                return
            handler.wfile.write(b"a")
            handler.wfile.flush()

    loopback.route_fn("/drip", dribble)
    started = time.monotonic()
    result = fetch(loopback.url("/drip"))

    assert time.monotonic() - started < 2
    assert result.state == "failed" and result.retryable
    assert "took longer than 0.6 s" in result.error


def test_huge_body_is_cut_at_the_limit_and_marked_truncated(loopback, settings):
    settings.VERIFY_FETCH_MAX_BYTES = 20_000
    paragraph = "<p>Officials said the reservoir levels were being watched closely every day.</p>\n"
    loopback.route("/huge", body="<html><body><article>" + paragraph * 5000 + "</article></body></html>")
    result = fetch(loopback.url("/huge"))

    assert result.ok and result.truncated
    assert "reservoir levels" in result.text
    assert len(result.text.encode()) <= 20_000
    assert result.bytes_read < 200_000  # stopped reading long before the 400 KB body ended


def test_gzip_bomb_is_cut_at_the_limit(loopback, settings):
    settings.VERIFY_FETCH_MAX_BYTES = 50_000
    bomb = gzip.compress(b"A" * 20_000_000)  # 20 MB of text in ~20 KB on the wire
    loopback.route("/bomb", body=bomb, content_type="text/plain", headers={"Content-Encoding": "gzip"})
    result = fetch(loopback.url("/bomb"))

    assert result.ok and result.truncated
    assert len(result.text) == 50_000


def test_pdf_is_unsupported_and_its_body_is_not_downloaded(loopback):
    def pdf(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.send_header("Content-Length", str(20_000_000))
        handler.end_headers()
        chunk = b"%PDF-1.7 " + b"0" * 65_527
        for _ in range(305):  # 20 MB, stopped as soon as the client hangs up
            handler.wfile.write(chunk)

    loopback.route_fn("/report.pdf", pdf)
    started = time.monotonic()
    result = fetch(loopback.url("/report.pdf"))

    assert time.monotonic() - started < 1.5
    assert result.state == "failed" and not result.retryable
    assert result.error == "unsupported content type application/pdf"
    assert result.content_type == "application/pdf"
    assert result.bytes_read == 0 and result.text == ""
    assert loopback.paths() == ["/report.pdf"]


def test_missing_content_type_is_unsupported(loopback):
    loopback.route("/untyped", body=b"who knows", content_type=None)
    result = fetch(loopback.url("/untyped"))
    assert result.error == "unsupported content type (none declared)"


# ---------------------------------------------------------------------------------------------
# HTTP errors and Retry-After
# ---------------------------------------------------------------------------------------------


def test_server_error_is_retryable(loopback):
    loopback.route("/boom", status=500, body="oops")
    result = fetch(loopback.url("/boom"))
    assert result.state == "failed" and result.retryable
    assert result.http_status == 500
    assert result.error == "HTTP 500 Internal Server Error"


def test_429_gives_retry_after_seconds(loopback):
    loopback.route("/busy", status=429, body="slow down", headers={"Retry-After": "120"})
    result = fetch(loopback.url("/busy"))
    assert result.state == "failed" and result.retryable
    assert result.http_status == 429
    assert result.retry_after == 120
    assert result.headers["retry-after"] == "120"


def test_503_with_an_http_date_retry_after(loopback):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    loopback.route("/down", status=503, body="", headers={"Retry-After": when})
    result = fetch(loopback.url("/down"))
    assert result.retryable and 85 <= result.retry_after <= 91


def test_404_is_not_retryable(loopback):
    result = fetch(loopback.url("/nowhere"))
    assert result.state == "failed" and not result.retryable
    assert result.http_status == 404
    assert result.error == "HTTP 404 Not Found"


def test_connection_refused_is_retryable(loopback, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.VERIFY_FETCH_ALLOWED_PORTS = [port]
    result = fetch(f"http://127.0.0.1:{port}/")
    assert result.state == "failed" and result.retryable
    assert result.error.startswith("could not connect")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("0", 0),
        (" 3600 ", 3600),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0),  # in the past
        ("Fri, 01 Jan 2100 00:00:10 GMT", 10),
        ("soon", None),
        ("-5", None),
    ],
)
def test_parse_retry_after(value, expected):
    now = datetime(2100, 1, 1, tzinfo=UTC)
    assert fetcher.parse_retry_after(value, now=now) == expected


def test_decode_body_prefers_bom_then_header_then_meta_then_utf8():
    assert fetcher.decode_body(b"\xef\xbb\xbfnamaste", "latin-1", html=False) == ("namaste", "utf-8-sig")
    assert fetcher.decode_body("é".encode("cp1252"), "windows-1252", html=False)[0] == "é"
    meta = b'<meta charset="windows-1252"><p>caf\xe9</p>'
    assert "café" in fetcher.decode_body(meta, None, html=True)[0]
    assert fetcher.decode_body(b"\xff ok", "rot13", html=False) == ("\ufffd ok", "utf-8")


# ---------------------------------------------------------------------------------------------
# SSRF: hostile URLs are refused before any connection
# ---------------------------------------------------------------------------------------------

HOSTILE = [
    # loopback in every spelling getaddrinfo understands
    ("http://127.0.0.1:{port}/", "refused: 127.0.0.1 is a loopback address"),
    ("http://127.0.0.2:{port}/", "refused: 127.0.0.2 is a loopback address"),
    ("http://2130706433:{port}/", "refused: 2130706433 resolves to 127.0.0.1, a loopback address"),
    ("http://0x7f000001:{port}/", "resolves to 127.0.0.1, a loopback address"),
    ("http://0x7f.1:{port}/", "refused: 0x7f.1 resolves to 127.0.0.1, a loopback address"),
    ("http://127.1:{port}/", "refused: 127.1 resolves to 127.0.0.1, a loopback address"),
    ("http://0177.0.0.1:{port}/", "refused: invalid URL"),
    ("http://[::1]:{port}/", "refused: ::1 is a loopback address"),
    ("http://[::ffff:7f00:1]:{port}/", "IPv4-mapped IPv6 address (of 127.0.0.1)"),
    ("http://[0:0:0:0:0:ffff:127.0.0.1]:{port}/", "IPv4-mapped IPv6 address (of 127.0.0.1)"),
    ("http://[::127.0.0.1]:{port}/", "IPv4-compatible IPv6 address (of 127.0.0.1)"),
    ("http://[2002:7f00:1::1]:{port}/", "6to4 address embedding 127.0.0.1, a loopback address"),
    ("http://[64:ff9b::7f00:1]:{port}/", "NAT64 address embedding 127.0.0.1, a loopback address"),
    ("http://localhost:{port}/", "refused: localhost is this machine"),
    ("http://localhost.:{port}/", "refused: localhost is this machine"),
    ("http://LocalHost:{port}/", "refused: localhost is this machine"),
    ("http://api.localhost:{port}/", "refused: api.localhost is a local network name"),
    ("http://ＬＯＣＡＬＨＯＳＴ:{port}/", "refused: invalid URL"),
    ("http://%6c%6f%63%61%6c%68%6f%73%74:{port}/", "percent-encoded host names are not allowed"),
    ("http://%31%32%37.0.0.1:{port}/", "percent-encoded host names are not allowed"),
    ("http://0.0.0.0:{port}/", "refused: 0.0.0.0 is an unspecified address"),
    ("http://0:{port}/", "refused: 0 resolves to 0.0.0.0, an unspecified address"),
    ("http://[::]:{port}/", "refused: :: is an unspecified address"),
    # private, shared, link-local and other non-global ranges
    ("http://10.0.0.1/", "refused: 10.0.0.1 is a private address"),
    ("http://172.16.5.4/", "refused: 172.16.5.4 is a private address"),
    ("http://192.168.1.1/admin", "refused: 192.168.1.1 is a private address"),
    ("http://100.64.0.1/", "refused: 100.64.0.1 is a shared (carrier-grade NAT) address"),
    ("http://169.254.169.254/latest/meta-data/", "link-local address (cloud metadata service)"),
    ("http://[fe80::1]/", "refused: fe80::1 is a link-local address"),
    ("http://[fe80::1%25eth0]/", "percent-encoded host names are not allowed"),
    ("http://[fd00::1]/", "refused: fd00::1 is a private address"),
    ("http://[::ffff:a9fe:a9fe]/", "IPv4-mapped IPv6 address (of 169.254.169.254)"),
    ("http://[2002:a9fe:a9fe::1]/", "6to4 address embedding 169.254.169.254"),
    ("http://[64:ff9b::a00:1]/", "NAT64 address embedding 10.0.0.1, a private address"),
    ("http://224.0.0.1/", "refused: 224.0.0.1 is a multicast address"),
    ("http://240.0.0.1/", "refused: 240.0.0.1 is a reserved address"),
    ("http://192.0.2.10/", "refused: 192.0.2.10 is a documentation address"),
    ("http://198.18.0.1/", "refused: 198.18.0.1 is a benchmarking address"),
    ("http://metadata.google.internal/", "refused: metadata.google.internal is a local network name"),
    # names whose DNS answers point inside (fake resolver)
    ("http://rebind.example:{port}/", "refused: rebind.example resolves to 10.0.0.5, a private address"),
    ("http://mixed.example:{port}/", "refused: mixed.example resolves to 127.0.0.1, a loopback address"),
    ("http://meta.example/", "refused: meta.example resolves to 169.254.169.254"),
    ("http://v6.example/", "refused: v6.example resolves to fd12:3456::1, a private address"),
    # scheme, credentials, port, malformed
    ("http://user:secret@127.0.0.1:{port}/", "refused: credentials in URLs are not allowed"),
    ("http://news.example@127.0.0.1:{port}/", "refused: credentials in URLs are not allowed"),
    ("ftp://127.0.0.1/", "refused: scheme ftp is not allowed"),
    ("file:///etc/passwd", "refused: scheme file is not allowed"),
    ("gopher://127.0.0.1:{port}/_GET", "refused: scheme gopher is not allowed"),
    ("http://news.example:8080/", "refused: port 8080 is not allowed"),
    ("http://news.example:0/", "refused: port 0 is not allowed"),
    ("http:///no-host", "refused: the URL has no host"),
    ("http://exa_mple..com/", "is not a valid host name"),
]


@pytest.mark.parametrize(("template", "reason"), HOSTILE, ids=[row[0] for row in HOSTILE])
def test_hostile_url_is_refused_without_any_connection(guarded, connects, fake_dns, template, reason):
    fake_dns.update(
        {
            "rebind.example": ["10.0.0.5"],
            "mixed.example": [PUBLIC_IP, "127.0.0.1"],
            "meta.example": ["169.254.169.254"],
            "v6.example": ["fd12:3456::1"],
        }
    )
    url = template.format(port=guarded.port)
    result = fetch(url)

    assert result.state == "refused", result
    assert reason in result.error
    assert result.error.startswith("refused: ")
    assert not result.retryable and not result.ok
    assert guarded.request_count == 0
    assert connects == []
    ok, why, _ = check_url(url)
    assert not ok and why == result.error


def test_hostile_table_is_big_enough():
    assert len(HOSTILE) >= 25


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2002:808:808::1", "64:ff9b::808:808", "93.184.215.14"],
)
def test_public_addresses_are_allowed(address):
    assert fetcher.address_problem(address) is None


def test_public_name_passes_the_check(fake_dns):
    fake_dns["news.example"] = [PUBLIC_IP, "2606:4700:4700::1111"]
    assert check_url("https://News.Example/a?b=c") == (True, "", [PUBLIC_IP, "2606:4700:4700::1111"])


def test_idn_host_is_resolved_in_its_punycode_form(fake_dns):
    fake_dns["xn--r8jz45g.xn--zckzah"] = [PUBLIC_IP]
    assert check_url("https://例え.テスト/") == (True, "", [PUBLIC_IP])
    fake_dns["xn--e1afmkfd.xn--p1ai"] = ["192.168.0.10"]
    assert check_url("http://Пример.рф/")[1] == (
        "refused: xn--e1afmkfd.xn--p1ai resolves to 192.168.0.10, a private address"
    )


def test_dns_failure_is_a_failure_not_a_refusal(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    result = fetch("https://gone.example/")
    assert result.state == "failed" and not result.retryable
    assert result.error.startswith("could not resolve host gone.example")

    def try_again(*args, **kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", try_again)
    assert fetch("https://flaky.example/").retryable


# ---------------------------------------------------------------------------------------------
# DNS rebinding and pinning
# ---------------------------------------------------------------------------------------------


def test_rebinding_to_loopback_after_the_check_never_reaches_loopback(guarded, monkeypatch, fake_dns):
    """First answer public (passes), every later answer 127.0.0.1: the fetcher must dial the
    public address it checked and never 127.0.0.1. The fake connect refuses every dial, so no
    packet leaves the machine."""
    answers = iter([[PUBLIC_IP]])
    fake_dns["rebind.example"] = lambda: next(answers, ["127.0.0.1"])
    dialled: list[tuple] = []

    def fake_connect(self, address):
        dialled.append(tuple(address))
        raise ConnectionRefusedError(111, "Connection refused (test: no real dial)")

    monkeypatch.setattr(socket.socket, "connect", fake_connect)
    result = fetch(f"http://rebind.example:{guarded.port}/")

    assert dialled == [(PUBLIC_IP, guarded.port)]
    assert result.state == "failed" and result.error.startswith("could not connect")
    assert guarded.request_count == 0


def test_rebinding_away_from_a_checked_address_is_ignored(loopback, fake_dns, connects):
    """First answer 127.0.0.1 (allowed by the test opt-in), later answers private: the request
    goes to the pinned 127.0.0.1 with the original Host header, and DNS is asked only once."""
    calls = []

    def answer():
        calls.append(1)
        return ["127.0.0.1"] if len(calls) == 1 else ["10.9.9.9"]

    fake_dns["pinned.example"] = answer
    loopback.route("/p", body=ENGLISH_STORY)
    result = fetch(f"http://pinned.example:{loopback.port}/p")

    assert result.ok, result.error
    assert len(calls) == 1
    assert {address[0] for address in connects} == {"127.0.0.1"}
    assert loopback.hits[0].headers["host"] == f"pinned.example:{loopback.port}"


def test_peer_address_must_be_the_pinned_one(loopback, monkeypatch):
    monkeypatch.setattr(socket.socket, "getpeername", lambda self: ("10.1.2.3", loopback.port))
    loopback.route("/x", body=ENGLISH_STORY)
    result = fetch(loopback.url("/x"))
    assert result.state == "refused"
    assert result.error == "refused: connected to 10.1.2.3, expected the checked address 127.0.0.1"
    assert loopback.request_count == 0


def test_backend_refuses_hosts_that_were_not_pinned(connects):
    backend = PinningBackend()
    with pytest.raises(PinViolation, match="was not checked"):
        backend.connect_tcp("news.example", 443)
    backend.pin("news.example", 443, ["10.0.0.1"])
    with pytest.raises(PinViolation, match="private address"):
        backend.connect_tcp("news.example", 443)
    with pytest.raises(PinViolation):
        backend.connect_unix_socket("/var/run/docker.sock")
    assert connects == []


def test_transport_really_uses_the_pinning_backend():
    backend = PinningBackend()
    transport = fetcher.PinnedTransport(backend)
    assert transport._pool._network_backend is backend


# ---------------------------------------------------------------------------------------------
# The loopback opt-in is only honoured inside pytest
# ---------------------------------------------------------------------------------------------


def test_opt_in_works_only_with_the_exact_token(loopback, settings):
    loopback.route("/ok", body=ENGLISH_STORY)
    assert fetcher.loopback_allowed_for_tests()
    assert fetch(loopback.url("/ok")).ok

    for value in (True, "1", "yes", fetcher.LOOPBACK_TEST_TOKEN.upper()):
        settings.VERIFY_FETCH_ALLOW_LOOPBACK_FOR_TESTS = value
        assert not fetcher.loopback_allowed_for_tests()
        assert fetch(loopback.url("/ok")).state == "refused"
    assert loopback.request_count == 1


def test_opt_in_is_ignored_without_a_running_pytest_test(loopback, monkeypatch):
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    assert not fetcher.loopback_allowed_for_tests()
    result = fetch(loopback.url("/"))
    assert result.error == "refused: 127.0.0.1 is a loopback address"
    assert loopback.request_count == 0


def test_opt_in_is_ignored_when_pytest_is_not_loaded(loopback, monkeypatch):
    monkeypatch.delitem(sys.modules, "pytest")
    assert not fetcher.loopback_allowed_for_tests()
    assert fetch(loopback.url("/")).state == "refused"
    assert loopback.request_count == 0


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.1/", "private"),
        ("http://169.254.169.254/", "link-local"),
        ("http://[::ffff:127.0.0.1]/", "IPv4-mapped"),
        ("http://[fe80::1]/", "link-local"),
        ("http://0.0.0.0/", "unspecified"),
    ],
)
def test_opt_in_allows_loopback_only(loopback, connects, url, reason):
    result = fetch(url)
    assert result.state == "refused" and reason in result.error
    assert connects == []


def test_opt_in_is_ignored_in_a_process_without_pytest():
    """A worker-like process (Django configured, the token set, even PYTEST_CURRENT_TEST in its
    environment) still refuses loopback, because pytest is not loaded there."""
    code = (
        "import django; from django.conf import settings;"
        "from verify import fetcher;"
        "settings.configure(VERIFY_FETCH_ALLOW_LOOPBACK_FOR_TESTS=fetcher.LOOPBACK_TEST_TOKEN);"
        "django.setup();"
        "import sys; assert 'pytest' not in sys.modules;"
        "print(fetcher.loopback_allowed_for_tests(), fetcher.check_url('http://127.0.0.1/')[1])"
    )
    env = {**os.environ, "PYTEST_CURRENT_TEST": "fake::test (call)"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip() == "False refused: 127.0.0.1 is a loopback address"


# ---------------------------------------------------------------------------------------------
# Policy
# ---------------------------------------------------------------------------------------------


def test_policy_comes_from_settings(settings):
    settings.VERIFY_FETCH_CONNECT_TIMEOUT = 1
    settings.VERIFY_FETCH_READ_TIMEOUT = 2
    settings.VERIFY_FETCH_MAX_BYTES = 1234
    settings.VERIFY_FETCH_ALLOWED_PORTS = [443]
    settings.VERIFY_CONTACT = "desk@example.org\r\nX-Injected: 1"
    policy = FetchPolicy.from_settings(max_redirects=2)

    assert (policy.connect_timeout, policy.read_timeout, policy.max_bytes) == (1.0, 2.0, 1234)
    assert policy.allowed_ports == (443,) and policy.max_redirects == 2
    assert "\r" not in policy.user_agent and "\n" not in policy.user_agent
    assert policy.user_agent.startswith(
        "verify/0.1 (+claim verification workbench; contact: desk@example.org"
    )
    assert check_url("http://news.example/", policy=policy)[1] == "refused: port 80 is not allowed"


def test_defaults_without_settings(settings):
    for name in ("VERIFY_FETCH_CONNECT_TIMEOUT", "VERIFY_FETCH_MAX_BYTES", "VERIFY_FETCH_ALLOWED_PORTS"):
        if hasattr(settings, name):
            delattr(settings, name)
    policy = FetchPolicy.from_settings()
    assert policy.connect_timeout == 5 and policy.read_timeout == 15
    assert policy.max_bytes == 5 * 1024 * 1024 and policy.max_redirects == 5
    assert policy.allowed_ports == (80, 443)


def test_result_defaults_are_safe():
    result = FetchResult(url="https://a.example/", state="failed")
    assert not result.ok and not result.retryable and result.text == ""
