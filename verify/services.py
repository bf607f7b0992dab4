"""Operations that span models or leave the process. Views, tasks, admin actions and management
commands all call these; none of them holds business logic of its own. No Celery imports here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext

from verify import extraction
from verify.extraction.matching import key_tokens, match_key
from verify.models import Article, Claim, Source, content_hash, normalise_text


class ArticleRejected(ValueError):
    """The text cannot become an article; the message says why, for the person who sent it."""


@dataclass(frozen=True, slots=True)
class Ingested:
    article: Article
    created: bool  # False: the same text was already there and nothing was written


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


def registry_from_db() -> extraction.Registry:
    """The registry as the newsroom edited it, in the extractor's terms."""
    entries = []
    for source in Source.objects.prefetch_related("aliases"):
        entries.append(
            extraction.SourceEntry(
                canonical=source.name,
                kind=source.kind,
                country=source.country,
                state_affiliated=source.state_affiliated,
                aliases=tuple(a.alias for a in source.aliases.all()),
            )
        )
    return extraction.Registry(tuple(entries))


class SourceContext:
    """The registry as the extractor sees it and the resolver that maps its names to rows, loaded
    once. One ingest builds its own; a bulk ingest passes one to every article, so the registry
    is read once per run instead of twice per article (speakers it creates on the way are kept
    in the resolver)."""

    def __init__(self) -> None:
        self.registry = registry_from_db()
        self._resolver: _SourceResolver | None = None

    @property
    def resolver(self) -> _SourceResolver:
        if self._resolver is None:
            self._resolver = _SourceResolver()
        return self._resolver


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return n > 0 and any(words[i : i + n] == part for i in range(len(words) - n + 1))


class _SourceResolver:
    """Maps the extractor's outlet names and speaker phrases to registry rows, creating speakers
    the registry does not know yet (editors merge or rename them later).

    Names are compared through the match key, so "क्रेमलिन के प्रवक्ता दिमित्री पेसकोव" finds the
    registry's Dmitry Peskov by his alias पेस्कोव; the phrase itself is kept as written.
    """

    def __init__(self) -> None:
        self.by_key: dict[str, Source] = {}
        self.people: list[tuple[tuple[str, ...], Source]] = []
        for source in Source.objects.prefetch_related("aliases"):
            for name in [source.name, *(a.alias for a in source.aliases.all())]:
                self.by_key.setdefault(match_key(name), source)
                if source.kind != Source.Kind.OUTLET:
                    self.people.append((key_tokens(name), source))
        # Longest alias first, so "Dmitry Peskov" wins over "Peskov".
        self.people.sort(key=lambda item: -len(item[0]))

    def outlet(self, name: str | None) -> Source | None:
        if not name:
            return None
        key = match_key(name)
        if key not in self.by_key:
            self.by_key[key], _ = Source.objects.get_or_create(
                name=name[:200], defaults={"kind": Source.Kind.OUTLET}
            )
        return self.by_key[key]

    def speaker(self, phrase: str | None) -> Source | None:
        if not phrase:
            return None
        words = key_tokens(phrase)
        for alias_words, source in self.people:
            if _contains(words, alias_words):
                return source
        key = match_key(phrase)
        if key not in self.by_key:
            source, _ = Source.objects.get_or_create(
                name=phrase.strip()[:200], defaults={"kind": Source.Kind.PERSON}
            )
            self.by_key[key] = source
            self.people.append((words, source))
        return self.by_key[key]


def _claim_rows(article: Article, found: extraction.Extraction, resolver: _SourceResolver) -> list[Claim]:
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
            speaker=resolver.speaker(c.speaker),
            speaker_text=(c.speaker or "")[:500],
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
    Claim.objects.bulk_update(changed, ["inherited_from"])


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
       a bulk caller passes one); no claims is a refusal.
    4. Write the article, its claims and their inheritance links together.
    """
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
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=(title.strip() or _title_from(found))[:500],
                body=found.text,
                language=found.language,
                source_url=source_url,
                published_on=published_on,
                ingested_by=by,
                content_hash=digest,
                removed=_removed_spans(found),
            )
            claims = Claim.objects.bulk_create(_claim_rows(article, found, sources.resolver))
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
    else is replaced by what the extractor finds now.
    """
    found = extraction.extract(article.body, lang=article.language, registry=registry_from_db())
    attribution_fields = [
        "paragraph",
        "attribution",
        "cue",
        "speaker",
        "speaker_text",
        "outlet",
        "hearsay",
        "speaker_unresolved",
        "caption",
    ]
    with transaction.atomic():
        old = list(article.claims.select_for_update())
        protected = (
            set(article.claims.filter(verdicts__isnull=False).values_list("id", flat=True))
            | set(article.claims.filter(links__isnull=False).values_list("id", flat=True))
            | {c.pk for c in old if c.corrected}
        )
        kept = [c for c in old if c.pk in protected]
        reusable = {(c.start, c.end): c for c in old if c.pk not in protected}
        rows: dict[int, Claim] = {}  # index in found.claims -> the row that stands for it
        for i, claim in enumerate(_claim_rows(article, found, _SourceResolver())):
            hit = next((k for k in kept if claim.start < k.end and k.start < claim.end), None)
            if hit is None:
                same = reusable.pop((claim.start, claim.end), None)
                if same is not None:
                    for field in attribution_fields:
                        setattr(same, field, getattr(claim, field))
                    claim = same
            rows[i] = hit or claim
        Claim.objects.filter(pk__in=[c.pk for c in reusable.values()]).delete()

        final = sorted({id(c): c for c in [*kept, *rows.values()]}.values(), key=lambda c: c.start)
        # Orders are unique per article: park the surviving rows out of the way, then renumber.
        article.claims.update(order=F("order") + 1_000_000)
        for i, claim in enumerate(final):
            claim.order = i
        Claim.objects.bulk_update([c for c in final if c.pk], ["order", *attribution_fields])
        Claim.objects.bulk_create([c for c in final if not c.pk])
        relinked = []
        for i, extracted in enumerate(found.claims):
            claim = rows[i]
            if claim.pk in protected:
                continue
            parent = rows[extracted.inherited_from] if extracted.inherited_from is not None else None
            claim.inherited_from = parent if parent is not claim else None
            relinked.append(claim)
        Claim.objects.bulk_update(relinked, ["inherited_from"])
        article.removed = _removed_spans(found)
        article.save(update_fields=["removed"])
    return len(final)


# --- Review: verdicts and editors' corrections -------------------------------------------------


class CorrectionRefused(ValueError):
    """An editor's correction that cannot be applied; the message says why."""


MAX_EVIDENCE_LINKS = 10


def parse_evidence_urls(raw: str) -> list[str]:
    """Evidence links as a reviewer pastes them: one per line or separated by spaces.

    Only http(s) URLs of at most 2,000 characters, at most ten per verdict; duplicates dropped.
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    validate = URLValidator(schemes=["http", "https"])
    urls: list[str] = []
    for url in raw.split():
        if len(url) > 2000:
            raise CorrectionRefused(
                gettext("A link is %(n)s characters long; the limit is 2,000.") % {"n": f"{len(url):,}"}
            )
        try:
            validate(url)
        except ValidationError:
            raise CorrectionRefused(
                gettext("“%(url)s” is not an http(s) link.") % {"url": url[:80]}
            ) from None
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
    baseline the link-rot check compares with. Raises StaleClaim when the claim moved on."""
    from verify import fetching

    urls = parse_evidence_urls(evidence)
    with transaction.atomic():
        verdict = claim.record_verdict(
            status=status,
            reviewer=reviewer,
            note=note.strip(),
            evidence_urls=urls,
            expected_version=expected_version,
        )
        new_links = (
            fetching.links_add(article=claim.article, claim=claim, urls=urls, by=reviewer) if urls else []
        )
        fetching.set_baselines(claim)
    return Recorded(verdict, new_links)


def _touch(claim: Claim, *, by, expected_version: int | None, **fields) -> None:
    """Apply an editor's change to one claim if it is still at the version the editor saw."""
    from django.utils import timezone

    from verify.models import StaleClaim

    now = timezone.now()
    rows = Claim.objects.filter(pk=claim.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    changed = rows.update(
        **fields,
        corrected=True,
        corrected_by=by,
        corrected_at=now,
        updated_by=by,
        updated_at=now,
        version=F("version") + 1,
    )
    if not changed:
        raise StaleClaim(Claim.objects.get(pk=claim.pk))
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

    ``new_speaker`` adds a person to the registry (or finds the one with that name).
    "inherited" takes its source from the claim before it in the same paragraph.
    """
    if attribution not in Claim.Attribution.values:
        raise CorrectionRefused(gettext("Unknown attribution kind %(kind)r.") % {"kind": attribution})
    if outlet is not None and outlet.kind != Source.Kind.OUTLET:
        raise CorrectionRefused(gettext("%(name)s is not an outlet.") % {"name": outlet})
    with transaction.atomic():
        if new_speaker.strip():
            speaker, _ = Source.objects.get_or_create(
                name=new_speaker.strip()[:200], defaults={"kind": Source.Kind.PERSON}
            )
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
        speaker_text = (
            claim.speaker_text
            if speaker is not None and speaker == claim.speaker
            else (speaker.name if speaker else "")
        )
        _touch(
            claim,
            by=by,
            expected_version=expected_version,
            attribution=attribution,
            speaker=speaker,
            speaker_text=speaker_text,
            outlet=outlet,
            inherited_from=parent,
            speaker_unresolved=False,
        )
    return claim


def claim_set_excluded(*, claim: Claim, by, excluded: bool, expected_version: int | None) -> Claim:
    """Mark a claim "not a claim" (or take that back); it leaves review and progress."""
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
    head = claim.text[:at].rstrip()
    tail = claim.text[at:].lstrip()
    if not (0 < at < len(claim.text)) or not head or not tail:
        raise CorrectionRefused(gettext("Choose a split point inside the claim, with words on both sides."))
    tail_start = claim.start + at + (len(claim.text[at:]) - len(tail))
    with transaction.atomic():
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
    """
    from verify.models import ReferenceLink, Verdict

    with transaction.atomic():
        following = claim.article.claims.filter(order__gt=claim.order).order_by("order").first()
        if following is None or following.paragraph != claim.paragraph:
            raise CorrectionRefused(gettext("There is no next claim in the same paragraph to merge with."))
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


def link_set_original(*, link, original: bool) -> None:
    """Mark the link where the claim first appeared; a claim has at most one."""
    from verify.models import ReferenceLink

    with transaction.atomic():
        if original:
            ReferenceLink.objects.filter(claim_id=link.claim_id, is_original=True).update(is_original=False)
        ReferenceLink.objects.filter(pk=link.pk).update(is_original=original)


# --- Registry ------------------------------------------------------------------------------------


def sources_merge(*, keep: Source, others: list[Source]) -> None:
    """Merge registry entries into ``keep``: their claims point to it and their names and
    aliases become its aliases, so the extractor keeps recognising every spelling."""
    from verify.models import SourceAlias

    ids = [o.pk for o in others if o.pk != keep.pk]
    with transaction.atomic():
        Claim.objects.filter(speaker_id__in=ids).update(speaker=keep)
        Claim.objects.filter(outlet_id__in=ids).update(outlet=keep)
        known = {keep.name, *keep.aliases.values_list("alias", flat=True)}
        names = [o.name for o in others if o.pk in ids]
        names += list(SourceAlias.objects.filter(source_id__in=ids).values_list("alias", flat=True))
        Source.objects.filter(pk__in=ids).delete()
        fresh = list(dict.fromkeys(n for n in names if n not in known))
        SourceAlias.objects.bulk_create([SourceAlias(source=keep, alias=n[:200]) for n in fresh])
