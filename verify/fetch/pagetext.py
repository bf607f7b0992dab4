"""From a page's bytes to what a reviewer reads: decoded text, main text, title, outbound links.

The one HTML-to-text rule of the project (:func:`html_to_text`): fetched pages and uploaded
``.html`` files both go through it. Main text is trafilatura's; when trafilatura finds none,
trafilatura's own baseline extraction (article tags, then paragraphs, then the cleaned body)
on our lxml parse of the page. :func:`extract_page` is the whole step for a fetched page (title,
links, main text of at most ``max_bytes`` of HTML); :mod:`verify.fetch.extract` runs it in a
child process under a time limit.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
import trafilatura
import webencodings
from lxml import etree
from lxml.etree import LxmlError

logger = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_WS = re.compile(r"[ \t\r\f\v]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
MAX_TITLE = 500
MAX_LINK = 2000
# Elements (and comments) that hold no story text: dropped before a page too large for the extractor is cut, so
# the size limit applies to the page's content, not to its scripts and styles.
NOT_TEXT = ("script", "style", "noscript", "template", "svg", "iframe")


def _encoding(label: str | None) -> webencodings.Encoding | None:
    """The encoding a charset label names in the WHATWG Encoding Standard (what browsers do), or
    None. Unknown labels count as undeclared, and so do labels Python knows but browsers do not
    (``idna``, ``undefined`` and ``punycode`` raise even with ``errors="replace"``; ``utf-7``,
    ``unicode_escape`` and ``rot13`` decode to something no browser would show) and the
    standard's "replacement" encoding. The table also reads ``iso-8859-1``, ``latin1`` and
    ``us-ascii`` as windows-1252, which keeps the curly quotes and dashes of cp1252 pages."""
    if not label:
        return None
    encoding = webencodings.lookup(label.strip().strip("\"'"))
    if encoding is None or encoding.name == "replacement":
        return None
    return encoding


def _declarations(body: bytes, declared: str | None, *, html: bool) -> Iterator[webencodings.Encoding]:
    """The usable declarations in the order they count: the server's, then for HTML a
    ``<meta charset>`` or XML declaration in the first 4 KB."""
    encoding = _encoding(declared)
    if encoding is not None:
        yield encoding
    if html:
        head = body[:4096]
        match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
        encoding = _encoding(match.group(1).decode("ascii")) if match else None
        if encoding is not None and encoding.name.startswith("utf-16"):
            encoding = webencodings.UTF8  # a meta tag readable as ASCII cannot be in UTF-16
        if encoding is not None:
            yield encoding


def decode_body(body: bytes, declared: str | None, *, html: bool) -> tuple[str, str]:
    """Bytes to text, never failing: (text, Python codec used).

    Order: byte-order mark, the charset the server declared, then for HTML a ``<meta charset>``
    or XML declaration in the first 4 KB, then UTF-8. A declaration that names no usable
    encoding, or whose codec fails anyway, is passed over for the next. Bad bytes become U+FFFD.

    No statistical guess (charset-normalizer, which trafilatura's own decoding also uses): on
    page-sized inputs it named cp1006 for Latin-1 "Café crème" and cp1250 for a cp1252 English
    story, silently changing quoted text, where U+FFFD shows a reviewer where bytes were bad.
    Declarations are what browsers follow first too, and undeclared pages are UTF-8 as a rule.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), codec
    for encoding in _declarations(body, declared, html=html):
        try:
            return encoding.codec_info.decode(body, "replace")[0], encoding.codec_info.name
        except (UnicodeError, LookupError, ValueError) as exc:
            logger.info("charset %s failed (%s); trying the next declaration", encoding.name, exc)
    return body.decode("utf-8", errors="replace"), "utf-8"


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
    return _title_of(doc) if doc is not None else ""


def _title_of(doc: lxml.html.HtmlElement) -> str:
    for xpath in ("//meta[@property='og:title']/@content", "//title//text()", "//h1//text()"):
        found = " ".join(str(t) for t in doc.xpath(xpath)).strip()
        if found:
            return _WS.sub(" ", found)[:MAX_TITLE]
    return ""


def outbound_links(html: str, base_url: str, *, limit: int = 50) -> list[str]:
    """Links the story's text makes to other pages (its sources, as a rule): anchors inside
    ``<article>``/``<main>``, else inside paragraphs, so menus and footers are left out. Absolute
    http(s) URLs, each once, in page order, without fragments or links back to the page; an href
    that is no URL at all (``http://[::1``) is left out.

    Not courlan's ``extract_links``: it scans the whole page (menus included) and drops links a
    crawler would not follow, while an internal link in a story's text is as much a source."""
    doc = _parse_html(html)
    return _links_of(doc, base_url, limit=limit) if doc is not None else []


def _links_of(doc: lxml.html.HtmlElement, base_url: str, *, limit: int = 50) -> list[str]:
    own = urldefrag(base_url)[0]
    found: list[str] = []
    hrefs = doc.xpath("//article//a/@href | //main//a/@href") or doc.xpath("//p//a/@href")
    for href in hrefs:
        try:
            url = urldefrag(urljoin(base_url, str(href).strip()))[0]
        except ValueError:
            continue
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


@dataclass
class PageText:
    """What a reviewer gets from an HTML page. ``cut``: only the first ``max_bytes`` of the page
    (without its scripts and styles) reached the extractor."""

    title: str = ""
    text: str = ""
    links: list[str] = field(default_factory=list)
    cut: bool = False


def extract_page(html: str, base_url: str, *, max_bytes: int) -> PageText:
    """Title and outbound links from the whole page, main text from at most ``max_bytes`` of it.

    A page within the limit goes to :func:`html_to_text` as it is. A larger one loses the
    elements that hold no text (:data:`NOT_TEXT`, comments) first, and only what is still over the limit
    is cut: trafilatura's time grows faster than the page (about 1 s for 1 MB of paragraphs, 5 s
    for 2 MB), and the scripts of a modern page alone can pass a megabyte.
    """
    doc = _parse_html(html)
    if doc is None:
        return PageText(text=html_to_text(html))
    page = PageText(title=_title_of(doc), links=_links_of(doc, base_url))
    if len(html.encode("utf-8")) > max_bytes:
        etree.strip_elements(doc, etree.Comment, *NOT_TEXT, with_tail=False)
        slim = lxml.html.tostring(doc, encoding="unicode").encode("utf-8")
        page.cut = len(slim) > max_bytes
        html = slim[:max_bytes].decode("utf-8", errors="ignore")
    page.text = html_to_text(html)
    return page
