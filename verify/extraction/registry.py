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

    def __post_init__(self) -> None:
        object.__setattr__(self, "_aliases", _alias_index(self.entries))  # (frozen: set once, here)

    def outlets(self) -> tuple[SourceEntry, ...]:
        return tuple(e for e in self.entries if e.kind == "outlet")

    def find(self, phrase: str, kind: SourceKind | None = "outlet") -> SourceEntry | None:
        """The entry named in ``phrase`` (its canonical name or an alias, as whole words).

        Names compare by :func:`verify.text.match_key`, so spelling variants (पेस्कोव / पेसकोव,
        तास / टास) match; the earliest, then longest, mention wins.
        """
        words = _words(phrase)
        for i, word in enumerate(words):
            for alias, entry in self._aliases.get(word, ()):
                if (kind is None or entry.kind == kind) and words[i : i + len(alias)] == alias:
                    return entry
        return None

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
