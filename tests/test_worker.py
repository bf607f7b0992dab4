"""A real Celery worker, over the broker the settings name, changes the database."""

from __future__ import annotations

import pytest

from tests.base import wait_for
from verify.models import Article, Claim, content_hash
from verify.tasks import reextract_article

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
WORKER_TIMEOUT = 30.0  # seconds a queued task may take to show in the database


def test_worker_runs_a_task_and_its_effect_lands_in_the_database(worker, seed_text):
    body = seed_text.strip()
    article = Article.objects.create(
        title="queued", body=body, language="hi", content_hash=content_hash(body)
    )
    assert not Claim.objects.filter(article=article).exists()
    reextract_article.delay(article.pk)
    wait_for(
        lambda: Claim.objects.filter(article=article).exists(),
        timeout=WORKER_TIMEOUT,
        what="the worker to run the task",
        interval=0.1,
    )
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
    wait_for(
        lambda: Claim.objects.filter(article=article).exists(),
        timeout=WORKER_TIMEOUT,
        what="the worker to run the task once the transaction committed",
        interval=0.1,
    )
