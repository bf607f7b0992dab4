"""The registry merge frozen with migration 0011 (wire outlets, ownership-based state flag).

History: do not edit. Works on whatever Source and SourceAlias models it is given: the
historical ones in migration 0011, the live ones in ``verify/registry_sync.py``. Two steps:

1. add the sources and aliases the entries have and the database lacks (the add-only merge
   of 0003, reused from its frozen module);
2. set ``state_affiliated`` and ``country`` of rows that still hold the value an earlier data
   file gave them (``previous``) to the value of the new entries, so a value the newsroom
   edited in the admin or the workbench is never overwritten.

The migration loader skips modules whose names start with "_", so this is no migration.
"""

from __future__ import annotations

import json
from pathlib import Path

from verify.migrations._0003_registry import add_entries

FROZEN = Path(__file__).with_name("0011_registry.json")  # the data file as of this migration
SEEDED = Path(__file__).with_name("0003_seed_registry.json")  # what migration 0003 loaded
UPDATED_FIELDS = ("state_affiliated", "country")


def read_sources(path: Path) -> list[dict]:
    """The entries of a frozen registry data file."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)["sources"]


def field_value(entry: dict, name: str) -> object:
    """A field of a data-file entry as the database stores it."""
    if name == "state_affiliated":
        return bool(entry.get(name, False))
    return entry.get(name, "")


def update_unedited(Source, entries: list[dict], previous: list[dict]) -> int:
    """Sets the fields in ``UPDATED_FIELDS`` that changed between ``previous`` and ``entries``
    on the rows that still hold the ``previous`` value. Returns the number of rows changed."""
    before = {e["canonical"]: e for e in previous}
    changed = 0
    for entry in entries:
        old = before.get(entry["canonical"])
        if old is None:
            continue  # a source the earlier file lacked: what the database has is the newsroom's
        updates = {
            name: field_value(entry, name)
            for name in UPDATED_FIELDS
            if field_value(entry, name) != field_value(old, name)
        }
        if not updates:
            continue
        rows = Source.objects.filter(name=entry["canonical"])
        for name, value in updates.items():
            changed += rows.filter(**{name: field_value(old, name)}).update(**{name: value})
    return changed


def merge(Source, SourceAlias, entries: list[dict], previous: list[dict]) -> tuple[int, int, int]:
    """Returns (sources created, aliases created, fields updated)."""
    made_sources, made_aliases = add_entries(Source, SourceAlias, entries)
    return made_sources, made_aliases, update_unedited(Source, entries, previous)
