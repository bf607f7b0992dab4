"""Install the integrity triggers (offsets, frozen body, append-only verdicts), from the frozen
SQL of verify/migrations/_0002_triggers.py."""

from django.db import migrations

from verify.migrations._0002_triggers import create_triggers_op


class Migration(migrations.Migration):
    dependencies = [("verify", "0001_initial")]
    operations = [create_triggers_op()]
