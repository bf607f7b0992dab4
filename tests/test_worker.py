"""A real Celery worker, over the broker the settings name, changes the database."""

from __future__ import annotations

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from verify.celery import app, ensure_broker_folders
from verify.models import Article, Claim, content_hash
from verify.tasks import reextract_article

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def test_queue(tmp_path_factory):
    """A queue (and, on the embedded broker, folders) of this test run's own, so a `make run`
    worker beside the tests never takes these tasks, nor these workers its tasks. Celery caches
    its queue setup on first use, so this is set once for the module."""
    queue = f"verify-test-{uuid.uuid4().hex[:8]}"
    saved = app.conf.task_default_queue, dict(app.conf.broker_transport_options or {})
    app.conf.task_default_queue = queue
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        folder = tmp_path_factory.mktemp("broker")
        app.conf.broker_transport_options = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
            "processed_folder": str(folder / "processed"),
            "store_processed": True,
        }
        ensure_broker_folders()
    yield queue
    app.conf.task_default_queue, app.conf.broker_transport_options = saved


@pytest.fixture
def worker(test_queue):
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=[test_queue], shutdown_timeout=30
    ) as w:
        yield w


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_worker_runs_a_task_and_its_effect_lands_in_the_database(worker, seed_text):
    body = seed_text.strip()
    article = Article.objects.create(
        title="queued", body=body, language="hi", content_hash=content_hash(body)
    )
    assert not Claim.objects.filter(article=article).exists()
    reextract_article.delay(article.pk)
    assert wait_for(lambda: Claim.objects.filter(article=article).exists()), "the worker never ran the task"
    for claim in Claim.objects.filter(article=article):
        assert claim.text == body[claim.start : claim.end]


def test_tasks_enqueued_inside_a_transaction_wait_for_the_commit(worker, seed_text):
    from django.db import transaction

    body = seed_text.strip() + "\nएक और वाक्य।"
    with transaction.atomic():
        article = Article.objects.create(
            title="later", body=body, language="hi", content_hash=content_hash(body)
        )
        reextract_article.delay_on_commit(article.pk)
    assert wait_for(lambda: Claim.objects.filter(article=article).exists())
