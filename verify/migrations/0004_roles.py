"""The newsroom roles as groups: viewers read, reviewers judge claims, editors ingest and correct."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["view_article", "view_claim", "view_verdict", "view_referencelink", "view_source", "view_sourcealias"]
REVIEW = [*VIEW, "record_verdict", "add_referencelink"]
EDIT = [
    *REVIEW,
    "add_article",
    "correct_claim",
    "change_claim",
    "add_source",
    "change_source",
    "add_sourcealias",
]
ROLES = {"viewers": VIEW, "reviewers": REVIEW, "editors": EDIT}


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label="verify", codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions missing for group {name}: {sorted(missing)}")
        group.permissions.set(perms)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("verify", "0003_seed_registry"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, backwards)]
