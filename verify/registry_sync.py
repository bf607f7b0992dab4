"""Bring the database's source registry in line with the extractor's data file.

Adds sources and aliases the file has and the database lacks; never deletes or renames what
the newsroom edited in the admin. Used by a data migration (with historical models) and safe to
run again.
"""

from __future__ import annotations

from verify.extraction.registry import read_entries


def sync_registry(Source, SourceAlias, entries: list[dict] | None = None) -> tuple[int, int]:
    """Returns (sources created, aliases created)."""
    made_sources = made_aliases = 0
    for entry in entries if entries is not None else read_entries():
        source, created = Source.objects.get_or_create(
            name=entry["canonical"],
            defaults={
                "kind": entry.get("kind", "outlet"),
                "country": entry.get("country", ""),
                "state_affiliated": bool(entry.get("state_affiliated", False)),
            },
        )
        made_sources += created
        for alias in entry.get("aliases", []):
            _, created = SourceAlias.objects.get_or_create(source=source, alias=alias)
            made_aliases += created
    return made_sources, made_aliases
