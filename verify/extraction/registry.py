"""The source registry as the extractor sees it: outlets and speakers with aliases in several scripts.

The default entries live in ``data/sources.json``; the Django app loads the same file into the
database (a data migration) and can hand the extractor its own, admin-edited entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from .matching import key_tokens

SourceKind = Literal["outlet", "person", "organisation"]
DATA_FILE = Path(__file__).with_name("data") / "sources.json"


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

    def outlets(self) -> tuple[SourceEntry, ...]:
        return tuple(e for e in self.entries if e.kind == "outlet")

    def find(self, phrase: str, kind: SourceKind | None = "outlet") -> SourceEntry | None:
        """The entry named in ``phrase`` (its canonical name or an alias, as whole words).

        Names compare by :func:`~verify.extraction.matching.match_key`, so spelling variants
        (पेस्कोव / पेसकोव, तास / टास) match; the earliest, then longest, mention wins.
        """
        words = key_tokens(phrase)
        index = _alias_index(self)
        for i, word in enumerate(words):
            for alias, entry in index.get(word, ()):
                if (kind is None or entry.kind == kind) and words[i : i + len(alias)] == alias:
                    return entry
        return None

    def with_entries(self, *extra: SourceEntry) -> Registry:
        """This registry plus newsroom additions (later entries win on shared aliases)."""
        return Registry(self.entries + tuple(extra))


def read_entries(path: Path = DATA_FILE) -> list[dict]:
    """The raw entries of a registry data file (a JSON list of objects)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)["sources"]


_INDEXES: dict[int, tuple[Registry, dict]] = {}


def _alias_index(registry: Registry) -> dict[str, list[tuple[tuple[str, ...], SourceEntry]]]:
    """First word of each alias -> (alias words, entry), longest first; built once per registry."""
    hit = _INDEXES.get(id(registry))
    if hit is not None and hit[0] is registry:
        return hit[1]
    index: dict[str, list[tuple[tuple[str, ...], SourceEntry]]] = {}
    for entry in reversed(registry.entries):  # later entries first: newsroom additions override
        for name in (entry.canonical, *entry.aliases):
            words = key_tokens(name)
            if words:
                index.setdefault(words[0], []).append((words, entry))
    for options in index.values():
        options.sort(key=lambda item: -len(item[0]))
    if len(_INDEXES) > 32:  # registries are few; keep the cache from growing with throwaway ones
        _INDEXES.clear()
    _INDEXES[id(registry)] = (registry, index)
    return index


@cache
def default_registry() -> Registry:
    return Registry(tuple(SourceEntry.from_dict(d) for d in read_entries()))
