from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.base import persona

SEED = Path(__file__).resolve().parent.parent / "verify" / "demo" / "article-hi-kim-putin.txt"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped test is a failure: a missing browser, database or broker must not pass
    silently as 'skipped'."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped in CI, which counts as a failure: {reason}"


@pytest.fixture(autouse=True)
def _english_by_default():
    """A request in Hindi leaves Hindi active in the thread; each test starts from English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def editor(db):
    return persona("editor")


@pytest.fixture
def reviewer(db):
    return persona("reviewer")


@pytest.fixture
def viewer(db):
    return persona("viewer")


@pytest.fixture
def outsider(db):
    return persona("outsider")


@pytest.fixture
def seed_article(db, seed_text, editor):
    from verify.services import article_ingest

    return article_ingest(text=seed_text, title="Seed", by=editor, language="hi").article
