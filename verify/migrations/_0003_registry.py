"""The add-only registry merge, frozen with migration 0003 (which seeds the registry with it).

History: do not edit. Works on whatever Source and SourceAlias models it is given: the
historical ones in a migration, the live ones in ``verify/registry_sync.py``. Adds the sources
and aliases the entries have and the database lacks; never deletes or renames what the
newsroom edited in the admin; safe to run again. The migration loader skips modules whose
names start with "_", so this is no migration of its own.
"""

from __future__ import annotations


def add_entries(Source, SourceAlias, entries: list[dict]) -> tuple[int, int]:
    """Returns (sources created, aliases created)."""
    made_sources = made_aliases = 0
    for entry in entries:
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
