"""Bring the database's source registry in line with the extractor's data file of today.

Adds sources and aliases the file has and the database lacks; never deletes or renames what
the newsroom edited in the admin; safe to run again. The merge rule is the one migration 0003
seeded the registry with (frozen in ``verify/migrations/_0003_registry.py``); the migration
reads its own frozen copy of the file, this module the live one.
"""

from __future__ import annotations

from verify.extraction.registry import read_entries
from verify.migrations._0003_registry import add_entries


def sync_registry(Source, SourceAlias, entries: list[dict] | None = None) -> tuple[int, int]:
    """Returns (sources created, aliases created)."""
    return add_entries(Source, SourceAlias, read_entries() if entries is None else entries)
