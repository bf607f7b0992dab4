"""Page text (verify/fetch/pagetext.py): charsets, main text, title and outbound links.

The fetches go to ``tests.httpfixtures``' server on 127.0.0.1 with the loopback-allowing test
policy (fixture ``loopback``); the rest are plain function calls.
"""

from __future__ import annotations

import pytest
import trafilatura

from tests.fetch_cases import ENGLISH_STORY, HINDI_STORY
from verify import forms
from verify.fetch import FetchResult, decode_body, fetch, html_title, html_to_text, outbound_links
from verify.services.policy import fetch_policy

# Registered as a plugin, not imported, so pytest can rewrite its asserts and ruff sees no F811.
pytest_plugins = ("tests.httpfixtures",)


def get(url: str) -> FetchResult:
    """A fetch with the policy the services use (settings, or the injected test policy)."""
    return fetch(url, policy=fetch_policy())


# ---------------------------------------------------------------------------------------------
# Charsets
# ---------------------------------------------------------------------------------------------


def test_fetches_a_hindi_story_whose_charset_is_only_in_meta(loopback):
    loopback.route("/hindi", body=HINDI_STORY.encode("utf-8"), content_type="text/html")
    result = get(loopback.url("/hindi"))

    assert result.ok, result.error
    assert result.charset == "utf-8"
    assert "दिल्ली मेट्रो रेल निगम" in result.text
    assert "फीडर बसें" in result.text
    assert "लॉग इन करें" not in result.text
    assert result.title.startswith("दिल्ली में मेट्रो का नया गलियारा खुला")
    assert "\ufffd" not in result.text


def test_bad_bytes_in_the_declared_charset_are_replaced_not_fatal(loopback):
    body = b"<html><body><p>Valid start " + b"\xff\xfe\xc3(" + b" end.</p></body></html>"
    loopback.route("/bad", body=body, content_type="text/html; charset=utf-8")
    loopback.route("/bogus", body="<p>café au lait</p>".encode(), content_type="text/html; charset=x-no-such")
    loopback.route(
        "/latin", body="Café crème".encode("latin-1"), content_type="text/plain; charset=ISO-8859-1"
    )

    bad = get(loopback.url("/bad"))
    assert bad.ok and "\ufffd" in bad.text and "Valid start" in bad.text

    bogus = get(loopback.url("/bogus"))
    assert bogus.ok and bogus.charset == "utf-8" and "café au lait" in bogus.text

    latin = get(loopback.url("/latin"))
    assert latin.ok and latin.text == "Café crème"


def test_decode_body_prefers_bom_then_header_then_meta_then_utf8():
    assert decode_body(b"\xef\xbb\xbfnamaste", "latin-1", html=False) == ("namaste", "utf-8-sig")
    assert decode_body("é".encode("cp1252"), "windows-1252", html=False)[0] == "é"
    meta = b'<meta charset="windows-1252"><p>caf\xe9</p>'
    assert "café" in decode_body(meta, None, html=True)[0]
    assert decode_body(b"\xff ok", "rot13", html=False) == ("\ufffd ok", "utf-8")


# Labels Python knows but cannot decode with (idna, undefined, punycode: a UnicodeError, even with
# errors="replace"), or decodes into something no browser would (utf-7, unicode_escape, rot13):
# not in the WHATWG label table, so they count as undeclared.
EXOTIC_CHARSETS = ["idna", "undefined", "punycode", "utf-7", "unicode_escape", "rot13", "x-no-such"]


@pytest.mark.parametrize("label", EXOTIC_CHARSETS)
def test_a_charset_that_cannot_decode_falls_back_and_never_raises(label):
    page = f'<html><head><meta charset="{label}"></head><body><p>café ठीक है</p></body></html>'
    for declared, html in ((label, True), (label, False), (None, True)):
        text, codec = decode_body(page.encode("utf-8"), declared, html=html)
        assert "café ठीक है" in text and codec == "utf-8", (declared, html)


def test_a_charset_that_cannot_decode_falls_back_to_the_meta_declaration():
    body = '<meta charset="windows-1252"><p>café</p>'.encode("cp1252")
    assert decode_body(body, "idna", html=True) == ('<meta charset="windows-1252"><p>café</p>', "cp1252")


@pytest.mark.parametrize("where", ["header", "meta"])
@pytest.mark.parametrize("label", ["idna", "undefined"])
def test_a_page_with_an_exotic_charset_is_fetched(loopback, where, label):
    page = ENGLISH_STORY.replace(
        '<meta charset="utf-8">', f'<meta charset="{label}">' if where == "meta" else ""
    )
    content_type = f"text/html; charset={label}" if where == "header" else "text/html"
    loopback.route("/exotic", body=page.encode("utf-8"), content_type=content_type)
    result = get(loopback.url("/exotic"))
    assert result.ok, result.error
    assert result.charset == "utf-8" and "three days ahead of schedule" in result.text


def test_a_link_that_is_not_a_url_is_left_out_not_fatal():
    page = '<article><a href="http://[::1">broken</a> <a href="https://tass.com/a">ok</a></article>'
    assert outbound_links(page, "https://news.example/") == ["https://tass.com/a"]


# ---------------------------------------------------------------------------------------------
# Main text, title, links
# ---------------------------------------------------------------------------------------------


def test_falls_back_to_simple_extraction_when_trafilatura_finds_nothing(loopback, monkeypatch):
    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    loopback.route("/bare", body=ENGLISH_STORY)
    result = get(loopback.url("/bare"))

    assert result.ok
    assert "three days ahead of schedule" in result.text
    assert "do-not-extract" not in result.text and "Subscribe now" not in result.text


def test_forms_and_fetches_share_one_html_to_text_rule():
    assert forms.html_to_text is html_to_text
    assert html_to_text("<html><body><script>alert(1)</script></body></html>") == ""


def test_fallback_text_keeps_a_bare_fragment(monkeypatch):
    """trafilatura's own loader drops a lone ``<p>`` (servers do send such text/html)."""
    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    assert html_to_text("<p>café au lait</p>") == "café au lait"
    assert html_to_text("") == "" and html_to_text("<!-- nothing -->") == ""


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ('<meta property="og:title" content="OG  title"><title>Page</title>', "OG title"),
        ("<title>Peskov on the rifle</title>", "Peskov on the rifle"),
        ("", "Putin gave Kim a rifle"),
    ],
)
def test_title_is_og_title_then_title_then_h1(head, title):
    page = f"<html><head>{head}</head><body><h1>Putin gave Kim a rifle</h1><p>Text.</p></body></html>"
    assert html_title(page) == title


def test_outbound_links_are_the_story_s_own():
    page = (
        '<html><body><nav><a href="/world">World</a></nav><article>'
        '<p>See <a href="https://tass.com/politics/1#top">TASS</a>, <a href="/earlier">earlier</a>,'
        ' <a href="https://tass.com/politics/1">again</a>, <a href="#comments">here</a>,'
        ' <a href="mailto:desk@example.org">mail</a> and <a href="javascript:alert(1)">x</a>.</p>'
        '</article><footer><a href="/privacy">Privacy</a></footer></body></html>'
    )
    assert outbound_links(page, "https://news.example/story") == [
        "https://tass.com/politics/1",
        "https://news.example/earlier",
    ]
    without_article = '<html><body><nav><a href="/a">A</a></nav><p>By <a href="/b">b</a>.</p></body></html>'
    assert outbound_links(without_article, "https://news.example/") == ["https://news.example/b"]
    many = "<article>" + "".join(f'<a href="/p{i}">{i}</a>' for i in range(80)) + "</article>"
    assert len(outbound_links(many, "https://news.example/", limit=50)) == 50
