"""article_ingest: normalise, dedupe and store an article with its claims in one go."""

from __future__ import annotations

import unicodedata

import pytest

from verify.models import Article, Claim, Verdict
from verify.services.articles import ArticleRejected, article_ingest, article_reextract, decode_article_bytes


def test_ingest_stores_the_article_and_claims_that_point_into_it(seed_text, editor):
    result = article_ingest(text=seed_text, title="Kim and Putin", by=editor)
    article = result.article
    assert result.created and article.language == "hi" and article.ingested_by == editor
    claims = list(article.claims.order_by("order"))
    assert claims, "the seed article yields claims"
    for claim in claims:
        assert claim.text == article.body[claim.start : claim.end]
    assert [c.order for c in claims] == list(range(len(claims)))


def test_the_same_text_again_returns_the_existing_article_and_writes_nothing(seed_text, editor, reviewer):
    first = article_ingest(text=seed_text, title="first", by=editor).article
    n_claims = Claim.objects.count()
    again = article_ingest(text=seed_text, title="a different title", by=reviewer)
    assert not again.created and again.article.pk == first.pk and again.article.title == "first"
    assert Article.objects.count() == 1 and Claim.objects.count() == n_claims


def test_dedupe_sees_through_line_endings_decomposed_unicode_and_outer_whitespace(seed_text, editor):
    first = article_ingest(text=seed_text, title="t", by=editor).article
    variant = "\n  " + unicodedata.normalize("NFD", seed_text).replace("\n", "\r\n") + "\n\n"
    assert article_ingest(text=variant, title="t", by=editor).article.pk == first.pk


def test_the_stored_body_is_nfc(editor):
    decomposed = unicodedata.normalize("NFD", "क़तर के विदेश मंत्रालय ने कहा कि वार्ता जारी है।")
    article = article_ingest(text=decomposed, title="t", by=editor).article
    assert article.body == unicodedata.normalize("NFC", decomposed)
    assert unicodedata.is_normalized("NFC", article.claims.get().text)


def test_empty_text_is_refused(editor):
    with pytest.raises(ArticleRejected, match="empty"):
        article_ingest(text=" \n\t\n", title="t", by=editor)
    assert not Article.objects.exists()


def test_text_over_the_limit_is_refused_naming_the_limit(editor, settings):
    settings.VERIFY_MAX_ARTICLE_CHARS = 1_000
    with pytest.raises(ArticleRejected, match="the limit is 1,000 characters"):
        article_ingest(text="Reuters said the talks went on. " * 100, title="t", by=editor)
    assert not Article.objects.exists()


def test_binary_looking_text_is_refused(editor):
    with pytest.raises(ArticleRejected, match="control character"):
        article_ingest(text="PK\x03\x04\x14\x00 binary zip header", title="t", by=editor)


def test_bytes_that_are_not_utf8_are_refused_with_the_offending_byte():
    with pytest.raises(ArticleRejected, match="not UTF-8 text \\(invalid byte 0xe9 at byte 3\\)"):
        decode_article_bytes(b"Pel\xe9 said", name="upload.txt")
    with pytest.raises(ArticleRejected, match="binary"):
        decode_article_bytes(b"\x00\x01\x02", name="upload.txt")
    assert decode_article_bytes("\ufeffएएफपी ने कहा".encode()) == "एएफपी ने कहा"


def test_title_defaults_to_the_first_claim(editor):
    article = article_ingest(
        text="The ministry said talks would resume on Monday.", title="  ", by=editor
    ).article
    assert article.title == "The ministry said talks would resume on Monday."


def test_reextract_keeps_verdicts_and_the_claims_they_belong_to(seed_article, reviewer):
    judged = seed_article.claims.order_by("order")[1]
    judged.record_verdict(status="disputed", reviewer=reviewer, note="no such rifle")
    before = list(seed_article.claims.order_by("order").values_list("pk", "start", "end"))
    count = article_reextract(article=seed_article)
    after = list(seed_article.claims.order_by("order").values_list("pk", "start", "end"))
    assert count == len(after) == len(before)
    assert after == before, "an unchanged extraction keeps every row and its address"
    judged.refresh_from_db()
    assert judged.status == "disputed" and Verdict.objects.get().claim_id == judged.pk


def test_reextract_rebuilds_missing_claims(seed_article):
    expected = list(seed_article.claims.order_by("order").values_list("start", "end", "text"))
    seed_article.claims.all().delete()
    article_reextract(article=seed_article)
    assert list(seed_article.claims.order_by("order").values_list("start", "end", "text")) == expected


def test_seed_claims_carry_their_attributions_into_the_database(seed_article):
    first = seed_article.claims.get(order=0)
    assert first.attribution == "explicit" and first.outlet.name == "AFP"
    assert "पेस्कोव" in first.speaker_text and first.speaker.name == "Dmitry Peskov"
    assert first.cue == "के हवाले से बताया कि"
    second = seed_article.claims.get(order=1)
    assert second.attribution == "inherited" and second.inherited_from_id == first.pk
    assert second.outlet.name == "AFP"
    kcna = seed_article.claims.get(text__contains="भाईचारे के प्रेम")
    assert kcna.outlet.name == "KCNA" and kcna.outlet.state_affiliated
    assert not seed_article.claims.filter(text__contains="स्रोत लिंक").exists()
    assert {r["reason"] for r in seed_article.removed}, "boilerplate lines are recorded as removed"


def test_a_speaker_spelled_differently_is_the_same_registry_person(editor):
    text = "क्रेमलिन के प्रवक्ता दिमित्री पेसकोव ने कहा कि वार्ता उपयोगी रही।"
    claim = article_ingest(text=text, title="t", by=editor).article.claims.get()
    assert claim.speaker.name == "Dmitry Peskov"
    assert claim.speaker_text.endswith("पेसकोव"), "the phrase is kept as the article wrote it"


def test_an_outlet_the_newsroom_added_to_the_registry_is_recognised(editor):
    from verify.models import Source

    text = "Hasht-e Subh reported that the border crossing reopened on Monday."
    before = article_ingest(text=text, title="t", by=editor).article.claims.get()
    assert before.outlet is None or before.outlet.name != "Hasht-e Subh Daily"
    source = Source.objects.create(name="Hasht-e Subh Daily", kind="outlet", country="AF")
    source.aliases.create(alias="Hasht-e Subh")
    article_reextract(article=before.article)
    after = before.article.claims.get()
    assert after.outlet == source and after.attribution == "explicit"


def test_reextract_keeps_an_editors_correction(seed_article):
    from verify.models import Source

    claim = seed_article.claims.get(order=0)
    tass = Source.objects.get(name="TASS")
    type(claim).objects.filter(pk=claim.pk).update(outlet=tass, corrected=True)
    article_reextract(article=seed_article)
    claim.refresh_from_db()
    assert claim.outlet == tass and claim.corrected


def test_reextract_puts_back_the_attribution_and_inheritance_the_extractor_finds(seed_article):
    def state():
        claims = seed_article.claims.select_related("inherited_from").order_by("order")
        return [
            (
                c.start,
                c.end,
                c.attribution,
                c.speaker_id,
                c.outlet_id,
                c.inherited_from and c.inherited_from.start,
            )
            for c in claims
        ]

    expected = state()
    assert any(row[-1] is not None for row in expected), "the seed has inherited claims"
    # Rows found again whose attribution was lost, and rows gone (rebuilt, linked to their parents).
    seed_article.claims.update(attribution="none", speaker=None, outlet=None, inherited_from=None)
    seed_article.claims.filter(order__gte=len(expected) // 2).delete()
    article_reextract(article=seed_article)
    assert state() == expected
    article_reextract(article=seed_article)
    assert state() == expected, "an unchanged extraction leaves everything as it is"
