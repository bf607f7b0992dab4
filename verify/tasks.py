"""Celery tasks: take primary keys, call a service, decide about queuing again."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import worker_ready
from kombu.exceptions import OperationalError

from verify.models import Article
from verify.services.articles import ArticleRejected, article_reextract
from verify.services.links import link_fetch, links_to_recheck, links_to_sweep
from verify.services.url_ingest import url_ingest_run, url_ingests_to_sweep

log = logging.getLogger(__name__)


def queue(task, *args, **kwargs) -> bool:
    """Queue a task once the current transaction commits. False when the broker cannot be
    reached: the work is saved in the database (pending) and the sweeper queues it when the
    broker is back, so callers tell the user instead of failing the request."""
    try:
        task.delay_on_commit(*args, **kwargs)
    except (OperationalError, OSError) as exc:
        log.warning("could not queue %s%s: %s", task.name, args, exc)
        return False
    return True


@shared_task(acks_late=True)
def reextract_article(article_pk: int) -> int:
    """Re-run claim extraction over a stored article, keeping reviewers' work."""
    article = Article.objects.filter(pk=article_pk).first()
    if article is None:  # deleted since it was queued: nothing to do
        return 0
    try:
        return article_reextract(article=article)
    except ArticleRejected as exc:  # e.g. over the claim limit: nothing changed; say why, once
        log.warning("re-extraction of article %s refused: %s", article_pk, exc)
        return 0


@shared_task(acks_late=True, ignore_result=True)
def fetch_link(link_pk: int, recheck: bool = False) -> str:
    """Fetch one reference link; a busy host or a passing failure queues it again later."""
    outcome = link_fetch(link_pk=link_pk, recheck=recheck)
    if outcome.retry_in is not None:
        # A new message, not Task.retry(): waiting for a busy host is not a failed attempt, and
        # the attempt count that matters is kept on the link itself.
        fetch_link.apply_async((link_pk,), {"recheck": False}, countdown=outcome.retry_in)
    return outcome.reason


@shared_task(acks_late=True, ignore_result=True)
def ingest_url(request_pk: int) -> str:
    """Fetch an article page by URL and ingest its main text."""
    outcome = url_ingest_run(pk=request_pk)
    if outcome.retry_in is not None:
        ingest_url.apply_async((request_pk,), countdown=outcome.retry_in)
    return outcome.reason


@shared_task(ignore_result=True)
def sweep_fetches() -> int:
    """Queue again the work a lost message, a broker that was down or a killed worker left
    pending or fetching: reference links and URL ingests. Returns how many were queued."""
    links, ingests = links_to_sweep(), url_ingests_to_sweep()
    for pk in links:
        fetch_link.delay(pk)
    for pk in ingests:
        ingest_url.delay(pk)
    return len(links) + len(ingests)


@shared_task(ignore_result=True)
def recheck_evidence() -> int:
    """Link rot and drift: fetch again every evidence link of a judged claim."""
    pks = links_to_recheck()
    for pk in pks:
        fetch_link.delay(pk, recheck=True)
    return len(pks)


@worker_ready.connect
def _sweep_on_start(sender, **kwargs) -> None:
    """A worker that starts after another was killed picks up what that one left."""
    sweep_fetches.delay()
