"""Grow the source registry to the wire outlets of South Asia, the Middle East, East Asia and
Europe, and bring ``state_affiliated`` in line with the ownership rule of docs/registry.md
(BBC, AFP and Yonhap become state-affiliated). Reads the frozen copy of the data file taken
with this migration (0011_registry.json); fields are updated only on rows that still hold
the value migration 0003 seeded, so the newsroom's own edits stay."""

from django.db import migrations

from verify.migrations._0011_registry import FROZEN, SEEDED, merge, read_sources


def forwards(apps, schema_editor):
    merge(
        apps.get_model("verify", "Source"),
        apps.get_model("verify", "SourceAlias"),
        read_sources(FROZEN),
        previous=read_sources(SEEDED),
    )


class Migration(migrations.Migration):
    dependencies = [("verify", "0010_wire_credit_speaker_kind")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
