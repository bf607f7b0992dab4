"""Property-based fuzzing of the extractor and the ingest form (Hypothesis).

``make test`` runs each property with FUZZ_EXAMPLES examples (default 200); ``make fuzz`` runs
them with 10,000. The properties: nothing raises but the refusals meant for people
(ArticleRejected, form errors); every claim is exactly its span of the text; claims are in order
and never overlap; the stored body is NFC.

The example database is off (``database=None``) so fuzzing leaves no folder in the checkout; a
failure prints the ``@reproduce_failure`` line to replay it.
"""

from __future__ import annotations

import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from tests.base import FUZZ
from verify.extraction import extract
from verify.forms import ArticleForm
from verify.models import Article
from verify.services.articles import ArticleRejected, article_ingest

# --- Strategies -------------------------------------------------------------------------------

DEVANAGARI = st.characters(min_codepoint=0x0900, max_codepoint=0x097F)
PUNCTUATION = st.sampled_from([*" \n\n\t।॥.,;:!?\"'“”‘’«»()-—…", "\u200d", "\u200c", "\u200b", "\r"])
DEVANAGARI_HEAVY = st.text(
    alphabet=st.one_of(DEVANAGARI, DEVANAGARI, DEVANAGARI, PUNCTUATION, st.characters(codec="utf-8")),
    max_size=600,
)
# Words that make the extractor work: attribution cues, registry names, pronouns, boilerplate.
TOKENS = [
    "ने",
    "कहा",
    "कि",
    "बताया",
    "के",
    "अनुसार",
    "रॉयटर्स",
    "एएफपी",
    "तास",
    "प्रवक्ता",
    "मंत्रालय",
    "उन्होंने",
    "सूत्रों",
    "जा",
    "रहा",
    "है",
    "था",
    "।",
    "॥",
    "पुतिन",
    "किम",
    "क़तर",
    "२०२४",
    "5",
    "said",
    "told",
    "according",
    "to",
    "Reuters",
    "AFP",
    "TASS",
    "he",
    "she",
    "they",
    "reportedly",
    "the",
    "ministry",
    "spokesman",
    "Peskov",
    "claimed",
    "added",
    ".",
    ",",
    ":",
    "?",
    "!",
    '"',
    "“",
    "”",
    "'",
    "‘",
    "’",
    "—",
    "-",
    "(",
    ")",
    "\n",
    "\n\n",
    "\r\n",
    "Advertisement",
    "Read more:",
    "Share this article",
    "MOSCOW, Sept 13 (Reuters) -",
    "Photo:",
    "\u200d",
    "\u202e",
]
NEWSY = st.lists(st.sampled_from(TOKENS), max_size=120).map(" ".join) | st.lists(
    st.sampled_from(TOKENS), max_size=120
).map("".join)
ANY_TEXT = st.text(max_size=400)
ARTICLE_TEXT = st.one_of(NEWSY, DEVANAGARI_HEAVY, ANY_TEXT)


# --- Properties ---------------------------------------------------------------------------------


def assert_claims_exact(text: str, claims) -> None:
    previous_end = 0
    for i, claim in enumerate(claims):
        assert 0 <= claim.start < claim.end <= len(text), (i, claim.start, claim.end, len(text))
        assert claim.text == text[claim.start : claim.end], f"claim {i} is not its span"
        assert claim.start >= previous_end, f"claim {i} starts before claim {i - 1} ends"
        previous_end = claim.end


@FUZZ
@given(text=ARTICLE_TEXT, lang=st.sampled_from([None, "hi", "en"]))
def test_the_extractor_never_fails_and_its_offsets_are_exact(text, lang):
    result = extract(text, lang=lang)
    assert result.text == unicodedata.normalize("NFC", text)
    assert result.language in ("hi", "en")
    assert_claims_exact(result.text, result.claims)
    paragraphs = [c.paragraph for c in result.claims]
    assert paragraphs == sorted(paragraphs), "paragraph numbers go forward"
    for i, claim in enumerate(result.claims):
        assert claim.inherited_from is None or 0 <= claim.inherited_from < i
        assert claim.attribution in ("explicit", "inherited", "none")
    for removed in result.removed:
        assert 0 <= removed.start <= removed.end <= len(result.text)
        assert removed.text == result.text[removed.start : removed.end]


@pytest.mark.django_db
@FUZZ
@given(text=ARTICLE_TEXT, title=st.text(max_size=40), lang=st.sampled_from(["", "hi", "en"]))
def test_the_ingest_form_refuses_clearly_or_stores_exact_claims(editor, text, title, lang):
    form = ArticleForm({"text": text, "title": title, "language": lang})
    if not form.is_valid():
        assert form.errors, "an invalid form says why"
        return
    body = form.cleaned_data["body"]
    assert unicodedata.is_normalized("NFC", body)
    with transaction.atomic():
        try:
            article = article_ingest(text=body, title=title, by=editor, language=lang or None).article
        except ArticleRejected as exc:
            assert str(exc), "a refusal says why"
        else:
            stored = Article.objects.get(pk=article.pk)
            assert stored.body == body and unicodedata.is_normalized("NFC", stored.body)
            claims = list(stored.claims.order_by("order"))
            assert claims and [c.order for c in claims] == list(range(len(claims)))
            assert_claims_exact(stored.body, claims)
        transaction.set_rollback(True)  # every example starts from the same database


@pytest.mark.django_db
@FUZZ
@given(
    data=st.one_of(st.binary(max_size=600), ARTICLE_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))),
    name=st.sampled_from(["a.txt", "a.html", "a.htm", "a.TEXT"]),
)
def test_uploads_never_fail_unexpectedly(editor, data, name):
    form = ArticleForm({"title": ""}, {"upload": SimpleUploadedFile(name, data)})
    if not form.is_valid():
        assert form.errors
        return
    body = form.cleaned_data["body"]
    assert unicodedata.is_normalized("NFC", body) and body.strip()
    with transaction.atomic():
        try:
            article = article_ingest(text=body, title="", by=editor).article
        except ArticleRejected:
            pass
        else:
            assert_claims_exact(article.body, list(article.claims.order_by("order")))
        transaction.set_rollback(True)
