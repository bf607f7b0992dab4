"""Bring the database's source registry in line with the extractor's data file of today.

Adds sources and aliases the file has and the database lacks; never deletes or renames what
the newsroom edited in the admin; sets ``state_affiliated`` and ``country`` only on rows that
still hold the value of the newest migration's frozen copy of the file; safe to run again.
The merge rule is the one the newest registry migration ran (frozen in
``verify/migrations/_0011_registry.py``); the migration reads its own frozen copy of the file,
this module the live one. When a later migration freezes a new copy and merge, point both
imports below at it.
"""

from __future__ import annotations

from verify.extraction.registry import read_entries
from verify.migrations._0011_registry import FROZEN, merge, read_sources


def sync_registry(Source, SourceAlias, entries: list[dict] | None = None) -> tuple[int, int]:
    """Returns (sources created, aliases created)."""
    made_sources, made_aliases, _ = merge(
        Source,
        SourceAlias,
        read_entries() if entries is None else entries,
        previous=read_sources(FROZEN),
    )
    return made_sources, made_aliases
