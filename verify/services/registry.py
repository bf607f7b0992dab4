"""The source registry: the extractor's view of it, the resolver from names to rows, merges."""

from __future__ import annotations

from django.db import transaction

from verify import extraction
from verify.models import Claim, Source, SourceAlias
from verify.text import key_tokens, match_key


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
        self._resolver: SourceResolver | None = None

    @property
    def resolver(self) -> SourceResolver:
        if self._resolver is None:
            self._resolver = SourceResolver()
        return self._resolver


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return n > 0 and any(words[i : i + n] == part for i in range(len(words) - n + 1))


class SourceResolver:
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


def sources_merge(*, keep: Source, others: list[Source]) -> None:
    """Merge registry entries into ``keep``: their claims point to it and their names and
    aliases become its aliases, so the extractor keeps recognising every spelling."""
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
