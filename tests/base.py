"""Personas for tests: the people who use verify, each in their newsroom role."""

from __future__ import annotations

import importlib

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "correct horse battery staple"

ROLES = {"editor": "editors", "reviewer": "reviewers", "viewer": "viewers", "outsider": None}


def ensure_reference_data() -> None:
    """Put back what the data migrations made (roles, the source registry) after a transactional
    test flushed the tables (the flush's post_migrate signal restores content types and
    permissions, not data migrations). Django's serialized rollback would do it too, but its
    copy is kept on a connection object that Playwright's event loop hides from later tests."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from verify.models import Source, SourceAlias
    from verify.registry_sync import sync_registry

    if Group.objects.exists() and Source.objects.exists():
        return
    ContentType.objects.clear_cache()
    roles = importlib.import_module("verify.migrations.0004_roles").ROLES
    for name, codenames in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="verify", codename__in=codenames)
        )
    sync_registry(Source, SourceAlias)


def make_user(username: str, group: str | None = None, **extra):
    ensure_reference_data()
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def persona(role: str):
    """A user in the given role ("editor", "reviewer", "viewer", or "outsider" with no role)."""
    return make_user(role, ROLES[role])
