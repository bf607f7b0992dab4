"""The source registry as the extractor sees it: outlets and speakers with aliases in several scripts.

The default entries live in ``data/sources.json``; the Django app loads the same file into the
database (a data migration) and can hand the extractor its own, admin-edited entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from verify.text import key_tokens

from .ambiguity import NO_CONTEXT, ArticleContext, party_word_next_to

SourceKind = Literal["outlet", "person", "organisation"]
DATA_FILE = Path(__file__).with_name("data") / "sources.json"
# First word of a name's match key -> (all its words, entry), longest names first.
AliasIndex = dict[str, list[tuple[tuple[str, ...], "SourceEntry"]]]


@dataclass(frozen=True, slots=True)
class SourceEntry:
    canonical: str
    kind: SourceKind = "outlet"
    country: str = ""
    state_affiliated: bool = False
    aliases: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_dict(cls, d: dict) -> SourceEntry:
        return cls(
            canonical=d["canonical"],
            kind=d.get("kind", "outlet"),
            country=d.get("country", ""),
            state_affiliated=bool(d.get("state_affiliated", False)),
            aliases=tuple(d.get("aliases", ())),
        )


@dataclass(frozen=True, slots=True)
class Registry:
    entries: tuple[SourceEntry, ...]
    # built from ``entries`` once, when the registry is made
    _aliases: AliasIndex = field(init=False, repr=False, compare=False)
    # names that entries of different kinds share -> the canonical names of those entries
    _shared: dict[tuple[str, ...], frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        aliases = _alias_index(self.entries)
        object.__setattr__(self, "_aliases", aliases)  # (frozen: set once, here)
        object.__setattr__(self, "_shared", _shared_names(aliases))

    def outlets(self) -> tuple[SourceEntry, ...]:
        return tuple(e for e in self.entries if e.kind == "outlet")

    def find(
        self,
        phrase: str,
        kind: SourceKind | None = "outlet",
        context: ArticleContext = NO_CONTEXT,
        *,
        medium: bool = False,
    ) -> SourceEntry | None:
        """The entry named in ``phrase`` (its canonical name or an alias, as whole words).

        Names compare by :func:`verify.text.match_key`, so spelling variants (पेस्कोव / पेसकोव,
        तास / टास) match; the earliest, then longest, mention wins. A name entries of different
        kinds share ("PTI") is read by its neighbours and the article ``context``
        (:func:`_choose`, :mod:`verify.extraction.ambiguity`); ``medium`` says the phrase is where a
        report appeared ("told PTI", "according to PTI"), not who acts.
        """
        words = _words(phrase)
        for i, word in enumerate(words):
            for alias, entry in self._aliases.get(word, ()):
                if words[i : i + len(alias)] != alias:
                    continue
                if alias in self._shared:
                    entry = _choose(self._sharing(alias), words, i, len(alias), context, medium)
                    if kind is None or entry.kind == kind:
                        return entry
                    break  # this mention means an entry of another kind: look further on
                if kind is None or entry.kind == kind:
                    return entry
        return None

    def _sharing(self, alias: tuple[str, ...]) -> list[SourceEntry]:
        """The entries of different kinds that have ``alias`` (later entries first)."""
        return [e for words, e in self._aliases.get(alias[0], ()) if words == alias]

    def with_entries(self, *extra: SourceEntry) -> Registry:
        """This registry plus newsroom additions (later entries win on shared aliases)."""
        return Registry(self.entries + tuple(extra))


def _alias_index(entries: tuple[SourceEntry, ...]) -> AliasIndex:
    """Each name's words under its first word, longest first; later entries before earlier ones
    (newsroom additions override)."""
    index: AliasIndex = {}
    for entry in reversed(entries):
        for name in (entry.canonical, *entry.aliases):
            words = _words(name)
            if words:
                index.setdefault(words[0], []).append((words, entry))
    for options in index.values():
        options.sort(key=lambda item: -len(item[0]))
    return index


def _choose(
    entries: list[SourceEntry], words: tuple[str, ...], i: int, n: int, context: ArticleContext, medium: bool
) -> SourceEntry:
    """Which of ``entries`` (sharing the name at ``words[i : i + n]``) the mention means."""
    outlets = [e for e in entries if e.kind == "outlet"]
    others = [e for e in entries if e.kind != "outlet"]
    if not outlets or not others:
        return entries[0]
    if party_word_next_to(words, i, n):
        return others[0]
    if medium:
        return outlets[0]
    shared = {_words(a) for e in outlets for a in (e.canonical, *e.aliases)}
    for entry in others:
        full = [k for k in (_words(a) for a in (entry.canonical, *entry.aliases)) if k and k not in shared]
        if any(context.names(k) for k in full) or _set_in(context, entry, outlets[0]):
            return entry
    return outlets[0]


def _set_in(context: ArticleContext, entry: SourceEntry, outlet: SourceEntry) -> bool:
    """Whether the article is set in ``entry``'s country rather than ``outlet``'s: it names
    places of the one more often than places of the other ("लाहौर", "Islamabad" against
    "भारत", "New Delhi")."""
    if not entry.country or entry.country == outlet.country:
        return False
    home = context.place_count(entry.country)
    return home > 0 and home > (context.place_count(outlet.country) if outlet.country else 0)


def _shared_names(index: AliasIndex) -> dict[tuple[str, ...], frozenset[str]]:
    """Names that entries of more than one kind have ("PTI": an outlet and a party)."""
    by_name: dict[tuple[str, ...], dict[str, SourceEntry]] = {}
    for options in index.values():
        for words, entry in options:
            by_name.setdefault(words, {}).setdefault(entry.canonical, entry)
    return {
        words: frozenset(entries)
        for words, entries in by_name.items()
        if len({e.kind for e in entries.values()}) > 1
    }


@lru_cache(maxsize=8192)
def _words(name: str) -> tuple[str, ...]:
    """:func:`verify.text.key_tokens` of ``name``, remembered: the same names and phrases come up
    in sentence after sentence, article after article."""
    return key_tokens(name)


def read_entries(path: Path = DATA_FILE) -> list[dict]:
    """The raw entries of a registry data file (a JSON list of objects)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)["sources"]


@cache
def default_registry() -> Registry:
    return Registry(tuple(SourceEntry.from_dict(d) for d in read_entries()))
