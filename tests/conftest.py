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


@pytest.fixture(scope="session", autouse=True)
def celery_queue(tmp_path_factory) -> str:
    """This test run's own queue (and, on the embedded broker, its own folders), so a `make run`
    worker beside the tests never takes their tasks, nor their workers its tasks. Set before any
    task is sent: Celery fixes its queue setup on first use."""
    import uuid

    from django.conf import settings

    from verify.celery import app, ensure_broker_folders

    queue = f"verify-test-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        folder = tmp_path_factory.mktemp("broker")
        app.conf.broker_transport_options = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
            "processed_folder": str(folder / "processed"),
            "store_processed": True,
            "polling_interval": 0.1,
        }
        ensure_broker_folders()
    return queue


@pytest.fixture
def worker(celery_queue):
    """A real Celery worker (threads) consuming this run's queue over the configured broker."""
    from celery.contrib.testing.worker import start_worker

    from verify.celery import app

    with start_worker(
        app,
        pool="threads",
        concurrency=4,
        perform_ping_check=False,
        queues=[celery_queue],
        shutdown_timeout=30,
    ) as w:
        yield w


@pytest.fixture(autouse=True)
def _no_login_throttling_unless_asked(settings, request):
    """django-axes needs the request at authenticate(), which Client.login() does not pass; the
    throttling tests (marker ``throttling``) switch it back on and log in through the form."""
    if request.node.get_closest_marker("throttling") is None:
        settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Personas are created by the hundred; the production hasher's deliberate slowness would
    dominate the suite's time (tests/test_throttling.py and login tests still hash real passwords,
    just cheaply)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    from verify.services.articles import article_ingest

    return article_ingest(text=seed_text, title="Seed", by=editor, language="hi").article
