"""Load the source registry (outlets, agencies, known speakers) from the extractor's data file."""

from django.db import migrations


def forwards(apps, schema_editor):
    from verify.registry_sync import sync_registry

    sync_registry(apps.get_model("verify", "Source"), apps.get_model("verify", "SourceAlias"))


class Migration(migrations.Migration):
    dependencies = [("verify", "0002_integrity_triggers")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
