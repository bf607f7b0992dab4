"""Migrations are history: they carry frozen copies of what they install, never live code."""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from verify import db_triggers, models, registry_sync
from verify.migrations import _0002_triggers, _0011_registry

MIGRATIONS = Path(__file__).resolve().parent.parent / "verify" / "migrations"
SEED_MIGRATION = "0003_seed_registry"


def imported_modules(path: Path) -> set[str]:
    """The absolute names of the modules a migration file imports (statements, and
    ``importlib.import_module`` calls with a literal name); a relative import is resolved
    against the ``verify.migrations`` package."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = ".".join(["verify", "migrations"][: 3 - node.level])
                base = ".".join(part for part in (package, node.module) if part)
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
    return names


def test_no_migration_imports_live_verify_code():
    """Editing a live module must not rewrite what an old migration did: a migration may import
    only Django, the standard library and (frozen) modules of ``verify.migrations``."""
    files = sorted(MIGRATIONS.glob("*.py"))
    assert len(files) >= 10, files
    live = {
        path.name: sorted(
            name
            for name in imported_modules(path)
            if (name == "verify" or name.startswith("verify.")) and not name.startswith("verify.migrations")
        )
        for path in files
    }
    assert {name: found for name, found in live.items() if found} == {}


def test_the_import_check_sees_live_imports(tmp_path):
    """The check above is not vacuous: it reports each form of import of live code."""
    sample = tmp_path / "0099_sample.py"
    sample.write_text(
        "import verify.models\n"
        "from verify.db_triggers import create_triggers_op\n"
        "from .. import services\n"
        "from . import _0002_triggers\n"
        "import importlib\n"
        "importlib.import_module('verify.registry_sync')\n",
        encoding="utf-8",
    )
    found = imported_modules(sample)
    assert {"verify.models", "verify.db_triggers", "verify.services", "verify.registry_sync"} <= found
    assert "verify.migrations._0002_triggers" in found


def test_the_live_triggers_are_the_frozen_ones_of_the_latest_trigger_migration():
    """The trigger SQL is written once: the live module names the frozen copy."""
    assert db_triggers.SQLITE_FORWARD is _0002_triggers.SQLITE_FORWARD
    assert db_triggers.POSTGRES_FORWARD is _0002_triggers.POSTGRES_FORWARD
    assert db_triggers.create_triggers_op is _0002_triggers.create_triggers_op


def test_the_registry_migration_loads_exactly_its_frozen_seed(db):
    """Migration 0003, run with the historical models of its place in history on an empty
    registry, creates exactly the sources and aliases of its frozen data file."""
    seed = json.loads((MIGRATIONS / f"{SEED_MIGRATION}.json").read_text(encoding="utf-8"))["sources"]
    migration = importlib.import_module(f"verify.migrations.{SEED_MIGRATION}")
    apps = MigrationLoader(connection).project_state(("verify", SEED_MIGRATION)).apps
    models.SourceAlias.objects.all().delete()  # the live models know today's relations
    models.Source.objects.all().delete()
    Source = apps.get_model("verify", "Source")
    SourceAlias = apps.get_model("verify", "SourceAlias")

    migration.forwards(apps, None)

    expected = {
        (e["canonical"], e.get("kind", "outlet"), e.get("country", ""), bool(e.get("state_affiliated")))
        for e in seed
    }
    assert set(Source.objects.values_list("name", "kind", "country", "state_affiliated")) == expected
    assert Source.objects.count() == len(seed)
    aliases = {(e["canonical"], alias) for e in seed for alias in e.get("aliases", [])}
    assert set(SourceAlias.objects.values_list("source__name", "alias")) == aliases

    migration.forwards(apps, None)  # add-only: a second run changes nothing
    assert Source.objects.count() == len(seed)
    assert SourceAlias.objects.count() == len(aliases)


LATEST_REGISTRY_MIGRATION = ("verify", "0011_registry_wire_outlets")
BEFORE_IT = ("verify", "0010_wire_credit_speaker_kind")


@pytest.mark.django_db(transaction=True)
def test_the_wire_outlets_migration_grows_an_old_registry_and_keeps_the_newsrooms_edits():
    """A database at 0010 holding the 0003 seed, one outlet edited by the newsroom and one
    alias it added: 0011 adds the new outlets and aliases, flips the state flag the ownership
    rule changed (BBC, AFP, Yonhap) and leaves the edited outlet and the added alias alone."""
    seed = json.loads((MIGRATIONS / f"{SEED_MIGRATION}.json").read_text(encoding="utf-8"))["sources"]
    frozen = json.loads((MIGRATIONS / "0011_registry.json").read_text(encoding="utf-8"))["sources"]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([BEFORE_IT])
        old = MigrationExecutor(connection).loader.project_state(BEFORE_IT).apps
        Source, SourceAlias = old.get_model("verify", "Source"), old.get_model("verify", "SourceAlias")
        SourceAlias.objects.all().delete()
        Source.objects.all().delete()
        importlib.import_module(f"verify.migrations.{SEED_MIGRATION}").forwards(old, None)
        assert Source.objects.count() == len(seed)
        # The newsroom's edits: Reuters flagged and moved (the new file keeps the seed's values
        # for both, a blind overwrite would undo them), and an alias of its own on AFP.
        Source.objects.filter(name="Reuters").update(state_affiliated=True, country="CA")
        SourceAlias.objects.create(source=Source.objects.get(name="AFP"), alias="ए.एफ.पी.")

        executor = MigrationExecutor(connection)
        executor.migrate([LATEST_REGISTRY_MIGRATION])
        new = MigrationExecutor(connection).loader.project_state(LATEST_REGISTRY_MIGRATION).apps
        Source, SourceAlias = new.get_model("verify", "Source"), new.get_model("verify", "SourceAlias")

        assert Source.objects.count() == len(frozen)
        assert Source.objects.filter(kind="outlet").count() == sum(e["kind"] == "outlet" for e in frozen)
        aliases = {(e["canonical"], a) for e in frozen for a in e.get("aliases", [])}
        found = set(SourceAlias.objects.values_list("source__name", "alias"))
        assert found == aliases | {("AFP", "ए.एफ.पी.")}
        rows = {s.name: s for s in Source.objects.all()}
        assert (rows["Reuters"].state_affiliated, rows["Reuters"].country) == (True, "CA")
        assert all(rows[name].state_affiliated for name in ("BBC", "AFP", "Yonhap"))
        unedited = {e["canonical"]: e for e in frozen if e["canonical"] != "Reuters"}
        assert {n: (s.state_affiliated, s.country) for n, s in rows.items() if n in unedited} == {
            n: (bool(e["state_affiliated"]), e["country"]) for n, e in unedited.items()
        }
    finally:
        MigrationExecutor(connection).migrate(leaves)


def test_the_0011_merge_changes_only_rows_that_hold_the_earlier_value(db):
    """The field update on its own, with the live models: a row still holding the earlier
    file's value takes the new one; a row the newsroom changed keeps its value."""
    previous = [{"canonical": "A", "country": "GB", "state_affiliated": False}]
    entries = [{"canonical": "A", "country": "GB", "state_affiliated": True, "aliases": []}]
    models.SourceAlias.objects.all().delete()
    models.Source.objects.all().delete()
    models.Source.objects.create(name="A", country="GB", state_affiliated=False)
    assert _0011_registry.update_unedited(models.Source, entries, previous) == 1
    assert models.Source.objects.get(name="A").state_affiliated
    models.Source.objects.filter(name="A").update(state_affiliated=False, country="US")
    entries[0]["country"] = "FR"
    previous[0]["state_affiliated"] = True
    assert _0011_registry.update_unedited(models.Source, entries, previous) == 0
    assert models.Source.objects.filter(name="A", state_affiliated=False, country="US").exists()


def test_sync_registry_uses_the_newest_frozen_merge():
    """The live sync names the frozen merge of the newest registry migration."""
    assert registry_sync.merge is _0011_registry.merge
    assert _0011_registry.FROZEN.name.startswith(LATEST_REGISTRY_MIGRATION[1][:4])
