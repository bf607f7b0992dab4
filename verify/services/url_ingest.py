"""Articles by URL: an editor's request, then a worker fetches the page and ingests its text.

Like a link's fetch, a run is claimed with a lease that outlasts the longest fetch, renewed before
the ingest step; it always ends in a state with a reason (an unexpected exception is logged and
stored as a failure), and the sweeper queues again what a lost message or a killed worker left
pending or fetching (:func:`url_ingests_to_sweep`).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from verify import fetch
from verify.models import UrlIngest
from verify.services import articles
from verify.services.links import (
    Outcome,
    backoff,
    lease_seconds,
    left_behind,
    links_add,
    max_attempts,
    unexpected,
)
from verify.services.policy import fetch_policy

logger = logging.getLogger(__name__)


def url_ingest_request(*, url: str, by, title: str = "", language: str = "") -> UrlIngest:
    """Record an editor's request; the caller queues :func:`url_ingest_run` after commit."""
    return UrlIngest.objects.create(url=url, requested_by=by, title=title, language=language)


def url_ingest_run(*, pk: int) -> Outcome:
    """Fetch the page, ingest its main text as an article, attach its outbound links."""
    policy = fetch_policy()
    now = timezone.now()
    takeable = Q(state=UrlIngest.State.PENDING) | Q(state=UrlIngest.State.FETCHING, lease_until__lt=now)
    lease = dt.timedelta(seconds=lease_seconds(policy))
    if not UrlIngest.objects.filter(takeable, pk=pk).update(
        state=UrlIngest.State.FETCHING, lease_until=now + lease
    ):
        return Outcome(done=True, reason="taken or finished")
    request = UrlIngest.objects.select_related("requested_by").get(pk=pk)
    try:
        return _run(request, policy, lease)
    except Exception as exc:
        logger.exception("URL ingest %s (%s) failed unexpectedly", pk, request.url)
        error = unexpected(request.url, exc).error
        UrlIngest.objects.filter(pk=pk).update(
            state=UrlIngest.State.FAILED, attempts=request.attempts + 1, lease_until=None, error=error
        )
        return Outcome(done=True, reason=error)


def _run(request: UrlIngest, policy: fetch.FetchPolicy, lease: dt.timedelta) -> Outcome:
    pk = request.pk
    result = fetch.fetch(request.url, policy=policy)
    attempts = request.attempts + 1
    if not result.ok:
        if result.retryable and attempts < max_attempts():
            UrlIngest.objects.filter(pk=pk).update(
                state=UrlIngest.State.PENDING, attempts=attempts, lease_until=None, error=result.error
            )
            return Outcome(done=False, retry_in=backoff(attempts, result.retry_after), reason=result.error)
        UrlIngest.objects.filter(pk=pk).update(
            state=result.state if result.state == "refused" else UrlIngest.State.FAILED,
            attempts=attempts,
            lease_until=None,
            error=result.error,
        )
        return Outcome(done=True, reason=result.error)
    # The fetch is over; the ingest (claim extraction, bounded by the article size limit) gets a
    # fresh lease.
    UrlIngest.objects.filter(pk=pk).update(lease_until=timezone.now() + lease)
    try:
        ingested = articles.article_ingest(
            text=result.text,
            title=request.title or result.title,
            by=request.requested_by,
            language=request.language or None,
            source_url=result.final_url or request.url,
        )
    except articles.ArticleRejected as exc:
        UrlIngest.objects.filter(pk=pk).update(
            state=UrlIngest.State.FAILED, attempts=attempts, lease_until=None, error=str(exc)
        )
        return Outcome(done=True, reason=str(exc))
    with transaction.atomic():
        created = links_add(article=ingested.article, urls=result.links, by=request.requested_by)
        UrlIngest.objects.filter(pk=pk).update(
            state=UrlIngest.State.DONE,
            attempts=attempts,
            lease_until=None,
            error=result.warning,
            article=ingested.article,
        )
    return Outcome(done=True, reason=f"{len(created)} links attached")


def url_ingests_to_sweep(*, older_than: dt.timedelta | None = None) -> list[int]:
    """URL ingests left behind, those requested while the broker was down included (see
    :func:`verify.services.links.left_behind`)."""
    return left_behind(UrlIngest.objects.all(), since="requested_at", older_than=older_than)
