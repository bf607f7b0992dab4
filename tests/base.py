"""Personas for tests: the people who use verify, each in their newsroom role."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "correct horse battery staple"

ROLES = {"editor": "editors", "reviewer": "reviewers", "viewer": "viewers", "outsider": None}


def make_user(username: str, group: str | None = None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def persona(role: str):
    """A user in the given role ("editor", "reviewer", "viewer", or "outsider" with no role)."""
    return make_user(role, ROLES[role])
