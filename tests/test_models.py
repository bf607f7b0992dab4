"""Rules the database itself keeps, whatever code path writes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from verify.models import Article, Claim, ReferenceLink, Source, Verdict, content_hash

BODY = "AFP ने बताया कि बैठक हुई। TASS के अनुसार बातचीत लंबी चली।"


@pytest.fixture
def article(db):
    return Article.objects.create(title="t", body=BODY, language="hi", content_hash=content_hash(BODY))


def claim_for(article, start, end, text=None, order=0):
    return Claim(
        article=article,
        order=order,
        paragraph=0,
        start=start,
        end=end,
        text=article.body[start:end] if text is None else text,
    )


def test_a_claim_whose_text_is_body_start_end_is_stored(article):
    claim = claim_for(article, 0, 25)
    claim.full_clean()
    claim.save()
    assert Claim.objects.get().text == "AFP ने बताया कि बैठक हुई।"


def test_a_claim_whose_text_is_not_body_start_end_cannot_be_saved(article):
    with pytest.raises(IntegrityError, match="body\\[start:end\\]"), transaction.atomic():
        claim_for(article, 0, 25, text="AFP ने बताया कि बैठक नहीं हुई।").save()
    assert not Claim.objects.exists()


def test_bulk_inserts_cannot_bypass_the_offset_rule(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.bulk_create(
            [claim_for(article, 0, 25), claim_for(article, 26, 40, text="shifted", order=1)]
        )
    assert not Claim.objects.exists()


def test_moving_offsets_without_the_text_is_refused(article):
    claim = claim_for(article, 0, 25)
    claim.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(start=1)
    claim.refresh_from_db()
    assert claim.start == 0


def test_offsets_past_the_end_of_the_body_are_refused(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        claim_for(article, 26, len(BODY) + 5, text=BODY[26:]).save()


def test_offsets_must_be_ordered(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        claim_for(article, 5, 5, text="").save()


def test_model_validation_explains_the_offset_rule(article):
    with pytest.raises(ValidationError, match=r"exactly article\.body"):
        claim_for(article, 0, 25, text="something else").full_clean()


def test_offsets_count_characters_of_the_nfc_text_not_bytes(db):
    body = "पेस्कोव ने कहा। दूसरा वाक्य।"
    article = Article.objects.create(title="t", body=body, language="hi", content_hash=content_hash(body))
    claim = claim_for(article, 16, len(body))
    claim.save()
    assert claim.text == "दूसरा वाक्य।"


def test_the_body_cannot_change_under_its_claims(article):
    claim_for(article, 0, 25).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(body="replaced " + BODY)
    assert Article.objects.get().body == BODY


def test_status_values_are_constrained(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        c = claim_for(article, 0, 25)
        c.status = "maybe"
        c.save()


def test_one_article_per_text(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="again", body=BODY, language="hi", content_hash=content_hash(BODY))


def test_an_empty_body_is_refused(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="t", body="", language="hi", content_hash=content_hash("x"))


def test_a_url_is_attached_to_a_claim_once(article, editor):
    claim = claim_for(article, 0, 25)
    claim.save()
    ReferenceLink.objects.create(article=article, claim=claim, url="https://www.afp.com/a", added_by=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceLink.objects.create(article=article, claim=claim, url="https://www.afp.com/a")
    # The same URL may back another claim, and the article as a whole.
    other = claim_for(article, 26, len(BODY), order=1)
    other.save()
    ReferenceLink.objects.create(article=article, claim=other, url="https://www.afp.com/a")
    ReferenceLink.objects.create(article=article, url="https://www.afp.com/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceLink.objects.create(article=article, url="https://www.afp.com/a")
    assert ReferenceLink.objects.count() == 3


def test_registry_is_seeded_with_outlets_and_their_aliases(db):
    tass = Source.objects.get(name="TASS")
    assert tass.kind == "outlet" and tass.state_affiliated
    assert {"टीएएसएस", "तास"} <= set(tass.aliases.values_list("alias", flat=True))
    assert not Source.objects.get(name="Reuters").state_affiliated  # (AFP is, docs/registry.md)


def test_progress_counts_claims_per_status(article, reviewer):
    a, b = claim_for(article, 0, 25), claim_for(article, 26, len(BODY), order=1)
    a.save(), b.save()
    a.record_verdict(status="disputed", reviewer=reviewer)
    assert article.progress() == {"unreviewed": 1, "corroborated": 0, "disputed": 1, "unverifiable": 0}
    row = Article.objects.with_progress().get(pk=article.pk)
    assert (row.n_claims, row.n_disputed, row.n_unreviewed) == (2, 1, 1)


def test_verdict_history_cannot_be_edited(article, reviewer):
    claim = claim_for(article, 0, 25)
    claim.save()
    verdict = claim.record_verdict(status="corroborated", reviewer=reviewer, note="AFP wire matches")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Verdict.objects.filter(pk=verdict.pk).update(status="disputed")
    verdict.refresh_from_db()
    assert verdict.status == "corroborated"


def test_the_integrity_triggers_survive_every_migration(db):
    """A later migration that rebuilds a table on SQLite must put the triggers back."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    expected = {"verify_article_body_frozen", "verify_verdict_append_only"} | (
        {"verify_claim_text_insert", "verify_claim_text_update"}
        if connection.vendor == "sqlite"
        else {"verify_claim_text"}
    )
    assert expected <= names
