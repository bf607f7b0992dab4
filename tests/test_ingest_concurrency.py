"""Ingest under concurrency and failure: one article per text, nothing half-written."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection

from verify import extraction
from verify.models import Article, Claim
from verify.services.articles import article_ingest

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_editors_ingesting_the_same_text_at_once_get_one_article(seed_text, editor):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def ingest():
        try:
            barrier.wait(timeout=10)
            results.append(article_ingest(text=seed_text, title="race", by=editor))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ingest) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert Article.objects.count() == 1
    assert {r.article.pk for r in results} == {Article.objects.get().pk}
    assert sorted(r.created for r in results) == [False, True]
    assert Claim.objects.count() == len(extraction.extract(seed_text).claims)


def test_a_failure_while_writing_claims_leaves_no_article_behind(seed_text, editor, monkeypatch):
    real_extract = extraction.extract

    def broken_extract(text, **kwargs):
        found = real_extract(text, **kwargs)
        bad = found.claims[0].__class__(text="not the body", start=0, end=12, paragraph=0)
        return extraction.Extraction(text=found.text, language=found.language, claims=[bad], removed=[])

    monkeypatch.setattr(extraction, "extract", broken_extract)
    with pytest.raises(IntegrityError):
        article_ingest(text=seed_text, title="t", by=editor)
    assert not Article.objects.exists() and not Claim.objects.exists()
