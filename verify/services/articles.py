"""Articles: the one text check and normaliser, ingest and re-extraction.

Views, tasks, admin actions and management commands call these; nothing here imports views,
forms or Celery.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext

from verify import extraction
from verify.models import Article, Claim, content_hash, normalise_text
from verify.services.registry import SourceContext, SourceResolver
from verify.services.urls import check_url


class ArticleRejected(ValueError):
    """The text cannot become an article; the message says why, for the person who sent it."""


@dataclass(frozen=True, slots=True)
class Ingested:
    article: Article
    created: bool  # False: the same text was already there and nothing was written


# Claims written per INSERT (and per UPDATE of their inheritance links).
CLAIM_BATCH = 500

# Control characters that never occur in an article (tab, newline and carriage return do).
_BINARY_CONTROLS = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v") | {"\x7f"}


def decode_article_bytes(data: bytes, *, name: str = "the file") -> str:
    """Decode an uploaded or read article: UTF-8 (a BOM is allowed), never guessed."""
    if b"\x00" in data[:8192]:
        raise ArticleRejected(
            gettext("%(name)s looks binary (it contains NUL bytes); send UTF-8 text.") % {"name": name}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleRejected(
            gettext(
                "%(name)s is not UTF-8 text (invalid byte 0x%(byte)02x at byte %(pos)d); save it as UTF-8 and try again."
            )
            % {"name": name, "byte": data[exc.start], "pos": exc.start}
        ) from None


def check_article_text(text: str) -> str:
    """Normalise a candidate body and refuse what cannot be an article, saying the limit."""
    body = normalise_text(text)
    limit = settings.VERIFY_MAX_ARTICLE_CHARS
    if not body.strip():
        raise ArticleRejected(gettext("The article is empty: paste or upload its text."))
    if len(body) > limit:
        raise ArticleRejected(
            gettext("The article has %(n)s characters; the limit is %(limit)s characters.")
            % {"n": f"{len(body):,}", "limit": f"{limit:,}"}
        )
    controls = sum(1 for ch in body if ch in _BINARY_CONTROLS)
    if controls:
        raise ArticleRejected(
            gettext("The text contains %(n)d control character(s) that text never has; is it a binary file?")
            % {"n": controls}
        )
    return body


def check_claim_count(found: extraction.Extraction) -> None:
    """Refuse an extraction with more claims than an article may have, saying the limit."""
    limit = settings.VERIFY_MAX_CLAIMS_PER_ARTICLE
    if len(found.claims) > limit:
        raise ArticleRejected(
            gettext(
                "The article has %(n)s claims; the limit is %(limit)s claims per article"
                " (VERIFY_MAX_CLAIMS_PER_ARTICLE)."
            )
            % {"n": f"{len(found.claims):,}", "limit": f"{limit:,}"}
        )


def _claim_rows(article: Article, found: extraction.Extraction, resolver: SourceResolver) -> list[Claim]:
    return [
        Claim(
            article=article,
            order=i,
            paragraph=c.paragraph,
            start=c.start,
            end=c.end,
            text=c.text,
            attribution=c.attribution,
            cue=(c.cue or "")[:200],
            speaker=resolver.speaker(c.speaker, c.speaker_kind),
            speaker_text=(c.speaker or "")[:500],
            speaker_role=(c.speaker_role or "")[:200],
            speaker_kind=c.speaker_kind or "",
            outlet=resolver.outlet(c.outlet),
            hearsay=c.hearsay,
            speaker_unresolved=c.speaker_unresolved,
            caption=c.caption,
        )
        for i, c in enumerate(found.claims)
    ]


def _link_inheritance(claims: list[Claim], found: extraction.Extraction) -> None:
    changed = []
    for claim, extracted in zip(claims, found.claims, strict=True):
        if extracted.inherited_from is not None:
            claim.inherited_from = claims[extracted.inherited_from]
            changed.append(claim)
    Claim.objects.bulk_update(changed, ["inherited_from"], batch_size=CLAIM_BATCH)


def _removed_spans(found: extraction.Extraction) -> list[dict]:
    return [{"start": r.start, "end": r.end, "reason": r.reason} for r in found.removed]


def article_ingest(
    *,
    text: str,
    title: str,
    by=None,
    language: str | None = None,
    source_url: str = "",
    published_on: dt.date | None = None,
    sources: SourceContext | None = None,
) -> Ingested:
    """Store an article and its extracted claims in one transaction.

    1. Normalise the text (NFC, ``\\n`` line ends) and refuse empty, oversized or binary text.
    2. The same text already stored (by content hash) is returned as is: nothing is written.
    3. Extract claims with the registry as the newsroom edited it (``sources``, loaded now unless
       a bulk caller passes one); no claims, or more than ``VERIFY_MAX_CLAIMS_PER_ARTICLE``, is a
       refusal.
    4. Map speakers and outlets to registry rows, creating the speakers it does not know yet
       (each a short write of its own; a speaker stays even if the article then fails).
    5. Write the article, its claims (in batches) and their inheritance links together. All the
       work above is done before this transaction, so it holds the database (SQLite's one write
       lock) only for the inserts.
    """
    source_url = check_url(source_url, error=ArticleRejected)  # the one URL check (services/urls.py)
    body = check_article_text(text)
    digest = content_hash(body)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing:
        return Ingested(existing, created=False)
    sources = sources or SourceContext()
    found = extraction.extract(body, lang=language or None, registry=sources.registry)
    if not found.claims:
        raise ArticleRejected(
            gettext("No claims were found in this text: it holds only boilerplate or blank lines.")
        )
    check_claim_count(found)
    article = Article(
        title=(title.strip() or _title_from(found))[:500],
        body=found.text,
        language=found.language,
        source_url=source_url,
        published_on=published_on,
        ingested_by=by,
        content_hash=digest,
        removed=_removed_spans(found),
        wire_credit=sources.resolver.outlet(found.wire_credit),
    )
    rows = _claim_rows(article, found, sources.resolver)
    try:
        with transaction.atomic():
            article.save(force_insert=True)
            claims = Claim.objects.bulk_create(rows, batch_size=CLAIM_BATCH)
            _link_inheritance(claims, found)
    except IntegrityError:
        # Someone ingested the same text between our check and our insert: theirs stands.
        existing = Article.objects.filter(content_hash=digest).first()
        if existing is None:
            raise
        return Ingested(existing, created=False)
    return Ingested(article, created=True)


def _title_from(found: extraction.Extraction) -> str:
    first = found.claims[0].text if found.claims else found.text.strip()
    return first if len(first) <= 80 else first[:79].rstrip() + "…"


def article_reextract(*, article: Article) -> int:
    """Run the extractor again over a stored article; returns the number of claims afterwards.

    Reviewers' work survives: a claim with verdicts, evidence links or an editor's correction is
    kept as it is, and new claims overlapping it are dropped. A claim whose span the extractor
    finds again keeps its row (and so its address) and takes the new attribution. Everything
    else is replaced by what the extractor finds now. More claims than
    ``VERIFY_MAX_CLAIMS_PER_ARTICLE`` is a refusal (``ArticleRejected``) and changes nothing.
    Extraction and the mapping of names to registry rows are done before the transaction.
    """
    sources = SourceContext()
    found = extraction.extract(article.body, lang=article.language, registry=sources.registry)
    check_claim_count(found)
    resolver = sources.resolver
    candidates = _claim_rows(article, found, resolver)
    attribution_fields = [
        "paragraph",
        "attribution",
        "cue",
        "speaker",
        "speaker_text",
        "speaker_role",
        "speaker_kind",
        "outlet",
        "hearsay",
        "speaker_unresolved",
        "caption",
    ]
    attnames = [Claim._meta.get_field(f).attname for f in attribution_fields]  # speaker_id, not a fetch
    with transaction.atomic():
        old = list(article.claims.select_for_update())
        parents = {c.pk: c.inherited_from_id for c in old}
        protected = (
            set(article.claims.filter(verdicts__isnull=False).values_list("id", flat=True))
            | set(article.claims.filter(links__isnull=False).values_list("id", flat=True))
            | {c.pk for c in old if c.corrected}
        )
        kept = [c for c in old if c.pk in protected]
        reusable = {(c.start, c.end): c for c in old if c.pk not in protected}
        rows: dict[int, Claim] = {}  # index in found.claims -> the row that stands for it
        retagged = []  # rows found again whose attribution changed: only these are rewritten
        for i, claim in enumerate(candidates):
            hit = next((k for k in kept if claim.start < k.end and k.start < claim.end), None)
            if hit is None:
                same = reusable.pop((claim.start, claim.end), None)
                if same is not None:
                    if any(getattr(same, a) != getattr(claim, a) for a in attnames):
                        for field in attribution_fields:
                            setattr(same, field, getattr(claim, field))
                        retagged.append(same)
                    claim = same
            rows[i] = hit or claim
        Claim.objects.filter(pk__in=[c.pk for c in reusable.values()]).delete()

        final = sorted({id(c): c for c in [*kept, *rows.values()]}.values(), key=lambda c: c.start)
        # Orders are unique per article: park the surviving rows out of the way, then renumber.
        article.claims.update(order=F("order") + 1_000_000)
        for i, claim in enumerate(final):
            claim.order = i
        Claim.objects.bulk_update([c for c in final if c.pk], ["order"], batch_size=CLAIM_BATCH)
        Claim.objects.bulk_update(retagged, attribution_fields, batch_size=CLAIM_BATCH)
        Claim.objects.bulk_create([c for c in final if not c.pk], batch_size=CLAIM_BATCH)
        relinked = []
        for i, extracted in enumerate(found.claims):
            claim = rows[i]
            if claim.pk in protected:
                continue
            parent = rows[extracted.inherited_from] if extracted.inherited_from is not None else None
            claim.inherited_from = parent if parent is not claim else None
            if claim.inherited_from_id != parents.get(claim.pk):  # new rows were made without one
                relinked.append(claim)
        Claim.objects.bulk_update(relinked, ["inherited_from"], batch_size=CLAIM_BATCH)
        article.removed = _removed_spans(found)
        article.wire_credit = resolver.outlet(found.wire_credit)
        article.save(update_fields=["removed", "wire_credit"])
    return len(final)
