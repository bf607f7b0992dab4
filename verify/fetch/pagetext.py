"""From a page's bytes to what a reviewer reads: decoded text, main text, title, outbound links.

The one HTML-to-text rule of the project (:func:`html_to_text`): fetched pages and uploaded
``.html`` files both go through it. Main text is trafilatura's; when trafilatura finds none,
trafilatura's own baseline extraction (article tags, then paragraphs, then the cleaned body)
on our lxml parse of the page.
"""

from __future__ import annotations

import codecs
import logging
import re
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
import trafilatura
from lxml.etree import LxmlError

logger = logging.getLogger(__name__)

# The WHATWG Encoding Standard (what browsers do) reads these labels as windows-1252; Python's
# codecs take them literally, which turns the curly quotes and dashes of cp1252 pages into C1
# control characters. No installed library carries the WHATWG label table, so the four labels
# that matter are listed here.
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_WS = re.compile(r"[ \t\r\f\v]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
MAX_TITLE = 500
MAX_LINK = 2000


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

    No statistical guess (charset-normalizer, which trafilatura's own decoding also uses): on
    page-sized inputs it named cp1006 for Latin-1 "Café crème" and cp1250 for a cp1252 English
    story, silently changing quoted text, where U+FFFD shows a reviewer where bytes were bad.
    Declarations are what browsers follow first too, and undeclared pages are UTF-8 as a rule.
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


def _parse_html(html: str) -> lxml.html.HtmlElement | None:
    """The page as an lxml tree, or None when there is nothing to parse."""
    try:
        # lxml refuses str input that still carries an XML encoding declaration.
        return lxml.html.document_fromstring(_XML_DECL.sub("", html))
    except (LxmlError, ValueError):
        return None


def html_to_text(html: str) -> str:
    """Main text of an article page: trafilatura's extraction, else trafilatura's baseline.

    The baseline runs on our lxml parse: trafilatura's own loader rejects fragments such as a
    lone ``<p>``, which servers do send as text/html.
    """
    try:
        text = trafilatura.extract(html, include_comments=False, favor_precision=True)
    except Exception:
        logger.warning("trafilatura failed; using its baseline extraction", exc_info=True)
        text = None
    if text and text.strip():
        return text.strip()
    doc = _parse_html(html)
    return trafilatura.baseline(doc)[1].strip() if doc is not None else ""


def html_title(html: str) -> str:
    """The page's title: ``og:title``, else ``<title>``, else the first ``<h1>``.

    Not trafilatura's metadata title, which prefers a lone ``<h1>`` (a headline) over
    ``<title>``: the title shown for a source is the one its page gives itself.
    """
    doc = _parse_html(html)
    if doc is None:
        return ""
    for xpath in ("//meta[@property='og:title']/@content", "//title//text()", "//h1//text()"):
        found = " ".join(str(t) for t in doc.xpath(xpath)).strip()
        if found:
            return _WS.sub(" ", found)[:MAX_TITLE]
    return ""


def outbound_links(html: str, base_url: str, *, limit: int = 50) -> list[str]:
    """Links the story's text makes to other pages (its sources, as a rule): anchors inside
    ``<article>``/``<main>``, else inside paragraphs, so menus and footers are left out. Absolute
    http(s) URLs, each once, in page order, without fragments or links back to the page.

    Not courlan's ``extract_links``: it scans the whole page (menus included) and drops links a
    crawler would not follow, while an internal link in a story's text is as much a source."""
    doc = _parse_html(html)
    if doc is None:
        return []
    own = urldefrag(base_url)[0]
    found: list[str] = []
    hrefs = doc.xpath("//article//a/@href | //main//a/@href") or doc.xpath("//p//a/@href")
    for href in hrefs:
        url = urldefrag(urljoin(base_url, str(href).strip()))[0]
        if (
            urlsplit(url).scheme in ("http", "https")
            and url != own
            and url not in found
            and len(url) <= MAX_LINK
        ):
            found.append(url)
            if len(found) >= limit:
                break
    return found
