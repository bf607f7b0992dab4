"""Evidence links: who fetches what, when, how often; what a re-fetch says about drift.

The network part is :mod:`verify.fetch` (safe HTTP, page text); this module is the bookkeeping
around it, shared by the Celery tasks, the views and the admin:

1. A link (or URL ingest) is *claimed* by a conditional UPDATE that moves it to "fetching" with a
   lease. Two workers given the same link at once: one wins, the other does nothing; a worker
   killed mid-fetch leaves a lease that expires, and the sweeper hands the link out again.
2. A *host slot* (a row of :class:`HostSlot`) is taken before the request, at most
   ``VERIFY_FETCH_PER_HOST`` per host across all workers, so 40 AFP links do not hammer AFP.
3. The result is stored on the row; retryable failures go back to "pending" with a backoff
   (honouring Retry-After) until ``VERIFY_FETCH_MAX_ATTEMPTS``.
4. For claims with verdicts, a re-fetch compares the page with what it said when the claim was
   judged (the baseline) and flags drift or disappearance.

No Celery import here: the tasks decide how to re-queue, these functions say when.
"""

from __future__ import annotations

import datetime as dt
import difflib
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from verify import fetch
from verify.models import Article, Claim, HostSlot, ReferenceLink
from verify.services.policy import fetch_policy

GONE_STATUSES = {404, 410}


def max_attempts() -> int:
    return getattr(settings, "VERIFY_FETCH_MAX_ATTEMPTS", 5)


def _slot_seconds() -> int:
    return int(getattr(settings, "VERIFY_FETCH_TOTAL_TIMEOUT", 30)) + 5


def lease_seconds() -> int:
    return int(getattr(settings, "VERIFY_FETCH_TOTAL_TIMEOUT", 30)) + 30


def backoff(attempt: int, retry_after: int | None = None) -> float:
    """Seconds before try ``attempt + 1``: exponential from 5 s, capped at 10 minutes, with
    jitter; never sooner than the server's Retry-After."""
    delay = min(600.0, 5.0 * 2 ** max(0, attempt - 1)) * random.uniform(0.8, 1.2)
    return max(delay, float(retry_after or 0))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a fetch attempt came to. ``retry_in`` set: queue it again after that many seconds."""

    done: bool
    retry_in: float | None = None
    reason: str = ""


# --- Host slots -----------------------------------------------------------------------------


def _lock_host(host: str) -> None:
    """Serialise slot taking per host. SQLite transactions here begin IMMEDIATE, which already
    serialises writers; PostgreSQL needs an advisory lock (rows that do not exist yet cannot be
    locked)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [host])


def take_host_slot(link: ReferenceLink) -> bool:
    """Take one of the host's slots for this link, or say the host is busy."""
    now = timezone.now()
    with transaction.atomic():
        _lock_host(link.host)
        HostSlot.objects.filter(expires_at__lt=now).delete()
        if (
            HostSlot.objects.filter(host=link.host).exclude(link=link).count()
            >= settings.VERIFY_FETCH_PER_HOST
        ):
            return False
        HostSlot.objects.update_or_create(
            link=link,
            # A fetch cannot outlast the total timeout, so neither does its slot: a worker killed
            # mid-fetch blocks the host for seconds, not for the whole lease.
            defaults={"host": link.host, "expires_at": now + dt.timedelta(seconds=_slot_seconds())},
        )
    return True


def release_host_slot(link: ReferenceLink) -> None:
    HostSlot.objects.filter(link=link).delete()


# --- Links ------------------------------------------------------------------------------------


def links_add(*, article: Article, urls: list[str], by, claim: Claim | None = None) -> list[ReferenceLink]:
    """Attach URLs to a claim (or the article); returns the links created (those already there
    are skipped). The caller queues their fetch after commit."""
    existing = set(
        ReferenceLink.objects.filter(article=article, claim=claim, url__in=urls).values_list("url", flat=True)
    )
    fresh = [u for u in dict.fromkeys(urls) if u not in existing]
    return ReferenceLink.objects.bulk_create(
        [ReferenceLink(article=article, claim=claim, url=u, added_by=by) for u in fresh]
    )


def _claim_link(pk: int, *, recheck: bool) -> ReferenceLink | None:
    """Move the link to "fetching" if nobody else holds it; None if it is not ours to fetch."""
    now = timezone.now()
    takeable = Q(state=ReferenceLink.State.PENDING) | Q(
        state=ReferenceLink.State.FETCHING, lease_until__lt=now
    )
    if recheck:
        takeable |= Q(state__in=[ReferenceLink.State.FETCHED, ReferenceLink.State.FAILED])
    lease = now + dt.timedelta(seconds=lease_seconds())
    if not ReferenceLink.objects.filter(takeable, pk=pk).update(
        state=ReferenceLink.State.FETCHING, lease_until=lease
    ):
        return None
    return ReferenceLink.objects.select_related("claim").get(pk=pk)


def _judged(link: ReferenceLink) -> bool:
    return link.claim_id is not None and link.claim.verdicts.exists()


def link_fetch(*, link_pk: int, recheck: bool = False) -> Outcome:
    """Fetch one reference link (see the module docstring for the steps)."""
    link = _claim_link(link_pk, recheck=recheck)
    if link is None:
        return Outcome(done=True, reason="taken by another worker, or already done")
    if not take_host_slot(link):
        ReferenceLink.objects.filter(pk=link.pk).update(state=ReferenceLink.State.PENDING, lease_until=None)
        return Outcome(done=False, retry_in=random.uniform(0.2, 0.8), reason=f"{link.host} is busy")
    try:
        result = fetch.fetch(link.url, policy=fetch_policy())
    finally:
        release_host_slot(link)
    return _store(link, result)


def _store(link: ReferenceLink, result: fetch.FetchResult) -> Outcome:
    now = timezone.now()
    attempts = link.attempts + 1
    fields = {
        "attempts": attempts,
        "lease_until": None,
        "http_status": result.http_status,
        "error": result.error,
        "fetched_at": now,
        "headers": result.headers,
    }
    if result.ok:
        fields.update(
            state=ReferenceLink.State.FETCHED,
            final_url=result.final_url[:2000],
            content_type=result.content_type[:200],
            title=result.title[:1000],
            text=result.text,
            text_sha256=result.text_sha256,
            truncated=result.truncated,
        )
    judged = _judged(link)
    if judged:
        if result.ok and not link.baseline_sha256:
            # The first text seen after the verdict is what the claim was judged against.
            fields.update(baseline_sha256=result.text_sha256, baseline_text=result.text)
        elif link.baseline_sha256 and link.drifted_at is None:
            changed = result.ok and result.text_sha256 != link.baseline_sha256
            gone = result.http_status in GONE_STATUSES
            if changed or gone:
                fields["drifted_at"] = now
    retry_in = None
    if not result.ok:
        if result.retryable and attempts < max_attempts():
            retry_in = backoff(attempts, result.retry_after)
            fields["state"] = ReferenceLink.State.PENDING
            fields["error"] = gettext("%(error)s; trying again (attempt %(n)d of %(max)d)") % {
                "error": result.error,
                "n": attempts + 1,
                "max": max_attempts(),
            }
        elif (
            link.state == ReferenceLink.State.FETCHED
            and link.text_sha256
            and result.http_status not in GONE_STATUSES
        ):
            # A re-check that failed for a passing reason keeps the snapshot it had.
            fields["state"] = ReferenceLink.State.FETCHED
        else:
            fields["state"] = result.state
    ReferenceLink.objects.filter(pk=link.pk).update(**fields)
    return Outcome(done=retry_in is None, retry_in=retry_in, reason=result.error)


def links_refetch(links) -> tuple[list[ReferenceLink], dict[str, list[str]]]:
    """Put links back to "pending" for a fresh fetch (the caller queues them after commit);
    refused URLs and fetches under way are skipped, with the reason. Returns (links to queue,
    {reason: [skipped URLs]})."""
    again, skipped = [], {}
    for link in links.select_related(None).only("pk", "url", "state"):
        if link.state == ReferenceLink.State.REFUSED:
            skipped.setdefault(gettext("refused: the address may not be fetched"), []).append(link.url)
        elif link.state == ReferenceLink.State.FETCHING:
            skipped.setdefault(gettext("being fetched right now"), []).append(link.url)
        elif ReferenceLink.objects.filter(pk=link.pk, state=link.state).update(
            state=ReferenceLink.State.PENDING
        ):
            again.append(link)
        else:
            skipped.setdefault(gettext("changed while you were selecting"), []).append(link.url)
    return again, skipped


def set_baselines(claim: Claim) -> None:
    """At a verdict: what the claim's fetched links say now is what it was judged against."""
    for link in claim.links.filter(state=ReferenceLink.State.FETCHED):
        ReferenceLink.objects.filter(pk=link.pk).update(
            baseline_sha256=link.text_sha256, baseline_text=link.text, drifted_at=None
        )


def links_to_sweep(*, older_than: dt.timedelta | None = None) -> list[int]:
    """Links a lost message or a killed worker left behind: pending for a while (by default
    ``VERIFY_FETCH_SWEEP_AFTER`` seconds), or fetching with an expired lease."""
    now = timezone.now()
    if older_than is None:
        older_than = dt.timedelta(seconds=getattr(settings, "VERIFY_FETCH_SWEEP_AFTER", 120))
    stuck = Q(state=ReferenceLink.State.PENDING, added_at__lt=now - older_than, lease_until__isnull=True)
    stuck |= Q(state=ReferenceLink.State.FETCHING, lease_until__lt=now)
    return list(ReferenceLink.objects.filter(stuck).values_list("pk", flat=True)[:5000])


def links_to_recheck() -> list[int]:
    """Evidence links of judged claims, for the periodic link-rot and drift check."""
    return list(
        ReferenceLink.objects.filter(
            claim__verdicts__isnull=False,
            state__in=[ReferenceLink.State.FETCHED, ReferenceLink.State.FAILED],
        )
        .values_list("pk", flat=True)
        .distinct()[:10000]
    )


def drift_diff(link: ReferenceLink, *, context: int = 2) -> list[tuple[str, str]]:
    """Lines of a unified diff between the judged text and the current one, as (kind, line)
    with kind "add", "del", "hunk" or "same"."""
    lines = difflib.unified_diff(
        link.baseline_text.splitlines(), link.text.splitlines(), "judged", "now", n=context, lineterm=""
    )
    out = []
    for line in list(lines)[2:]:
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        out.append((kind, line))
    return out


def link_set_original(*, link, original: bool) -> None:
    """Mark the link where the claim first appeared; a claim has at most one."""
    with transaction.atomic():
        if original:
            ReferenceLink.objects.filter(claim_id=link.claim_id, is_original=True).update(is_original=False)
        ReferenceLink.objects.filter(pk=link.pk).update(is_original=original)
