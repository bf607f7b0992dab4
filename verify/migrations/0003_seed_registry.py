"""Load the source registry (outlets, agencies, known speakers) from the frozen copy of the
extractor's data file taken with this migration, 0003_seed_registry.json."""

import json
from pathlib import Path

from django.db import migrations

from verify.migrations._0003_registry import add_entries

SEED = Path(__file__).with_name("0003_seed_registry.json")


def seed_entries() -> list[dict]:
    with open(SEED, encoding="utf-8") as f:
        return json.load(f)["sources"]


def forwards(apps, schema_editor):
    add_entries(apps.get_model("verify", "Source"), apps.get_model("verify", "SourceAlias"), seed_entries())


class Migration(migrations.Migration):
    dependencies = [("verify", "0002_integrity_triggers")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
