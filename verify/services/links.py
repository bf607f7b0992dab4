"""Evidence links: who fetches what, when, how often; what a re-fetch says about drift.

The network part is :mod:`verify.fetch` (safe HTTP, page text); this module is the bookkeeping
around it, shared by the Celery tasks, the views and the admin:

1. A link (or URL ingest) is *claimed* by a conditional UPDATE that moves it to "fetching" with a
   lease. Two workers given the same link at once: one wins, the other does nothing; a worker
   killed mid-fetch leaves a lease that expires, and the sweeper hands the link out again. The
   lease outlasts the longest fetch the policy allows (:func:`lease_seconds`), so it never runs
   out under a fetch that is still going.
2. A *host slot* (a row of :class:`HostSlot`) is taken before the request, at most
   ``VERIFY_FETCH_PER_HOST`` per host across all workers, so 40 AFP links do not hammer AFP.
3. The result is stored on the row; retryable failures go back to "pending" with a backoff
   (honouring Retry-After) until ``VERIFY_FETCH_MAX_ATTEMPTS``. Whatever happens, the fetch
   ends in a state with a reason: an unexpected exception is logged and stored as a failure.
4. For claims with verdicts, a re-fetch compares the page with what it said when the claim was
   judged (the baseline, see :func:`set_baselines`) and flags drift or disappearance.

No Celery import here: the tasks decide how to re-queue, these functions say when.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import math
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from verify import fetch
from verify.models import Article, Claim, HostSlot, ReferenceLink, Verdict
from verify.services.policy import fetch_policy

logger = logging.getLogger(__name__)

GONE_STATUSES = {404, 410}
# Seconds a lease lasts beyond the longest fetch: the database work before and after it.
LEASE_MARGIN = 30


def max_attempts() -> int:
    return getattr(settings, "VERIFY_FETCH_MAX_ATTEMPTS", 5)


def sweep_after() -> dt.timedelta:
    """How long work may sit pending before the sweeper queues it again."""
    return dt.timedelta(seconds=getattr(settings, "VERIFY_FETCH_SWEEP_AFTER", 120))


def _slot_seconds(policy: fetch.FetchPolicy) -> int:
    # The slot covers the network part only: the extraction after it asks nothing of the host.
    return math.ceil(policy.total_timeout) + 5


def lease_seconds(policy: fetch.FetchPolicy) -> int:
    """How long a claimed link or URL ingest is held: past the longest fetch ``policy`` allows
    (network budget plus extraction limit), so the sweeper never hands out a fetch still going."""
    return math.ceil(policy.max_duration) + LEASE_MARGIN


def unexpected(url: str, exc: Exception) -> fetch.FetchResult:
    """The failed result stored for an exception nobody expected (a bug), instead of leaving the
    row "fetching" until its lease runs out; the caller logs the traceback."""
    return fetch.FetchResult(
        url=url, state="failed", error=gettext("unexpected error: %(error)s") % {"error": _describe(exc)}
    )


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


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


def take_host_slot(link: ReferenceLink, policy: fetch.FetchPolicy | None = None) -> bool:
    """Take one of the host's slots for this link, or say the host is busy."""
    policy = policy or fetch_policy()
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
            defaults={"host": link.host, "expires_at": now + dt.timedelta(seconds=_slot_seconds(policy))},
        )
    return True


def release_host_slot(link: ReferenceLink) -> None:
    HostSlot.objects.filter(link=link).delete()


# --- Links ------------------------------------------------------------------------------------


def links_add(*, article: Article, urls: list[str], by, claim: Claim | None = None) -> list[ReferenceLink]:
    """Attach URLs to a claim (or the article); returns the links this call created, in the order
    given. A URL already there is skipped, and so is one that a concurrent call adds at the same
    moment: one row per URL, returned by the one call that created it (the caller queues the
    fetch of what it gets, after commit, so each fetch is queued once).

    Each insert is its own savepoint, and a unique-constraint conflict means someone else won.
    PostgreSQL makes an insert that collides with another transaction's wait for it, so the URLs
    go in sorted order: two calls with the same URLs in different orders queue behind each other
    instead of deadlocking. SQLite's IMMEDIATE transaction serialises the whole call."""
    wanted = list(dict.fromkeys(urls))
    same = ReferenceLink.objects.filter(article=article, claim=claim)
    created: dict[str, ReferenceLink] = {}
    with transaction.atomic():
        existing = set(same.filter(url__in=wanted).values_list("url", flat=True))
        for url in sorted(set(wanted) - existing):
            try:
                with transaction.atomic():
                    created[url] = ReferenceLink.objects.create(
                        article=article, claim=claim, url=url, added_by=by
                    )
            except IntegrityError:
                if not same.filter(url=url).exists():
                    raise  # not the one-URL-per-claim rule: a real error
    return [created[url] for url in wanted if url in created]


def _claim_link(pk: int, *, recheck: bool, lease: int | None = None) -> ReferenceLink | None:
    """Move the link to "fetching" if nobody else holds it; None if it is not ours to fetch."""
    now = timezone.now()
    takeable = Q(state=ReferenceLink.State.PENDING) | Q(
        state=ReferenceLink.State.FETCHING, lease_until__lt=now
    )
    if recheck:
        takeable |= Q(state__in=[ReferenceLink.State.FETCHED, ReferenceLink.State.FAILED])
    until = now + dt.timedelta(seconds=lease if lease is not None else lease_seconds(fetch_policy()))
    if not ReferenceLink.objects.filter(takeable, pk=pk).update(
        state=ReferenceLink.State.FETCHING, lease_until=until
    ):
        return None
    return ReferenceLink.objects.select_related("claim").get(pk=pk)


def link_fetch(*, link_pk: int, recheck: bool = False) -> Outcome:
    """Fetch one reference link (see the module docstring for the steps)."""
    policy = fetch_policy()
    link = _claim_link(link_pk, recheck=recheck, lease=lease_seconds(policy))
    if link is None:
        return Outcome(done=True, reason="taken by another worker, or already done")
    if not take_host_slot(link, policy):
        ReferenceLink.objects.filter(pk=link.pk).update(state=ReferenceLink.State.PENDING, lease_until=None)
        return Outcome(done=False, retry_in=random.uniform(0.2, 0.8), reason=f"{link.host} is busy")
    try:
        result = fetch.fetch(link.url, policy=policy)
    except Exception as exc:
        logger.exception("fetching link %s (%s) failed unexpectedly", link.pk, link.url)
        result = unexpected(link.url, exc)
    finally:
        release_host_slot(link)
    return _store(link.pk, result)


def _store(pk: int, result: fetch.FetchResult) -> Outcome:
    """Write the result on the link, deciding retries, the kept snapshot and drift from the row
    as it is now (locked meanwhile): a verdict may have set the baseline since the fetch began."""
    now = timezone.now()
    with transaction.atomic():
        link = ReferenceLink.objects.select_for_update().filter(pk=pk).first()
        if link is None:
            return Outcome(done=True, reason="the link was deleted meanwhile")
        attempts = link.attempts + 1
        fields = {
            "attempts": attempts,
            "lease_until": None,
            "http_status": result.http_status,
            "error": result.error or result.warning,
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
        fields.update(_against_baseline(link, result, now))
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
            elif link.text_sha256 and result.state == "failed" and result.http_status not in GONE_STATUSES:
                # A re-check that failed for a passing reason keeps the snapshot it had (a refusal
                # or a page gone does not).
                fields["state"] = ReferenceLink.State.FETCHED
            else:
                fields["state"] = result.state
        ReferenceLink.objects.filter(pk=pk).update(**fields)
    return Outcome(done=retry_in is None, retry_in=retry_in, reason=result.error)


def _against_baseline(link: ReferenceLink, result: fetch.FetchResult, now) -> dict:
    """Baseline and drift fields for a fetch result of a judged claim's link. A fetch never
    replaces a baseline: it compares with it, and flags a changed text or a page gone. Only a
    link that had no text when the verdict was given (its baseline empty) takes the first text
    fetched after the verdict as its baseline."""
    if link.claim_id is None or not Verdict.objects.filter(claim_id=link.claim_id).exists():
        return {}
    if not link.baseline_sha256:
        return {"baseline_sha256": result.text_sha256, "baseline_text": result.text} if result.ok else {}
    changed = result.ok and result.text_sha256 != link.baseline_sha256
    if link.drifted_at is None and (changed or result.http_status in GONE_STATUSES):
        return {"drifted_at": now}
    return {}


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
    """At a verdict: each of the claim's links is judged against the text it has now — the
    snapshot the reviewer could see —, also while a re-fetch is under way: a fetch that ends
    after the verdict compares with it and never replaces it (:func:`_against_baseline`).

    A link with no text yet (pending, or fetching for the first time) showed the reviewer
    nothing: its baseline becomes empty, and the first text fetched after the verdict becomes
    it. One UPDATE from the rows' own columns, so a fetch storing its result at the same moment
    (it locks the row) lands wholly before the verdict or wholly after it."""
    ReferenceLink.objects.filter(claim=claim).update(
        baseline_sha256=F("text_sha256"), baseline_text=F("text"), drifted_at=None
    )


def left_behind(rows: QuerySet, *, since: str, older_than: dt.timedelta | None = None) -> list[int]:
    """Work a lost message or a killed worker left behind: pending for a while (``since``, the
    field saying when it was asked for; by default ``VERIFY_FETCH_SWEEP_AFTER`` seconds ago, so
    work asked for while the broker was down is included), or fetching with an expired lease.
    Links and URL ingests share these states and leases."""
    now = timezone.now()
    if older_than is None:
        older_than = sweep_after()
    # (ReferenceLink.State and UrlIngest.State are the same fetch states, see models.links._fetch_states)
    pending, fetching = ReferenceLink.State.PENDING, ReferenceLink.State.FETCHING
    stuck = Q(state=pending, lease_until__isnull=True, **{f"{since}__lt": now - older_than})
    stuck |= Q(state=fetching, lease_until__lt=now)
    return list(rows.filter(stuck).values_list("pk", flat=True)[:5000])


def links_to_sweep(*, older_than: dt.timedelta | None = None) -> list[int]:
    """Links left behind (see :func:`left_behind`)."""
    return left_behind(ReferenceLink.objects.all(), since="added_at", older_than=older_than)


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
