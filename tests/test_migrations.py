"""Migrations are history: they carry frozen copies of what they install, never live code."""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from verify import db_triggers, models
from verify.migrations import _0002_triggers

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
