"""The review service: verdicts (an append-only history with the claim's status kept in step) and
editors' corrections, each held to the one version-checked write."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from tests.base import make_user
from verify.models import Claim, ClaimGone, ReferenceLink, StaleClaim, Verdict
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


# --- Claims merged away, claims marked "not a claim" ------------------------------------------


def test_a_version_checked_write_to_a_claim_that_is_gone_says_so(claim):
    """Not Claim.DoesNotExist (a 500 in every view): a StaleClaim of its own kind, ClaimGone."""
    pk = claim.pk
    Claim.objects.filter(pk=pk).delete()
    with pytest.raises(ClaimGone, match=f"claim {pk} no longer exists") as gone:
        Claim.objects.update_at_version(pk, 0, status="disputed")
    assert gone.value.claim is None and gone.value.changed_by == "someone"


OPERATIONS = {
    **CORRECTIONS,
    "verdict": lambda claim, by, v: review.verdict_record(
        claim=claim, status="disputed", reviewer=by, note="late", expected_version=v
    ),
    "links": lambda claim, by, v: review.claim_links_add(claim=claim, urls=["https://tass.com/late"], by=by),
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_an_operation_on_a_claim_merged_away_names_the_claim_it_went_into_and_writes_nothing(
    seed_article, editor, name
):
    first, second = seed_article.claims.order_by("order")[:2]
    loaded = Claim.objects.select_related("article").get(pk=second.pk)  # the page the editor holds
    review.claim_merge_next(claim=first, by=editor, expected_version=first.version)
    before = list(seed_article.claims.order_by("order").values_list("pk", "start", "end", "version"))
    with pytest.raises(ClaimGone) as gone:
        OPERATIONS[name](loaded, editor, loaded.version)
    assert gone.value.claim == first and gone.value.changed_by == "editor"
    assert str(gone.value).startswith("Claim #2 was merged into #1 by editor at ")
    assert str(gone.value).endswith("nothing was saved. Look at #1 and decide again.")
    after = list(seed_article.claims.order_by("order").values_list("pk", "start", "end", "version"))
    assert after == before
    assert not Verdict.objects.exists() and not ReferenceLink.objects.exists()


def test_a_verdict_given_on_the_next_claim_after_the_editor_loaded_the_page_is_carried_by_the_merge(
    seed_article, editor, reviewer
):
    """Only the first claim's version is the editor's to check (the merge form carries it); the
    second claim's verdicts, late ones included, move to the merged claim: none disappears."""
    first, second = seed_article.claims.order_by("order")[:2]
    seen = first.version  # the editor loads the page
    review.verdict_record(claim=second, status="disputed", reviewer=reviewer, expected_version=second.version)
    review.claim_merge_next(claim=first, by=editor, expected_version=seen)
    assert list(first.verdicts.values_list("status", "reviewer__username")) == [("disputed", "reviewer")]


@pytest.mark.parametrize("version", ["current", None])
def test_a_claim_marked_not_a_claim_takes_no_verdict_whatever_the_version(claim, editor, reviewer, version):
    review.claim_set_excluded(claim=claim, by=editor, excluded=True, expected_version=claim.version)
    fresh = Claim.objects.get(pk=claim.pk)
    with pytest.raises(review.CorrectionRefused, match="marked “not a claim”: it takes no verdict"):
        review.verdict_record(
            claim=fresh,
            status="corroborated",
            reviewer=reviewer,
            evidence="https://tass.com/1",
            expected_version=fresh.version if version == "current" else None,
        )
    fresh.refresh_from_db()
    assert fresh.status == "unreviewed" and fresh.version == 1 and fresh.excluded
    assert not Verdict.objects.exists() and not ReferenceLink.objects.exists()


def test_a_lock_brings_the_claim_up_to_date(seed_article, editor):
    """What an operation reads is the row as it is under the lock, not as the page loaded it:
    a split before it moved the orders without touching this claim's version."""
    first, second = seed_article.claims.order_by("order")[:2]
    loaded = Claim.objects.get(pk=second.pk)
    review.claim_split(claim=first, by=editor, at=len(first.text) // 2, expected_version=first.version)
    with transaction.atomic():
        review.lock_claim(loaded, expected_version=loaded.version)
    assert loaded.order == second.order + 1


def test_a_corrected_speaker_does_not_keep_the_old_speakers_title(claim, editor):
    """The role the extractor read ("क्रेमलिन के प्रवक्ता") belongs to the speaker it found: an
    editor who names another speaker gets that speaker's kind and no borrowed title."""
    from verify.models import Source

    Claim.objects.filter(pk=claim.pk).update(
        attribution="explicit", speaker_role="क्रेमलिन के प्रवक्ता", speaker_kind="person"
    )
    claim.refresh_from_db()
    ministry = Source.objects.create(name="रूसी विदेश मंत्रालय", kind=Source.Kind.ORGANISATION)
    review.claim_correct_attribution(
        claim=claim, by=editor, attribution="explicit", speaker=ministry, expected_version=claim.version
    )
    claim.refresh_from_db()
    assert (claim.speaker, claim.speaker_role, claim.speaker_kind) == (ministry, "", "organisation")
    same = claim.version
    review.claim_correct_attribution(
        claim=claim, by=editor, attribution="explicit", speaker=ministry, expected_version=same
    )
    claim.refresh_from_db()
    assert claim.speaker_kind == "organisation"


def test_a_new_speaker_typed_in_another_script_finds_the_registry_row(claim, editor):
    """ "New speaker: दिमित्री पेस्कोव" is the registry's Dmitry Peskov, not a second Peskov."""
    from verify.models import Source

    peskov = Source.objects.get(name="Dmitry Peskov")
    before = Source.objects.count()
    review.claim_correct_attribution(
        claim=claim,
        by=editor,
        attribution="explicit",
        new_speaker="दिमित्री पेसकोव",
        expected_version=claim.version,
    )
    claim.refresh_from_db()
    assert claim.speaker == peskov and Source.objects.count() == before
