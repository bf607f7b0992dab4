"""The fetch client (verify/fetch/client.py): real HTTP against a local server.

Every test talks to ``tests.httpfixtures``' server on 127.0.0.1 with the loopback-allowing test
policy (fixture ``loopback``), through the policy the services use (:func:`get`): limits set in
``settings`` reach the fetch the way they do in production.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import TYPE_CHECKING

import pytest

from tests.fetch_cases import ENGLISH_STORY
from verify.fetch import HEADERS_OF_INTEREST, FetchResult, fetch, parse_retry_after
from verify.services.policy import fetch_policy

if TYPE_CHECKING:
    from tests.httpfixtures import LocalHTTPServer

# Registered as a plugin, not imported, so pytest can rewrite its asserts and ruff sees no F811.
pytest_plugins = ("tests.httpfixtures",)


def get(url: str) -> FetchResult:
    """A fetch with the policy the services use (settings, or the injected test policy)."""
    return fetch(url, policy=fetch_policy())


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
    result = get(loopback.url("/story"))

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
    assert set(result.headers) <= set(HEADERS_OF_INTEREST)
    assert not result.truncated and not result.retryable and result.error == ""
    sent = loopback.hits[0].headers
    assert sent["user-agent"] == (
        "verify/0.1 (+claim verification workbench; contact: desk@newsroom.example)"
    )
    assert sent["host"] == f"127.0.0.1:{loopback.port}"
    assert result.as_dict()["ok"] is True


def test_plain_text_is_returned_as_is(loopback):
    loopback.route("/note.txt", body="Line one.\r\nLine two — ठीक है.\r\n", content_type="text/plain")
    result = get(loopback.url("/note.txt"))

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
    result = get(loopback.url("/gz"))
    assert result.ok, result.error
    assert "three days ahead of schedule" in result.text


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
    result = get(_chain(loopback, "three", 3))
    assert result.ok, result.error
    assert result.final_url == loopback.url("/three/0")
    assert result.redirects == [loopback.url(f"/three/{n}") for n in (2, 1, 0)]


def test_five_redirects_is_the_limit_and_six_are_too_many(loopback):
    assert get(_chain(loopback, "five", 5)).ok

    result = get(_chain(loopback, "six", 6))
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
    result = get(loopback.url("/start"))

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
    result = get(loopback.url("/slow"))

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
    result = get(loopback.url("/drip"))

    assert time.monotonic() - started < 2
    assert result.state == "failed" and result.retryable
    assert "took longer than 0.6 s" in result.error


def test_headers_sent_one_line_at_a_time_are_cut_by_the_total_time_budget(loopback, settings):
    """Each header line comes well within the read timeout, so only a budget that covers the
    header block too can stop a server that takes 40 s to finish its headers."""
    settings.VERIFY_FETCH_TOTAL_TIMEOUT = 1
    loopback.dribble_headers("/slow-headers", every=0.2, lines=200)
    started = time.monotonic()
    result = get(loopback.url("/slow-headers"))
    elapsed = time.monotonic() - started

    assert result.state == "failed" and result.retryable
    assert result.error == "timed out: the fetch took longer than 1 s"
    assert elapsed < 20, f"{elapsed:.1f} s: the header block was waited for, not the budget"


def test_a_slow_redirect_chain_is_cut_by_the_total_time_budget(loopback, settings):
    """The budget is one for all hops: each hop answering within the read timeout is not enough."""
    settings.VERIFY_FETCH_TOTAL_TIMEOUT = 1
    settings.VERIFY_FETCH_READ_TIMEOUT = 2

    def slow_redirect(handler):
        if loopback.stopping.wait(0.6):
            return
        handler.send_response(302)
        handler.send_header("Location", "/hop")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    loopback.route_fn("/hop", slow_redirect)
    result = get(loopback.url("/hop"))
    assert result.error == "timed out: the fetch took longer than 1 s"
    assert len(loopback.paths()) <= 3


def test_huge_body_is_cut_at_the_limit_and_marked_truncated(loopback, settings):
    settings.VERIFY_FETCH_MAX_BYTES = 20_000
    paragraph = "<p>Officials said the reservoir levels were being watched closely every day.</p>\n"
    loopback.route("/huge", body="<html><body><article>" + paragraph * 5000 + "</article></body></html>")
    result = get(loopback.url("/huge"))

    assert result.ok and result.truncated
    assert "reservoir levels" in result.text
    assert len(result.text.encode()) <= 20_000
    assert result.bytes_read < 200_000  # stopped reading long before the 400 KB body ended


def test_gzip_bomb_is_cut_at_the_limit(loopback, settings):
    settings.VERIFY_FETCH_MAX_BYTES = 50_000
    bomb = gzip.compress(b"A" * 20_000_000)  # 20 MB of text in ~20 KB on the wire
    loopback.route("/bomb", body=bomb, content_type="text/plain", headers={"Content-Encoding": "gzip"})
    result = get(loopback.url("/bomb"))

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
    result = get(loopback.url("/report.pdf"))

    assert time.monotonic() - started < 1.5
    assert result.state == "failed" and not result.retryable
    assert result.error == "unsupported content type application/pdf"
    assert result.content_type == "application/pdf"
    assert result.bytes_read == 0 and result.text == ""
    assert loopback.paths() == ["/report.pdf"]


def test_missing_content_type_is_unsupported(loopback):
    loopback.route("/untyped", body=b"who knows", content_type=None)
    result = get(loopback.url("/untyped"))
    assert result.error == "unsupported content type (none declared)"


# ---------------------------------------------------------------------------------------------
# HTTP errors and Retry-After
# ---------------------------------------------------------------------------------------------


def test_server_error_is_retryable(loopback):
    loopback.route("/boom", status=500, body="oops")
    result = get(loopback.url("/boom"))
    assert result.state == "failed" and result.retryable
    assert result.http_status == 500
    assert result.error == "HTTP 500 Internal Server Error"


def test_429_gives_retry_after_seconds(loopback):
    loopback.route("/busy", status=429, body="slow down", headers={"Retry-After": "120"})
    result = get(loopback.url("/busy"))
    assert result.state == "failed" and result.retryable
    assert result.http_status == 429
    assert result.retry_after == 120
    assert result.headers["retry-after"] == "120"


def test_503_with_an_http_date_retry_after(loopback):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    loopback.route("/down", status=503, body="", headers={"Retry-After": when})
    result = get(loopback.url("/down"))
    assert result.retryable and 85 <= result.retry_after <= 91


def test_404_is_not_retryable(loopback):
    result = get(loopback.url("/nowhere"))
    assert result.state == "failed" and not result.retryable
    assert result.http_status == 404
    assert result.error == "HTTP 404 Not Found"


def test_connection_refused_is_retryable(loopback, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.VERIFY_FETCH_ALLOWED_PORTS = [port]
    result = get(f"http://127.0.0.1:{port}/")
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
    assert parse_retry_after(value, now=now) == expected


def test_result_defaults_are_safe():
    result = FetchResult(url="https://a.example/", state="failed")
    assert not result.ok and not result.retryable and result.text == ""
