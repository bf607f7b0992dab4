"""The review service: verdicts (an append-only history with the claim's status kept in step) and
editors' corrections, each held to the one version-checked write."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.base import make_user
from verify.models import Claim, ReferenceLink, StaleClaim, Verdict
from verify.services import review


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


# --- Corrections through the service ---------------------------------------------------------

CORRECTIONS = {
    "attribution": lambda claim, by, v: review.claim_correct_attribution(
        claim=claim, by=by, attribution="none", expected_version=v
    ),
    "exclude": lambda claim, by, v: review.claim_set_excluded(
        claim=claim, by=by, excluded=True, expected_version=v
    ),
    "split": lambda claim, by, v: review.claim_split(
        claim=claim, by=by, at=len(claim.text) // 2, expected_version=v
    ),
    "merge": lambda claim, by, v: review.claim_merge_next(claim=claim, by=by, expected_version=v),
}


@pytest.mark.parametrize("name", sorted(CORRECTIONS))
def test_every_correction_moves_the_version_and_says_who_corrected(claim, editor, name):
    CORRECTIONS[name](claim, editor, claim.version)
    fresh = Claim.objects.get(pk=claim.pk)
    assert fresh.version == 1 and fresh.corrected and fresh.corrected_by == editor
    assert fresh.updated_by == editor and fresh.corrected_at is not None
    assert fresh.text == fresh.article.body[fresh.start : fresh.end]


@pytest.mark.parametrize("name", sorted(CORRECTIONS))
def test_a_correction_on_a_stale_version_writes_nothing_and_names_who_changed_it(
    claim, editor, reviewer, name
):
    seen = claim.version
    review.verdict_record(
        claim=Claim.objects.get(pk=claim.pk), status="disputed", reviewer=reviewer, expected_version=seen
    )
    before = list(
        claim.article.claims.order_by("order").values_list("pk", "start", "end", "attribution", "excluded")
    )
    with pytest.raises(StaleClaim) as stale:
        CORRECTIONS[name](claim, editor, seen)
    assert stale.value.changed_by == "reviewer" and stale.value.claim.version == seen + 1
    after = list(
        claim.article.claims.order_by("order").values_list("pk", "start", "end", "attribution", "excluded")
    )
    assert after == before and not Claim.objects.get(pk=claim.pk).corrected


def test_a_verdict_with_evidence_adds_the_links_once_and_refuses_bad_ones(claim, reviewer):
    recorded = review.verdict_record(
        claim=claim,
        status="corroborated",
        reviewer=reviewer,
        evidence="https://tass.com/1\nhttps://tass.com/1 https://ria.ru/2",
        expected_version=claim.version,
    )
    assert [link.url for link in recorded.new_links] == ["https://tass.com/1", "https://ria.ru/2"]
    assert recorded.verdict.evidence_urls == ["https://tass.com/1", "https://ria.ru/2"]
    with pytest.raises(review.CorrectionRefused, match="not an http"):
        review.verdict_record(
            claim=claim,
            status="disputed",
            reviewer=reviewer,
            evidence="javascript:alert(1)",
            expected_version=None,
        )
    assert ReferenceLink.objects.filter(claim=claim).count() == 2 and claim.verdicts.count() == 1
