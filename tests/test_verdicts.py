"""Verdicts: an append-only history with the claim's status kept in step."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.base import make_user
from verify.models import Claim, StaleClaim, Verdict


@pytest.fixture
def claim(seed_article):
    return seed_article.claims.order_by("order").first()


def test_a_verdict_is_appended_and_moves_the_status(claim, reviewer):
    verdict = claim.record_verdict(
        status="corroborated",
        reviewer=reviewer,
        note="TASS says the same",
        evidence_urls=["https://tass.com/1"],
    )
    claim.refresh_from_db()
    assert claim.status == "corroborated" and claim.version == 1
    assert verdict.claim_text == claim.text
    assert list(claim.verdicts.values_list("status", "note", "evidence_urls")) == [
        ("corroborated", "TASS says the same", ["https://tass.com/1"])
    ]


def test_every_verdict_stays_in_history_and_the_latest_is_the_status(claim, reviewer):
    other = make_user("second-reviewer", "reviewers")
    claim.record_verdict(status="corroborated", reviewer=reviewer)
    claim.record_verdict(status="disputed", reviewer=other, note="KCNA contradicts")
    claim.record_verdict(status="unverifiable", reviewer=reviewer)
    claim.refresh_from_db()
    assert claim.status == "unverifiable" and claim.version == 3
    history = list(
        Verdict.objects.filter(claim=claim)
        .order_by("created_at", "id")
        .values_list("status", "reviewer__username")
    )
    assert history == [
        ("corroborated", "reviewer"),
        ("disputed", "second-reviewer"),
        ("unverifiable", "reviewer"),
    ]


def test_a_stale_version_writes_nothing_and_returns_the_newer_claim(claim, reviewer):
    other = make_user("second-reviewer", "reviewers")
    seen = claim.version
    Claim.objects.get(pk=claim.pk).record_verdict(status="disputed", reviewer=other, expected_version=seen)
    with pytest.raises(StaleClaim) as stale:
        claim.record_verdict(status="corroborated", reviewer=reviewer, expected_version=seen)
    assert stale.value.claim.status == "disputed" and stale.value.claim.version == seen + 1
    assert Verdict.objects.filter(claim=claim).count() == 1
    assert Claim.objects.get(pk=claim.pk).status == "disputed"


def test_unreviewed_is_not_a_verdict(claim, reviewer):
    with pytest.raises(ValidationError):
        claim.record_verdict(status="unreviewed", reviewer=reviewer)
    assert not Verdict.objects.exists()
