"""schema.org ``ClaimReview`` JSON-LD for reviewed claims (Google Fact Check markup).

The shape (documented with the rating scale in ``docs/export.md``)::

    ClaimReview
      claimReviewed   the claim text, at most 300 characters (cut at a word, "…")
      itemReviewed    Claim: author (speaker as Person / Organization, else the outlet, else
                      for the article's own voice its wire credit; none for an anonymous
                      source), publisher (the outlet, else the wire credit, that carried a
                      speaker's words), appearance
                      (the article), firstAppearance (the link marked original), datePublished;
                      a stored URL that verify.services.urls would refuse is never published
      reviewRating    Rating 1–3: disputed 1, unverifiable 2, corroborated 3 (+ alternateName)
      author          Organization VERIFY_NEWSROOM_NAME / VERIFY_NEWSROOM_URL
      datePublished   the latest verdict's time
      url             the claim in verify (absolute)
      inLanguage      the article's language

Dump with :func:`dumps` (``ensure_ascii=False``) to keep Hindi text readable.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from verify.export import public_url
from verify.models import Article, Claim, ReferenceLink, Source, SpeakerKind
from verify.services.urls import publishable_url

__all__ = [
    "MAX_CLAIM_CHARS",
    "RATINGS",
    "NotReviewed",
    "article_claim_reviews",
    "claim_review",
    "dumps",
    "script_tag",
    "shorten",
]

#: Longest ``claimReviewed`` text, ellipsis included.
MAX_CLAIM_CHARS = 300

#: status -> (ratingValue, alternateName) on a 1 (worst) to 3 (best) scale.
RATINGS: dict[str, tuple[int, str]] = {
    Claim.Status.CORROBORATED: (3, "Corroborated"),
    Claim.Status.UNVERIFIABLE: (2, "Unverifiable"),
    Claim.Status.DISPUTED: (1, "Disputed"),
}
BEST_RATING = 3
WORST_RATING = 1

_SPACES = re.compile(r"\s+")
# Punctuation that should not dangle before the ellipsis.
_TRAILING = ",;:–—-(\"'“‘"


class NotReviewed(ValueError):
    """The claim has no verdict standing (unreviewed, or marked "not a claim")."""


def shorten(text: str, limit: int = MAX_CLAIM_CHARS) -> str:
    """``text`` with whitespace runs made single spaces, cut to at most ``limit`` characters.

    A longer text is cut at the last word boundary that fits and ends in "…" (a single word
    longer than the limit is cut inside it). Any script works: words are separated by spaces
    in Hindi too.
    """
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    room = flat[: limit - 1]  # keep one character for the ellipsis
    cut = room.rfind(" ")
    if cut > limit // 3:
        room = room[:cut]
    return room.rstrip().rstrip(_TRAILING).rstrip() + "…"


def _party(source: Source) -> dict[str, str]:
    kind = "Person" if source.kind == Source.Kind.PERSON else "Organization"
    return {"@type": kind, "name": source.name}


def _latest_verdict_at(claim: Claim):
    """When the latest verdict was given (the claim's last change if it has none), from
    ``Claim.objects.with_latest_verdict()``'s annotation: read from the claim when it came with
    it (article_claim_reviews), else one query."""
    if hasattr(claim, "latest_at"):
        latest_at = claim.latest_at
    else:
        latest_at = (
            Claim.objects.filter(pk=claim.pk)
            .with_latest_verdict()
            .values_list("latest_at", flat=True)
            .first()
        )
    return latest_at or claim.updated_at


def _original_link(claim: Claim) -> ReferenceLink | None:
    prefetched = getattr(claim, "original_links", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return claim.links.filter(is_original=True).order_by("added_at", "id").first()


def _unregistered_speaker(claim: Claim) -> dict[str, str]:
    """A named speaker the registry does not hold, as the article names them."""
    kind = "Organization" if claim.speaker_kind == SpeakerKind.ORGANISATION else "Person"
    return {"@type": kind, "name": claim.speaker_text.strip()}


def _author_and_publisher(claim: Claim, credit: Source | None) -> tuple[Source | dict | None, Source | None]:
    """Who made the claim (a registry source, a named speaker's dict, or None) and which outlet
    carried their words: the claim's own outlet, else the article's wire credit (the dateline's
    agency). A claim in the article's own voice is the agency's own: the credit is its author."""
    speaker, outlet = claim.speaker, claim.outlet
    carrier = outlet or credit
    if claim.speaker_kind == SpeakerKind.ANONYMOUS:
        # An anonymous source ("an official said") is no Person or Organization schema.org
        # could name; Google's ClaimReview guidance asks for the author only when known, so
        # itemReviewed.author is omitted, and the outlet that carried the words is the publisher.
        return None, carrier
    if speaker is not None:
        return speaker, carrier if carrier is not None and carrier.pk != speaker.pk else None
    if outlet is not None:
        return outlet, None
    if claim.speaker_text.strip() and not claim.speaker_unresolved:
        return _unregistered_speaker(claim), credit
    if claim.attribution == Claim.Attribution.NONE and credit is not None:
        return credit, None
    return None, None


def _item_reviewed(claim: Claim, article: Article, request: HttpRequest | None) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim"}
    author, publisher = _author_and_publisher(claim, article.wire_credit)
    if author is not None:
        item["author"] = _party(author) if isinstance(author, Source) else author
    if publisher is not None:
        item["publisher"] = _party(publisher)
    appearance: dict[str, Any] = {
        "@type": "CreativeWork",
        # A stored URL the URL check refuses today (javascript:, a NUL …) is never published.
        "url": publishable_url(article.source_url) or public_url(article.get_absolute_url(), request),
        "headline": article.title,
    }
    if article.published_on:
        appearance["datePublished"] = article.published_on.isoformat()
        item["datePublished"] = article.published_on.isoformat()
    item["appearance"] = appearance
    original = _original_link(claim)
    if original is not None and (url := publishable_url(original.url)):
        first: dict[str, Any] = {"@type": "CreativeWork", "url": url}
        if original.title:
            first["headline"] = original.title
        item["firstAppearance"] = first
    return item


def claim_review(claim: Claim, *, request: HttpRequest | None = None) -> dict[str, Any]:
    """The ``ClaimReview`` of a reviewed claim as a JSON-serialisable dict.

    Raises :class:`NotReviewed` for an unreviewed or excluded claim. Links are absolute
    (``VERIFY_PUBLIC_URL``, or the request's address when that setting is empty). A claim
    from :func:`article_claim_reviews`'s query costs no further queries; any other claim a few.
    """
    if claim.status not in RATINGS or claim.excluded:
        raise NotReviewed(f"claim {claim.pk} has no verdict standing (status {claim.status!r})")
    article = claim.article
    value, label = RATINGS[claim.status]
    reviewed_at = timezone.localtime(_latest_verdict_at(claim))
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": public_url(claim.get_absolute_url(), request),
        "claimReviewed": shorten(claim.text),
        "itemReviewed": _item_reviewed(claim, article, request),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": label,
        },
        "author": {
            "@type": "Organization",
            "name": settings.VERIFY_NEWSROOM_NAME,
            "url": settings.VERIFY_NEWSROOM_URL,
        },
        "datePublished": reviewed_at.isoformat(timespec="seconds"),
        "inLanguage": article.language,
    }


def article_claim_reviews(article: Article, *, request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """``ClaimReview`` dicts for the article's reviewed claims (not excluded), in claim order.

    Two queries whatever the number of claims: the claims with their article (and its wire
    credit), speaker, outlet and latest verdict time, and the links marked original.
    """
    claims = (
        Claim.objects.filter(article=article, excluded=False)
        .reviewed()
        .select_related("article__wire_credit", "speaker", "outlet")
        .with_latest_verdict()
        .prefetch_related(
            Prefetch(
                "links",
                queryset=ReferenceLink.objects.filter(is_original=True).order_by("added_at", "id"),
                to_attr="original_links",
            )
        )
        .order_by("order")
    )
    return [claim_review(claim, request=request) for claim in claims]


def dumps(data: Any, *, indent: int | None = None) -> str:
    """JSON text of ClaimReview data, non-ASCII kept as is (Hindi stays readable)."""
    return json.dumps(data, ensure_ascii=False, indent=indent)


_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def script_tag(data: Any) -> SafeString:
    """``<script type="application/ld+json">…</script>`` for a page's ``<head>``; ``<``, ``>``
    and ``&`` are escaped inside the JSON so claim text can never close the tag."""
    return mark_safe(  # the JSON's <, > and & are escaped
        '<script type="application/ld+json">' + dumps(data).translate(_SCRIPT_ESCAPES) + "</script>"
    )
