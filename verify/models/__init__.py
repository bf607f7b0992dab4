"""verify's data: articles, the claims extracted from them, verdicts, the source registry, links.

One module per part (``sources``, ``articles``, ``links``); everything is importable from
``verify.models`` as before.
"""

from .articles import (
    OWN_VOICE,
    Article,
    ArticleLanguage,
    ArticleQuerySet,
    Claim,
    ClaimAttribution,
    ClaimGone,
    ClaimQuerySet,
    ClaimStatus,
    ReviewProgress,
    SpeakerKind,
    StaleClaim,
    Verdict,
    VerdictStatus,
)
from .links import HostSlot, LinkState, ReferenceLink, UrlIngest, UrlIngestState
from .sources import Source, SourceAlias, SourceKind
from .text import content_hash, normalise_text

__all__ = [
    "OWN_VOICE",
    "Article",
    "ArticleLanguage",
    "ArticleQuerySet",
    "Claim",
    "ClaimAttribution",
    "ClaimGone",
    "ClaimQuerySet",
    "ClaimStatus",
    "HostSlot",
    "LinkState",
    "ReferenceLink",
    "ReviewProgress",
    "Source",
    "SourceAlias",
    "SourceKind",
    "SpeakerKind",
    "StaleClaim",
    "UrlIngest",
    "UrlIngestState",
    "Verdict",
    "VerdictStatus",
    "content_hash",
    "normalise_text",
]
