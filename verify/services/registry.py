"""The source registry: the extractor's view of it, the resolver from names to rows, merges."""

from __future__ import annotations

import unicodedata

import regex
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rapidfuzz.distance import Levenshtein

from verify import extraction
from verify.evidence.names import name_key, similar, skeleton
from verify.extraction.registry import default_registry
from verify.models import Article, Claim, Source, SourceAlias, SpeakerKind
from verify.text import key_tokens, match_key

#: The longest name or alias the registry stores (the columns' max_length).
MAX_NAME_CHARS = 200


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
        self.names = NameIndex()
        for source in Source.objects.prefetch_related("aliases"):
            for name in [source.name, *(a.alias for a in source.aliases.all())]:
                self.by_key.setdefault(match_key(name), source)
                if source.kind != Source.Kind.OUTLET:
                    self.people.append((key_tokens(name), source))
                    self.names.add(name, source)
        # Longest alias first, so "Dmitry Peskov" wins over "Peskov".
        self.people.sort(key=lambda item: -len(item[0]))

    def outlet(self, name: str | None) -> Source | None:
        if not name:
            return None
        key = match_key(name)
        if key not in self.by_key:
            self.by_key[key], _created = Source.objects.get_or_create(
                name=name[:MAX_NAME_CHARS], defaults={"kind": Source.Kind.OUTLET}
            )
        return self.by_key[key]

    def speaker(self, phrase: str | None, kind: str | None = None) -> Source | None:
        """The registry row of the speaker ``phrase`` names, created if the registry does not
        know it yet (as an organisation when ``kind`` is "organisation"). An anonymous source
        ("एक अधिकारी", "people familiar with the matter") is never a row: None.

        Before creating one, the speaker is looked for across scripts and spellings, so one
        person is one row however the stories write them (:class:`NameIndex`): first the same
        full name in any script or spelling, a title before it or not ("दिमित्री पेस्कोव" =
        "Dmitri Peskov"); then a name or alias the phrase contains, by the match key; then a
        surname alone, when one person of the registry has it ("पेसकोव")."""
        if not phrase or kind == SpeakerKind.ANONYMOUS:
            return None
        found = self.names.find(phrase, kind, full_only=True)  # before a surname alone's row
        if found is not None:
            return found
        words = key_tokens(phrase)
        for alias_words, source in self.people:
            if _contains(words, alias_words):
                return source
        key = match_key(phrase)
        if key not in self.by_key:
            found = self.names.find(phrase, kind)
            if found is not None:
                return found
            source, _created = Source.objects.get_or_create(
                name=phrase.strip()[:MAX_NAME_CHARS],
                defaults={
                    "kind": Source.Kind.ORGANISATION
                    if kind == SpeakerKind.ORGANISATION
                    else Source.Kind.PERSON
                },
            )
            self.by_key[key] = source
            self.people.append((words, source))
            self.names.add(source.name, source)
        return self.by_key[key]


def sources_merge(*, keep: Source, others: list[Source]) -> None:
    """Merge registry entries into ``keep``: their claims point to it and their names and
    aliases become its aliases, so the extractor keeps recognising every spelling. An outlet
    and a speaker are refused (:class:`RegistryRefused`, nothing written)."""
    check_kinds_mergeable(keep, others)
    ids = [o.pk for o in others if o.pk != keep.pk]
    with transaction.atomic():
        Claim.objects.filter(speaker_id__in=ids).update(speaker=keep)
        Claim.objects.filter(outlet_id__in=ids).update(outlet=keep)
        known = {keep.name, *keep.aliases.values_list("alias", flat=True)}
        names = [o.name for o in others if o.pk in ids]
        names += list(SourceAlias.objects.filter(source_id__in=ids).values_list("alias", flat=True))
        Source.objects.filter(pk__in=ids).delete()
        fresh = list(dict.fromkeys(n for n in names if n not in known))
        SourceAlias.objects.bulk_create([SourceAlias(source=keep, alias=n[:MAX_NAME_CHARS]) for n in fresh])


# --- Names across scripts -----------------------------------------------------------------------

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def name_keys(name: str) -> tuple[str, ...]:
    """The cross-script keys of a name's words (:func:`verify.evidence.names.name_key`), read
    from the name as written (NFC): "दिमित्री पेस्कोव" and "Dmitry Peskov" give dimitri/dmitri, peskov."""
    keys = (name_key(word) for word in _WORD.findall(unicodedata.normalize("NFC", name)))
    return tuple(k for k in keys if k)


def _alike(a: str, b: str) -> bool:
    """Two word keys read as the same word: the evidence matcher's rule (equal skeletons, then
    equal or one or two edits apart)."""
    return a == b or (skeleton(a) == skeleton(b) and similar(a, b))


def _loosely_alike(a: str, b: str) -> bool:
    """Same first letter, three letters or more, one edit apart: "Singh" / सिंह (sing / sinh),
    which the strict rule keeps apart. Only ever allowed for one word of a longer name."""
    return len(a) >= 3 and len(b) >= 3 and a[0] == b[0] and Levenshtein.distance(a, b, score_cutoff=1) <= 1


def names_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names of two words or more (as :func:`name_keys`) are one name. The shorter
    is read against the end of the longer, so a title before a name does not block the match
    ("कृषि मंत्री शिवराज सिंह चौहान" / "Shivraj Singh Chouhan"); the surnames must be alike,
    the other words too, except that a name of three words or more may have one word only
    loosely alike. One word is a surname alone: see :meth:`NameIndex.find`."""
    short, long = sorted((a, b), key=len)
    if len(short) < 2:
        return False
    tail = long[-len(short) :]
    if not _alike(short[-1], tail[-1]):
        return False
    loose = 0
    for x, y in zip(short[:-1], tail[:-1], strict=True):
        if _alike(x, y):
            continue
        if not _loosely_alike(x, y):
            return False
        loose += 1
    return loose == 0 or (loose == 1 and len(short) >= 3)


class NameIndex:
    """The speakers of the registry by the skeleton of their surname (the last word of each name
    and alias), for matching a name across scripts and spellings without a pass over all rows."""

    def __init__(self) -> None:
        self.by_surname: dict[str, list[tuple[tuple[str, ...], Source]]] = {}

    def add(self, name: str, source: Source) -> None:
        keys = name_keys(name)
        if keys:
            self.by_surname.setdefault(skeleton(keys[-1]), []).append((keys, source))

    def candidates(self, name: str, *, surnames: bool = True, full_only: bool = False) -> list[Source]:
        """Every indexed source one of whose names is ``name``: the same name of two words or
        more (:func:`names_match`); unless ``full_only``, the same single word too, and
        (``surnames``) a one-word name read as a person's surname, either way round."""
        keys = name_keys(name)
        found: dict[int, Source] = {}
        for other, source in self.by_surname.get(skeleton(keys[-1]), []) if keys else []:
            if len(keys) > 1 and len(other) > 1:
                hit = names_match(keys, other)
            elif full_only:
                hit = False
            elif len(keys) == 1 and len(other) == 1:
                hit = _alike(keys[0], other[0])
            else:
                hit = surnames and source.kind == Source.Kind.PERSON and _alike(keys[-1], other[-1])
            if hit:
                found.setdefault(source.pk, source)
        return list(found.values())

    def find(self, name: str, kind: str | None = None, *, full_only: bool = False) -> Source | None:
        """The one source ``name`` names across scripts, or None when none or several match (a
        surname shared by two people is nobody's). A phrase of several words is matched with
        names of several words only (a row holding a surname alone is not a full name); an
        organisation's one word is never read as a person's surname."""
        keys = name_keys(name)
        surnames = len(keys) == 1 and kind != Source.Kind.ORGANISATION
        matches = self.candidates(name, surnames=surnames, full_only=full_only)
        return matches[0] if len(matches) == 1 else None


def possible_duplicates(source: Source) -> list[Source]:
    """Other speakers of the same kind whose names match one of ``source``'s across scripts (the
    resolver's rule, surnames alone included), for an editor to merge: one query."""
    if source.kind == Source.Kind.OUTLET:
        return []
    index = NameIndex()
    for other in Source.objects.filter(kind=source.kind).exclude(pk=source.pk).prefetch_related("aliases"):
        for name in [other.name, *(a.alias for a in other.aliases.all())]:
            index.add(name, other)
    found: dict[int, Source] = {}
    for name in [source.name, *source.aliases.values_list("alias", flat=True)]:
        for other in index.candidates(name, surnames=source.kind == Source.Kind.PERSON):
            found.setdefault(other.pk, other)
    return sorted(found.values(), key=lambda s: s.name)


# --- Editors' changes ---------------------------------------------------------------------------


class RegistryRefused(ValueError):
    """An editor's change to the registry that is refused, with the reason to show; nothing was
    written."""


def _clean_name(value: str, what: str) -> str:
    """``value`` stripped and NFC, refused when empty or over :data:`MAX_NAME_CHARS`."""
    value = unicodedata.normalize("NFC", value or "").strip()
    if not value:
        raise RegistryRefused(_("The %(what)s is empty.") % {"what": what})
    if len(value) > MAX_NAME_CHARS:
        raise RegistryRefused(
            _("The %(what)s is %(n)s characters long; the limit is %(limit)s.")
            % {"what": what, "n": f"{len(value):,}", "limit": MAX_NAME_CHARS}
        )
    return value


def _clean_country(value: str) -> str:
    value = (value or "").strip().upper()
    if value and not (len(value) == 2 and value.isascii() and value.isalpha()):
        raise RegistryRefused(_("The country is a two-letter ISO code (RU, IN, US) or empty."))
    return value


def _clean_kind(value: str) -> str:
    if value not in Source.Kind.values:
        raise RegistryRefused(_("Choose a kind: outlet, person or organisation."))
    return value


def _spelled_by(name: str, *, kind: str, exclude: Source | None = None) -> Source | None:
    """The source of ``kind`` that already has ``name`` as its name or an alias, compared by
    the match key (so "AFP" and "afp", पेस्कोव and पेसकोव are one spelling). One query: the
    match key is not a column, and an editor's change is rare next to the rows it reads."""
    key = match_key(name)
    sources = Source.objects.filter(kind=kind).prefetch_related("aliases")
    if exclude is not None:
        sources = sources.exclude(pk=exclude.pk)
    for source in sources:
        if any(match_key(n) == key for n in [source.name, *(a.alias for a in source.aliases.all())]):
            return source
    return None


def _check_name_free(name: str, kind: str, source: Source | None = None) -> None:
    clash = Source.objects.filter(name__iexact=name).exclude(pk=getattr(source, "pk", None)).first()
    clash = clash or _spelled_by(name, kind=kind, exclude=source)
    if clash is not None:
        raise RegistryRefused(
            _("“%(name)s” is already the name or an alias of “%(other)s”: open it, or merge the two.")
            % {"name": name, "other": clash.name}
        )


def source_create(*, name: str, kind: str, country: str = "", state_affiliated: bool = False) -> Source:
    """A new registry entry; refused (nothing written) when the name is empty, too long, or
    already a name or alias of a source of that kind."""
    name = _clean_name(name, _("name"))
    kind = _clean_kind(kind)
    country = _clean_country(country)
    _check_name_free(name, kind)
    try:
        with transaction.atomic():
            return Source.objects.create(
                name=name, kind=kind, country=country, state_affiliated=bool(state_affiliated)
            )
    except IntegrityError:  # created by someone else since the check
        raise RegistryRefused(_("“%(name)s” is already in the registry.") % {"name": name}) from None


def source_update(*, source: Source, name: str, kind: str, country: str, state_affiliated: bool) -> Source:
    """Change an entry's fields, with :func:`source_create`'s checks. The old name is kept as
    an alias, so stories that wrote it keep finding the source."""
    name = _clean_name(name, _("name"))
    kind = _clean_kind(kind)
    country = _clean_country(country)
    old = source.name
    if name != old and old in _data_file_names():
        raise RegistryRefused(
            _(
                "“%(name)s” comes from the registry's data file, which refers to it by this name: add a spelling instead."
            )
            % {"name": old}
        )
    if name != old or kind != source.kind:
        _check_name_free(name, kind, source)
    try:
        with transaction.atomic():
            Source.objects.filter(pk=source.pk).update(
                name=name, kind=kind, country=country, state_affiliated=bool(state_affiliated)
            )
            if match_key(name) != match_key(old):
                SourceAlias.objects.get_or_create(source=source, alias=old)
            SourceAlias.objects.filter(source=source, alias=name).delete()
    except IntegrityError:
        raise RegistryRefused(_("“%(name)s” is already in the registry.") % {"name": name}) from None
    source.refresh_from_db()
    return source


def alias_add(*, source: Source, alias: str) -> SourceAlias:
    """Another spelling of ``source``; the next extraction reads it (the registry is read from
    the database on every ingest). Refused when empty, too long, already one of this source's
    spellings, or used by another source of the same kind."""
    alias = _clean_name(alias, _("alias"))
    own = [source.name, *source.aliases.values_list("alias", flat=True)]
    if any(match_key(n) == match_key(alias) for n in own):
        raise RegistryRefused(_("“%(alias)s” is already a spelling of this source.") % {"alias": alias})
    clash = _spelled_by(alias, kind=source.kind, exclude=source)
    if clash is not None:
        raise RegistryRefused(
            _("“%(alias)s” is already used by “%(other)s”, another %(kind)s: an alias names one source.")
            % {"alias": alias, "other": clash.name, "kind": clash.get_kind_display().lower()}
        )
    try:
        with transaction.atomic():
            return SourceAlias.objects.create(source=source, alias=alias)
    except IntegrityError:
        raise RegistryRefused(
            _("“%(alias)s” is already a spelling of this source.") % {"alias": alias}
        ) from None


def alias_remove(*, source: Source, alias_id: int) -> str:
    """Remove one of ``source``'s aliases; returns it. Claims already tagged keep their source
    (re-extract the articles to retag unreviewed ones)."""
    alias = SourceAlias.objects.filter(source=source, pk=alias_id).first()
    if alias is None:
        raise RegistryRefused(_("That alias is no longer there: nothing was removed."))
    alias.delete()
    return alias.alias


def _data_file_names() -> set[str]:
    """The canonical names of the extractor's data file: the registry sync re-creates a row of
    that name when it is missing, so such a row is never renamed nor merged away."""
    return {entry.canonical for entry in default_registry().entries}


def check_kinds_mergeable(keep: Source, others: list[Source]) -> None:
    """An outlet and a speaker are never one source: their claims count in different columns
    (carried / spoken). People and organisations may be merged (old rows had no kind)."""
    for other in others:
        if (other.kind == Source.Kind.OUTLET) != (keep.kind == Source.Kind.OUTLET):
            raise RegistryRefused(
                _(
                    "“%(other)s” is a %(kind)s and “%(keep)s” a %(keep_kind)s: an outlet and a speaker cannot be merged."
                )
                % {
                    "other": other.name,
                    "kind": other.get_kind_display().lower(),
                    "keep": keep.name,
                    "keep_kind": keep.get_kind_display().lower(),
                }
            )


def sources_merge_checked(*, keep: Source, others: list[Source]) -> None:
    """An editor's merge from the workbench: :func:`sources_merge`, and a row of the data file
    is merged into, never away (the registry sync would bring it back, empty; the admin, for
    staff, may still do it)."""
    check_kinds_mergeable(keep, others)
    protected = _data_file_names()
    for other in others:
        if other.name in protected and other.pk != keep.pk:
            raise RegistryRefused(
                _("“%(other)s” comes from the registry's data file: merge “%(keep)s” into it instead.")
                % {"other": other.name, "keep": keep.name}
            )
    sources_merge(keep=keep, others=others)


def articles_mentioning(source: Source) -> QuerySet[Article]:
    """Articles whose text holds the source's name or one of its aliases as written (the stored
    NFC text), for re-extraction after an alias change."""
    names = [source.name, *source.aliases.values_list("alias", flat=True)]
    query = Q()
    for name in names:
        query |= Q(body__contains=name)
    return Article.objects.filter(query).order_by("pk")
