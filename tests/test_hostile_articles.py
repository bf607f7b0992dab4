"""Hostile articles: what an editor (or a broken file) can send to the ingest, through the form
(/articles/new/, pasted or uploaded) and through the services (decode_article_bytes,
article_ingest). Each input gets a clear error or a correct result — every claim's text is
exactly body[start:end], the body is NFC — within a wall-clock limit, and never a 500.

Lone surrogates are not among the inputs: they cannot arrive over HTTP, where the form data is
decoded from UTF-8 (invalid bytes become U+FFFD, tested below), and decode_article_bytes decodes
uploads strictly; a str with lone surrogates could only come from Python code calling the
services directly.
"""

from __future__ import annotations

import dataclasses
import html
import re
import time
import unicodedata
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from verify.models import Article
from verify.services.articles import ArticleRejected, article_ingest, decode_article_bytes

LIMIT_SECONDS = 10.0
SENTENCE = "Reuters said the talks went on in Geneva on Monday. "
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00!\x00" + bytes(range(256))
HTML_PAGE = (
    "<html><head><title>t</title><script>alert('head')</script></head><body>"
    "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
    "<article><h1>Talks resume</h1>"
    "<p>Reuters reported that the talks resumed in Geneva on Monday after a long pause.</p>"
    "<script>document.write('<p>alert(1) injected</p>')</script>"
    "<p>TASS said the delegation arrived late on Tuesday, according to officials.</p>"
    "<img src=x onerror=alert(1)>"
    "<p>The ministry said the agreement was close to being signed this week.</p>"
    "</article><footer>Subscribe to our newsletter</footer></body></html>"
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclasses.dataclass(frozen=True)
class Hostile:
    """One hostile input. ``text`` is pasted, ``data`` (with ``name``) is uploaded; the service
    path decodes ``data`` first. ``error`` is a pattern of the message a person reads (by
    path where the form and the service word it differently); None means a correct result."""

    id: str
    text: str | None = None
    data: bytes | None = None
    name: str = "article.txt"
    error: str | None = None
    form_error: str | None = None  # when the form says it otherwise than the service
    too_big_for_a_request: bool = False  # pasted, it is over Django's request size cap: answered 413


LIMIT = r"the limit is 200,000 characters"
NO_CLAIMS = r"No claims were found"
EMPTY = r"The article is empty"

CASES = [
    Hostile("empty text", text="", error=EMPTY),
    Hostile("empty file", data=b"", error=EMPTY, form_error=r"The submitted file is empty"),
    Hostile("whitespace only", text=" \n\t\u00a0\u3000\r\n  \n", error=EMPTY),
    Hostile("whitespace only file", data=b" \r\n\t \r\n", error=EMPTY),
    Hostile(
        "10 MB of text",
        text=SENTENCE * (10 * 1024 * 1024 // len(SENTENCE)),
        error=LIMIT,
        too_big_for_a_request=True,
    ),
    Hostile(
        "10 MB file",
        data=(SENTENCE * (10 * 1024 * 1024 // len(SENTENCE))).encode(),
        error=LIMIT,
        form_error=r"The file is too large; the limit is 200,000 characters of text",
    ),
    Hostile("300,000 characters", text=SENTENCE * (300_000 // len(SENTENCE)), error=LIMIT),
    Hostile(
        "PNG bytes", data=PNG, name="photo.txt", error=r"photo\.txt looks binary \(it contains NUL bytes\)"
    ),
    Hostile("ZIP bytes", data=ZIP, name="archive.html", error=r"archive\.html looks binary"),
    Hostile(
        "PNG bytes pasted as text",
        text=PNG.decode("latin-1"),
        error=r"control character",
        form_error=r"Null characters are not allowed",
    ),
    Hostile(
        "invalid UTF-8",
        data=b"Reuters said Pel\xe9 scored in Geneva on Monday.",
        error=r"is not UTF-8 text \(invalid byte 0xe9 at byte 16\)",
    ),
    Hostile(
        "Windows-1252 quotes",
        data=b"Reuters said \x93the talks went on\x94 in Geneva.",
        error=r"is not UTF-8 text \(invalid byte 0x93 at byte 13\)",
    ),
    # UTF-16 is not guessed: an English file has NUL bytes, a Hindi one does not, and both are
    # refused with a message that asks for UTF-8.
    Hostile(
        "UTF-16 with BOM, English",
        data="Reuters said the talks went on in Geneva.".encode("utf-16"),
        error=r"looks binary \(it contains NUL bytes\); send UTF-8 text",
    ),
    Hostile(
        "UTF-16 with BOM, Hindi",
        data="रॉयटर्स।ने।कहा।कि।वार्ता।जारी।है।".encode("utf-16"),
        error=r"is not UTF-8 text \(invalid byte 0xff at byte 0\)",
    ),
    Hostile("UTF-8 with BOM", data="\ufeffरॉयटर्स ने कहा कि वार्ता सोमवार को जारी रही।".encode()),
    Hostile(
        "only boilerplate lines",
        text="Advertisement\n\nShare this article\nRead more: other stories\nSubscribe to our newsletter\n",
        error=NO_CLAIMS,
    ),
    Hostile("a million dandas", text="।" * 1_000_000, error=LIMIT, too_big_for_a_request=True),
    Hostile(
        "a million dandas, as a file",
        data=("।" * 1_000_000).encode(),
        error=LIMIT,
        form_error=r"The file is too large; the limit is 200,000 characters of text",
    ),
    Hostile("150,000 dandas", text="।" * 150_000, error=NO_CLAIMS),
    Hostile("a sentence then 150,000 dandas", text="रॉयटर्स ने कहा कि वार्ता जारी है" + "।" * 150_000),
    Hostile("zero-width flood", text="\u200b\u200c\u200d" * 50_000, error=NO_CLAIMS),
    Hostile(
        "zero-width characters inside words",
        text="Reut\u200bers said the ta\u200dlks went on in Gen\u200ceva on Monday. रॉय\u200dटर्स ने कहा।",
    ),
    Hostile(
        "right-to-left override inside a sentence", text="Reuters said \u202etalks went on\u202c in Geneva."
    ),
    Hostile(
        "right-to-left override around the text",
        text="\u202eReuters said the talks went on.\u202c",
    ),
    Hostile("a 100,000-character sentence", text="Reuters said that " + "talks " * 16_660 + "went on."),
    Hostile("100,000 characters without a space", text="Reuters said " + "a" * 100_000 + "."),
    Hostile("deeply nested quotes", text='He said "' * 3_000 + "yes" + '"' * 3_000),
    Hostile("deeply nested curly quotes", text="“" * 5_000 + "Reuters said the talks went on." + "”" * 5_000),
    Hostile(
        "mixed Devanagari, Latin and Arabic",
        text="रॉयटर्स ने कहा कि Reuters said مرحبا بالعالم the talks went on। TASS said الحوار continues.",
    ),
    Hostile("a combining-mark flood", text="क" + "\u094d" * 100_000),
    Hostile("decomposed text", text=unicodedata.normalize("NFD", "क़तर के विदेश मंत्रालय ने कहा कि वार्ता जारी है।")),
    Hostile(
        "CR and CRLF line ends",
        text="Reuters said the talks went on.\r\n\r\nTASS said they did not.\rAFP agreed.",
    ),
    Hostile(
        "two thousand short paragraphs", text="\n\n".join(f"AFP said talk {i} went on." for i in range(2_000))
    ),
    Hostile("HTML with scripts, uploaded", data=HTML_PAGE.encode(), name="story.html"),
    Hostile(
        "HTML with only a script, uploaded",
        data=b"<html><body><script>alert(1)</script></body></html>",
        name="story.htm",
        error=r"No article text was found in this HTML page",
    ),
    Hostile(
        "NUL bytes in pasted text",
        text="Reuters said\x00 the talks went on.",
        error=r"control character",
        form_error=r"Null characters are not allowed",
    ),
    Hostile(
        "control characters in pasted text",
        text="Reuters said \x1b[31mthe talks\x07 went on.",
        error=r"2 control character",
    ),
    Hostile(
        "NUL bytes in an uploaded file", data=b"Reuters said\x00 the talks went on.", error=r"looks binary"
    ),
]


def check_article(article: Article, sent: str | None) -> None:
    """A correct result: the body is NFC, every claim is exactly its span, in order, apart."""
    body = article.body
    assert unicodedata.is_normalized("NFC", body)
    claims = list(article.claims.order_by("order"))
    assert claims, "an article is stored only with claims"
    previous_end = 0
    for i, claim in enumerate(claims):
        assert claim.order == i
        assert claim.text == body[claim.start : claim.end], f"claim {i} is not its span"
        assert claim.start >= previous_end, f"claim {i} overlaps the one before"
        previous_end = claim.end
    if sent is not None:
        assert body.strip() == unicodedata.normalize(
            "NFC", sent.replace("\r\n", "\n").replace("\r", "\n")
        ).strip().removeprefix("\ufeff")


def assert_sane(article: Article) -> None:
    """A claim is words: a run of punctuation or invisible characters is no claim."""
    for claim in article.claims.all():
        assert re.search(r"\w", claim.text.replace("_", "")), f"a claim without a word: {claim.text[:20]!r}"


def no_scripts(article: Article) -> None:
    assert "<script" not in article.body and "alert(" not in article.body and "onerror" not in article.body


def _expected_error(case: Hostile, path: str) -> str | None:
    return (case.form_error or case.error) if path == "form" else case.error


def via_service(case: Hostile, editor) -> Article | str:
    """The article, or the refusal's message."""
    try:
        text = case.text if case.text is not None else decode_article_bytes(case.data, name=case.name)
        if case.data is not None and case.name.endswith((".html", ".htm")):
            from verify.forms import html_to_text

            text = html_to_text(text)
            if not text.strip():
                return "No article text was found in this HTML page."
        return article_ingest(text=text, title="", by=editor).article
    except ArticleRejected as exc:
        return str(exc)


def via_form(case: Hostile, editor) -> Article | str:
    client = Client()
    client.force_login(editor)
    if case.text is not None:
        payload = {"text": case.text, "title": ""}
    else:
        payload = {"upload": SimpleUploadedFile(case.name, case.data), "title": ""}
    response = client.post(reverse("verify:article_new"), payload)
    assert response.status_code != 500
    if response.status_code == 302:
        return Article.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    # 413 (the handler400 page naming the limit) when the request itself is over Django's cap.
    assert response.status_code == (413 if case.too_big_for_a_request else 400), response.status_code
    page = html.unescape(response.content.decode())
    errors = re.findall(r'<p class="error" role="alert">(.*?)</p>', page, re.S)
    errors += re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', page, re.S)
    return " | ".join(errors) or page


def _params():
    for case in CASES:
        for path in ("form", "service"):
            yield pytest.param(case, path, id=f"{case.id}-{path}")


@pytest.mark.parametrize(("case", "path"), list(_params()))
def test_hostile_input_gets_a_clear_error_or_a_correct_result_in_time(editor, case, path, settings):
    articles_before = Article.objects.count()
    started = time.monotonic()
    outcome = (via_form if path == "form" else via_service)(case, editor)
    elapsed = time.monotonic() - started
    assert elapsed < LIMIT_SECONDS, f"{case.id} took {elapsed:.1f} s"
    error = _expected_error(case, path)
    if error is not None:
        assert isinstance(outcome, str), f"{case.id}: expected a refusal, got an article"
        assert re.search(error, outcome), f"{case.id}: {outcome[:300]!r} does not say {error!r}"
        assert Article.objects.count() == articles_before, "a refused input stored nothing"
        return
    assert isinstance(outcome, Article), f"{case.id}: refused with {outcome[:300]!r}"
    check_article(outcome, case.text)
    if case.name.endswith((".html", ".htm")) and case.data is not None:
        no_scripts(outcome)
        assert "Reuters reported that the talks resumed" in outcome.body
        assert "Home" not in outcome.body and "Subscribe" not in outcome.body
    assert_sane(outcome)


def test_invalid_utf8_in_posted_form_data_becomes_replacement_characters(editor):
    """Pasted text arrives as form data, which Django decodes with errors="replace": the bytes
    that are not UTF-8 become U+FFFD and the article is ingested with them, never a 500."""
    client = Client()
    client.force_login(editor)
    body = "text=" + quote("Reuters said Pel") + "%E9%FF" + quote(" scored in Geneva on Monday.") + "&title="
    started = time.monotonic()
    response = client.post(
        reverse("verify:article_new"), body.encode("ascii"), content_type="application/x-www-form-urlencoded"
    )
    assert time.monotonic() - started < LIMIT_SECONDS
    assert response.status_code == 302
    article = Article.objects.get()
    assert "Pel\ufffd\ufffd scored" in article.body
    check_article(article, None)


def test_the_same_hostile_text_twice_is_one_article(editor):
    text = "‮Reuters said ‍the talks went on.‬ " * 3
    first = article_ingest(text=text, title="", by=editor)
    second = article_ingest(text=text, title="", by=editor)
    assert first.created and not second.created and first.article.pk == second.article.pk


def test_the_limit_named_in_errors_follows_the_setting(editor, settings):
    settings.VERIFY_MAX_ARTICLE_CHARS = 1_234
    with pytest.raises(ArticleRejected, match="the limit is 1,234 characters"):
        article_ingest(text="x" * 1_235, title="", by=editor)
    page = _post_text(editor, "Reuters said so. " * 100)
    assert page.status_code == 400 and "the limit is 1,234 characters" in html.unescape(page.content.decode())


def _post_text(editor, text: str):
    client = Client()
    client.force_login(editor)
    return client.post(reverse("verify:article_new"), {"text": text, "title": ""})
