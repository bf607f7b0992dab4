"""Articles by URL: an editor's request, then a worker fetches the page and ingests its text."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from verify import fetch
from verify.models import UrlIngest
from verify.services import articles
from verify.services.links import Outcome, backoff, lease_seconds, links_add, max_attempts
from verify.services.policy import fetch_policy


def url_ingest_request(*, url: str, by, title: str = "", language: str = "") -> UrlIngest:
    """Record an editor's request; the caller queues :func:`url_ingest_run` after commit."""
    return UrlIngest.objects.create(url=url, requested_by=by, title=title, language=language)


def url_ingest_run(*, pk: int) -> Outcome:
    """Fetch the page, ingest its main text as an article, attach its outbound links."""
    now = timezone.now()
    takeable = Q(state=UrlIngest.State.PENDING) | Q(state=UrlIngest.State.FETCHING, lease_until__lt=now)
    lease = now + dt.timedelta(seconds=lease_seconds())
    if not UrlIngest.objects.filter(takeable, pk=pk).update(
        state=UrlIngest.State.FETCHING, lease_until=lease
    ):
        return Outcome(done=True, reason="taken or finished")
    request = UrlIngest.objects.select_related("requested_by").get(pk=pk)
    result = fetch.fetch(request.url, policy=fetch_policy())
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
            error="",
            article=ingested.article,
        )
    return Outcome(done=True, reason=f"{len(created)} links attached")
