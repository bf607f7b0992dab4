"""Personas for tests: the people who use verify, each in their newsroom role."""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

PASSWORD = "correct horse battery staple"

ROLES = {"editor": "editors", "reviewer": "reviewers", "viewer": "viewers", "outsider": None}

T = TypeVar("T")


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


def login(user, **client_options) -> Client:
    """A test client logged in as ``user`` with the persona password, as a person logs in;
    ``client_options`` go to :class:`django.test.Client` (``raise_request_exception=False``...)."""
    client = Client(**client_options)
    assert client.login(username=user.username, password=PASSWORD), f"{user.username} cannot log in"
    return client


def wait_for(predicate: Callable[[], T], *, timeout: float, what: str = "", interval: float = 0.05) -> T:
    """Poll ``predicate`` until it returns something true, and return that. After ``timeout``
    seconds, fail with an AssertionError naming ``what`` and the time waited."""
    started = time.monotonic()
    while True:
        result = predicate()
        if result:
            return result
        waited = time.monotonic() - started
        if waited >= timeout:
            raise AssertionError(
                f"timed out after {waited:.1f}s (limit {timeout}s) waiting for {what or predicate}"
            )
        time.sleep(interval)


def article_of_sentences(sentences: list[str], by, *, title: str = "Sentences"):
    """An article of one paragraph whose claims are ``sentences``, one each, made directly (the
    extractor is not under test); returns the article and its claims in order."""
    from verify.models import Article, Claim, content_hash

    body = " ".join(sentences)
    article = Article.objects.create(
        title=title, body=body, language="en", content_hash=content_hash(body), ingested_by=by
    )
    claims, start = [], 0
    for i, sentence in enumerate(sentences):
        claims.append(
            Claim(
                article=article, order=i, paragraph=0, start=start, end=start + len(sentence), text=sentence
            )
        )
        start += len(sentence) + 1
    return article, Claim.objects.bulk_create(claims)


#: The Hypothesis settings of the suite's property tests: FUZZ_EXAMPLES examples per property
#: (default 200; ``make fuzz`` runs 10,000), no deadline (the machine is shared), no example
#: database (nothing written into the checkout).
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = hypothesis_settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
