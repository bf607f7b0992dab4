"""Install the database triggers of verify/db_triggers.py (offsets, frozen body, append-only verdicts)."""

from django.db import migrations

from verify.db_triggers import create_triggers_op


class Migration(migrations.Migration):
    dependencies = [("verify", "0001_initial")]
    operations = [create_triggers_op()]
