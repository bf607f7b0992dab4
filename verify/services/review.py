"""Review: verdicts, reference links and editors' corrections (attribution, split, merge, "not
a claim").

Every operation runs in one transaction that first locks the rows it reads (:func:`lock_claim`),
in one order: the article's row for the edits that renumber its claims (split, merge), then the
claims by their order in the article. It then checks the version the reviewer or editor saw and changes the claim through the one
version-checked update (:meth:`~verify.models.ClaimQuerySet.update_at_version`). Who saw an
older version gets :class:`~verify.models.StaleClaim`, who acted on a claim merged away
meanwhile :class:`~verify.models.ClaimGone` naming the claim it went into; either way nothing is
written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from verify.models import Article, Claim, ClaimGone, ReferenceLink, Source, SpeakerKind, StaleClaim, Verdict
from verify.services import links
from verify.services.registry import MAX_NAME_CHARS, SourceResolver
from verify.services.urls import check_url


class CorrectionRefused(ValueError):
    """An editor's correction that cannot be applied; the message says why."""


def lock_claim(claim: Claim, expected_version: int | None = None, *, delete: bool = False) -> None:
    """Lock the claim's row until the transaction ends and bring ``claim`` up to date from it (a
    relation it holds is forgotten only if it changed). PostgreSQL takes a row lock: FOR NO KEY
    UPDATE, which still lets others add rows pointing at the claim, or FOR UPDATE with ``delete``,
    which does not; SQLite's IMMEDIATE transactions hold the write lock already.

    Raises StaleClaim when it moved past ``expected_version`` (None: any), ClaimGone when the
    row no longer exists."""
    # By pk, not the default ordering: that joins the article, whose row would be locked too.
    fresh = Claim.objects.select_for_update(no_key=not delete).filter(pk=claim.pk).order_by("pk").first()
    if fresh is None:
        raise _gone(claim)
    for field in Claim._meta.concrete_fields:
        setattr(claim, field.attname, getattr(fresh, field.attname))
    if expected_version is not None and claim.version != expected_version:
        raise StaleClaim(claim)


def _gone(claim: Claim) -> ClaimGone:
    """ClaimGone for a claim whose row is no longer there, with the claim whose span now covers
    it (the one an editor merged it into) and, as its message, what to tell whoever acted on it."""
    into = (
        Claim.objects.filter(article_id=claim.article_id, start__lte=claim.start, end__gte=claim.end)
        .select_related("updated_by")
        .order_by("order")
        .first()
    )
    if into is None:
        message = gettext(
            "Claim #%(n)d no longer exists (an editor or a re-extraction removed it); nothing was "
            "saved. Reload the article and decide again."
        )
        return ClaimGone(None, message % {"n": claim.order + 1})
    message = gettext(
        "Claim #%(n)d was merged into #%(into)d by %(who)s at %(when)s; nothing was saved. "
        "Look at #%(into)d and decide again."
    )
    facts = {
        "n": claim.order + 1,
        "into": into.order + 1,
        "who": into.updated_by.get_username() if into.updated_by else gettext("someone"),
        "when": into.updated_at.strftime("%H:%M:%S"),
    }
    return ClaimGone(into, message % facts)


MAX_EVIDENCE_LINKS = 10


def parse_evidence_urls(raw: str) -> list[str]:
    """Evidence links as a reviewer pastes them: one per line or separated by spaces.

    Each one as :func:`verify.services.urls.check_url` takes it (http(s), at most 2,000
    characters, no control characters), at most ten per verdict; duplicates dropped.
    """
    urls: list[str] = []
    for url in raw.split():
        url = check_url(url, error=CorrectionRefused)
        if url not in urls:
            urls.append(url)
    if len(urls) > MAX_EVIDENCE_LINKS:
        raise CorrectionRefused(
            gettext("%(n)d links given; at most %(max)d per verdict.")
            % {"n": len(urls), "max": MAX_EVIDENCE_LINKS}
        )
    return urls


@dataclass(frozen=True, slots=True)
class Recorded:
    verdict: object
    new_links: list  # reference links created from the verdict's evidence URLs, to be fetched


def verdict_record(
    *, claim: Claim, status: str, reviewer, note: str = "", evidence: str = "", expected_version: int | None
) -> Recorded:
    """Record a reviewer's verdict. Its evidence URLs also become the claim's reference links
    (the caller queues their fetch), and what the claim's fetched links say now becomes the
    baseline the link-rot check compares with. Raises StaleClaim when the claim moved on
    (ClaimGone when it was merged away), CorrectionRefused when it is marked "not a claim"
    (whatever the version: such a claim takes no verdict)."""
    urls = parse_evidence_urls(evidence)
    with transaction.atomic():
        lock_claim(claim, expected_version)
        if claim.excluded:
            raise CorrectionRefused(
                gettext(
                    "This claim is marked “not a claim”: it takes no verdict. Restore it as a claim first."
                )
            )
        verdict = claim.record_verdict(
            status=status,
            reviewer=reviewer,
            note=note.strip(),
            evidence_urls=urls,
            expected_version=expected_version,
        )
        new_links = (
            links.links_add(article=claim.article, claim=claim, urls=urls, by=reviewer) if urls else []
        )
        links.set_baselines(claim)
    return Recorded(verdict, new_links)


def claim_links_add(*, claim: Claim, urls: list[str], by) -> list[ReferenceLink]:
    """Attach reference links to a claim (the caller queues their fetch), holding the claim's row
    meanwhile: a merge cannot take the claim away under them. Raises ClaimGone when it did."""
    with transaction.atomic():
        lock_claim(claim)
        return links.links_add(article=claim.article, claim=claim, urls=urls, by=by)


def _lock_article(claim: Claim) -> None:
    """Split and merge renumber the claims after theirs: each takes the article's row first, so
    they go one at a time per article (FOR NO KEY UPDATE: rows pointing at the article may still
    be added meanwhile, a verdict's links for one)."""
    list(Article.objects.select_for_update(no_key=True).filter(pk=claim.article_id).values_list("pk"))


def _touch(claim: Claim, *, by, expected_version: int | None, **fields) -> None:
    """Apply an editor's correction to one claim (locked and checked by the caller) if it is
    still at the version the editor saw: the version moves on and the claim is marked corrected,
    by whom and when."""
    now = timezone.now()
    Claim.objects.update_at_version(
        claim.pk,
        expected_version,
        **fields,
        corrected=True,
        corrected_by=by,
        corrected_at=now,
        updated_by=by,
        updated_at=now,
    )
    claim.refresh_from_db()


def claim_correct_attribution(
    *,
    claim: Claim,
    by,
    attribution: str,
    speaker: Source | None = None,
    new_speaker: str = "",
    outlet: Source | None = None,
    expected_version: int | None,
) -> Claim:
    """An editor sets who said it and through which outlet, or that it is the article's voice.

    ``new_speaker`` finds the registry's speaker of that name in any script or spelling
    (दिमित्री पेस्कोव = Dmitry Peskov = पेसकोव), or adds a person.
    "inherited" takes its source from the claim before it in the same paragraph.
    """
    if attribution not in Claim.Attribution.values:
        raise CorrectionRefused(gettext("Unknown attribution kind %(kind)r.") % {"kind": attribution})
    if outlet is not None and outlet.kind != Source.Kind.OUTLET:
        raise CorrectionRefused(gettext("%(name)s is not an outlet.") % {"name": outlet})
    # the registry's names are read before the claim is locked, so the lock is held for the write
    resolver = SourceResolver() if new_speaker.strip() else None
    with transaction.atomic():
        lock_claim(claim, expected_version)
        if resolver is not None:
            # the one the registry has under any script or spelling, else a new person
            speaker = resolver.speaker(new_speaker.strip()[:MAX_NAME_CHARS])
        parent = None
        if attribution == Claim.Attribution.NONE:
            speaker = outlet = None
        elif attribution == Claim.Attribution.INHERITED:
            parent = (
                claim.article.claims.filter(paragraph=claim.paragraph, order__lt=claim.order, excluded=False)
                .order_by("-order")
                .first()
            )
            if parent is None:
                raise CorrectionRefused(
                    gettext("This is the first claim of its paragraph: there is nothing to inherit from.")
                )
            speaker = speaker or parent.speaker
            outlet = outlet or parent.outlet
        elif speaker is None and outlet is None:
            raise CorrectionRefused(gettext("Name a speaker or an outlet for an explicit attribution."))
        same = speaker is not None and speaker == claim.speaker
        speaker_text = claim.speaker_text if same else (speaker.name if speaker else "")
        # The role and kind the extractor read belong to the speaker it found: another speaker
        # takes its own (a parent's when inherited from it), never the old one's title.
        if same:
            speaker_role, speaker_kind = claim.speaker_role, claim.speaker_kind
        elif parent is not None and speaker is not None and speaker == parent.speaker:
            speaker_role, speaker_kind = parent.speaker_role, parent.speaker_kind
        else:
            speaker_role, speaker_kind = "", _speaker_kind(speaker)
        _touch(
            claim,
            by=by,
            expected_version=expected_version,
            attribution=attribution,
            speaker=speaker,
            speaker_text=speaker_text,
            speaker_role=speaker_role,
            speaker_kind=speaker_kind,
            outlet=outlet,
            inherited_from=parent,
            speaker_unresolved=False,
        )
    return claim


def _speaker_kind(speaker: Source | None) -> str:
    """The claim's speaker kind for a registry row an editor chose: a person, else an organisation."""
    if speaker is None:
        return ""
    return SpeakerKind.PERSON if speaker.kind == Source.Kind.PERSON else SpeakerKind.ORGANISATION


def claim_set_excluded(*, claim: Claim, by, excluded: bool, expected_version: int | None) -> Claim:
    """Mark a claim "not a claim" (or take that back); it leaves review and progress."""
    with transaction.atomic():
        lock_claim(claim, expected_version)
        _touch(claim, by=by, expected_version=expected_version, excluded=excluded)
    return claim


def _shift_orders(article: Article, *, after: int, by: int) -> None:
    """Move the claims after ``after`` by ``by`` places; orders stay unique at every step
    (PostgreSQL checks unique constraints row by row, so park them out of the way first)."""
    rows = article.claims.filter(order__gt=after)
    rows.update(order=F("order") + 1_000_000)
    article.claims.filter(order__gt=1_000_000).update(order=F("order") - 1_000_000 + by)


def claim_split(*, claim: Claim, by, at: int, expected_version: int | None) -> tuple[Claim, Claim]:
    """Split a claim in two at character ``at`` of its text; both parts need words.

    The first part keeps the row and its verdict history (each entry keeps the text it was given
    for); both parts are unreviewed again, since neither is the text that was judged.
    """
    with transaction.atomic():
        _lock_article(claim)
        lock_claim(claim, expected_version)
        head = claim.text[:at].rstrip()
        tail = claim.text[at:].lstrip()
        if not (0 < at < len(claim.text)) or not head or not tail:
            raise CorrectionRefused(
                gettext("Choose a split point inside the claim, with words on both sides.")
            )
        tail_start = claim.start + at + (len(claim.text[at:]) - len(tail))
        _touch(
            claim,
            by=by,
            expected_version=expected_version,
            end=claim.start + len(head),
            text=head,
            status=Claim.Status.UNREVIEWED,
        )
        _shift_orders(claim.article, after=claim.order, by=1)
        sourced = claim.attribution != Claim.Attribution.NONE
        second = Claim.objects.create(
            article=claim.article,
            order=claim.order + 1,
            paragraph=claim.paragraph,
            start=tail_start,
            end=tail_start + len(tail),
            text=tail,
            attribution=Claim.Attribution.INHERITED if sourced else Claim.Attribution.NONE,
            speaker=claim.speaker if sourced else None,
            speaker_text=claim.speaker_text if sourced else "",
            outlet=claim.outlet if sourced else None,
            inherited_from=(claim.inherited_from or claim) if sourced else None,
            corrected=True,
            corrected_by=by,
            corrected_at=claim.corrected_at,
            updated_by=by,
        )
    return claim, second


def claim_merge_next(*, claim: Claim, by, expected_version: int | None) -> Claim:
    """Merge a claim with the one after it in the same paragraph.

    The merged claim spans both (and what lies between); the second claim's verdicts, links and
    inheritors move to it, so no history is lost. It is unreviewed again.

    Only the first claim's version is checked (it is the one the editor's form carries): a verdict
    given on the second claim after the editor loaded the page is carried over like the older
    ones. The second claim's row is locked before anything moves, so a verdict or link either
    landed before (and moves) or waits and then finds the claim merged (ClaimGone): none is lost.
    """
    with transaction.atomic():
        _lock_article(claim)
        lock_claim(claim, expected_version)
        following = claim.article.claims.filter(order__gt=claim.order).order_by("order").first()
        if following is None or following.paragraph != claim.paragraph:
            raise CorrectionRefused(gettext("There is no next claim in the same paragraph to merge with."))
        lock_claim(following, delete=True)
        Verdict.objects.filter(claim=following).update(claim=claim)
        taken = set(claim.links.values_list("url", flat=True))
        following.links.filter(url__in=taken).delete()
        ReferenceLink.objects.filter(claim=following).update(claim=claim)
        Claim.objects.filter(inherited_from=following).update(inherited_from=claim)
        end = following.end
        following.delete()
        _touch(
            claim,
            by=by,
            expected_version=expected_version,
            end=end,
            text=claim.article.body[claim.start : end],
            status=Claim.Status.UNREVIEWED,
        )
        _shift_orders(claim.article, after=claim.order, by=-1)
    return claim
