"""Links under concurrency, with real threads against the real database (SQLite and PostgreSQL):
a lease outlasts the slowest fetch, "Add links" posted at once with the same URLs, and a verdict
recorded while its link is being fetched again."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from tests.base import login, wait_for
from verify import tasks
from verify.models import ReferenceLink
from verify.services.links import link_fetch, links_add, links_to_sweep
from verify.services.review import verdict_record

pytest_plugins = ("tests.httpfixtures",)
pytestmark = pytest.mark.django_db(transaction=True)

STORY = """<html><head><title>Peskov on the rifle</title></head><body><article>
<h1>Putin gave Kim a rifle, Kremlin says</h1>
<p>Kremlin spokesman Dmitry Peskov said on Thursday that President Vladimir Putin presented North
Korean leader Kim Jong Un with a Russian-made rifle of the highest quality.</p>
<p>The two leaders met at the Vostochny Cosmodrome on September 13 and talked for more than five
hours, Peskov told reporters.</p></article></body></html>"""
EDITED = STORY.replace("said on Thursday", "said on Friday")
assert EDITED != STORY


@pytest.fixture
def claim(seed_article):
    return seed_article.claims.get(order=0)


class Runner(threading.Thread):
    """A thread that runs ``fn``, keeps its result or exception, and closes its connections."""

    def __init__(self, fn, *args, **kwargs):
        super().__init__(daemon=True)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.result = self.error = None

    def run(self) -> None:
        try:
            self.result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc
        finally:
            connections.close_all()

    def outcome(self, timeout: float = 60):
        self.join(timeout)
        assert not self.is_alive(), f"{self.fn.__name__} still running after {timeout} s"
        if self.error:
            raise self.error
        return self.result


# --- A lease outlasts the fetch it covers -----------------------------------------------------


def test_the_lease_outlasts_a_fetch_whose_headers_never_end(loopback, claim, settings):
    """One header line every 0.2 s for 40 s: the fetch must end (by its budget) while its lease
    still runs, so the sweeper never hands the link to a second worker meanwhile."""
    settings.VERIFY_FETCH_TOTAL_TIMEOUT = 1
    loopback.dribble_headers("/slow", every=0.2, lines=200)
    (link,) = links_add(article=claim.article, claim=claim, urls=[loopback.url("/slow")], by=None)
    fetching = Runner(link_fetch, link_pk=link.pk)
    fetching.start()
    wait_for(lambda: loopback.request_count, timeout=20, what="the request to reach the server")
    lease = ReferenceLink.objects.get(pk=link.pk).lease_until
    assert link.pk not in links_to_sweep()
    outcome = fetching.outcome()
    ended = timezone.now()

    assert ended < lease, f"the fetch ended {(ended - lease).total_seconds():.0f} s after its lease"
    link.refresh_from_db()
    assert link.state == "pending" and "took longer than 1 s" in link.error and not outcome.done
    assert loopback.request_count == 1


# --- "Add links" posted at once with the same URLs ---------------------------------------------


def test_concurrent_add_links_with_the_same_urls_add_each_once(claim, reviewer, monkeypatch):
    queued: Counter = Counter()
    lock = threading.Lock()

    def queue(task, *args, **kwargs):
        with lock:
            queued[args[0]] += 1
        return True

    monkeypatch.setattr(tasks, "queue", queue)
    threads, rounds = 8, 10
    clients = [login(reviewer) for _ in range(threads)]
    url = reverse("verify:claim_links", args=[claim.pk])
    for round_ in range(rounds):
        urls = "\n".join(f"https://news.example/r{round_}/{n}" for n in range(3))
        start = threading.Barrier(threads)

        def post(client, urls=urls, start=start):
            start.wait(timeout=30)
            return client.post(url, {"urls": urls}, HTTP_HX_REQUEST="true").status_code

        runners = [Runner(post, client) for client in clients]
        for runner in runners:
            runner.start()
        statuses = [runner.outcome() for runner in runners]
        assert statuses == [200] * threads, f"round {round_}: {Counter(statuses)}"

    rows = Counter(ReferenceLink.objects.filter(claim=claim).values_list("url", flat=True))
    assert len(rows) == rounds * 3 and set(rows.values()) == {1}, "one row per URL"
    assert sorted(queued) == sorted(ReferenceLink.objects.filter(claim=claim).values_list("pk", flat=True))
    assert set(queued.values()) == {1}, "each link's fetch queued once, by the request that added it"


@pytest.mark.parametrize("level", ["claim", "article"])
def test_links_added_at_the_same_moment_are_created_once_and_returned_once(claim, level):
    """The service on its own, with no lock taken by a caller: eight callers meet right before
    adding the same URLs (in different orders), on the claim or on the article (a URL ingest's
    links)."""
    threads, rounds = 8, 10
    target = claim if level == "claim" else None
    for round_ in range(rounds):
        urls = [f"https://news.example/{level}/r{round_}/{n}" for n in range(4)]
        meet = threading.Barrier(threads)

        def add(order, urls=urls, meet=meet):
            meet.wait(timeout=30)
            mine = urls[order % 4 :] + urls[: order % 4]
            return [link.url for link in links_add(article=claim.article, claim=target, urls=mine, by=None)]

        runners = [Runner(add, n) for n in range(threads)]
        for runner in runners:
            runner.start()
        created = Counter(url for runner in runners for url in runner.outcome())
        assert created == Counter(urls), f"round {round_}: each URL created by exactly one caller"
    rows = Counter(ReferenceLink.objects.filter(claim=target).values_list("url", flat=True))
    assert len(rows) == rounds * 4 and set(rows.values()) == {1}


def test_links_add_returns_only_the_links_it_created(claim):
    first = links_add(article=claim.article, claim=claim, urls=["https://a.example/1"], by=None)
    again = links_add(
        article=claim.article, claim=claim, urls=["https://a.example/2", "https://a.example/1"] * 2, by=None
    )
    assert [link.url for link in first] == ["https://a.example/1"]
    assert [link.url for link in again] == ["https://a.example/2"] and again[0].pk
    assert claim.links.count() == 2


# --- A verdict recorded while its link is fetched again --------------------------------------------


def _fetched(loopback, claim) -> ReferenceLink:
    loopback.route("/story", body=STORY)
    (link,) = links_add(article=claim.article, claim=claim, urls=[loopback.url("/story")], by=None)
    link_fetch(link_pk=link.pk)
    link.refresh_from_db()
    assert link.state == "fetched"
    return link


def test_a_verdict_given_during_a_refetch_keeps_what_the_reviewer_saw_and_flags_the_change(
    loopback, claim, reviewer
):
    link = _fetched(loopback, claim)
    seen = link.text
    release = loopback.gate("/story", body=EDITED)
    refetch = Runner(link_fetch, link_pk=link.pk, recheck=True)
    refetch.start()
    wait_for(lambda: loopback.request_count == 2, timeout=20, what="the re-fetch to reach the server")
    assert ReferenceLink.objects.get(pk=link.pk).state == "fetching"

    verdict_record(claim=claim, status="corroborated", reviewer=reviewer, expected_version=claim.version)
    release.set()
    refetch.outcome()

    link.refresh_from_db()
    assert link.baseline_text == seen, "the baseline is the text the link had at the verdict"
    assert "said on Friday" in link.text and link.drifted, "the change after the verdict is flagged"


def test_a_refetch_that_ends_after_the_verdict_does_not_move_the_baseline(loopback, claim, reviewer):
    link = _fetched(loopback, claim)
    verdict_record(claim=claim, status="corroborated", reviewer=reviewer, expected_version=claim.version)
    loopback.route("/story", body=EDITED)
    link_fetch(link_pk=link.pk, recheck=True)
    link_fetch(link_pk=link.pk, recheck=True)
    link.refresh_from_db()
    assert link.baseline_sha256 != link.text_sha256 and "said on Thursday" in link.baseline_text
    assert link.drifted


def test_a_link_with_no_text_at_the_verdict_takes_its_first_fetch_as_baseline(loopback, claim, reviewer):
    """The reviewer saw nothing of a link still pending or fetching: the first text fetched after
    the verdict is what the claim stands on, and is not flagged as a change."""
    release = loopback.gate("/story", body=STORY)
    (link,) = links_add(article=claim.article, claim=claim, urls=[loopback.url("/story")], by=None)
    first = Runner(link_fetch, link_pk=link.pk)
    first.start()
    wait_for(lambda: loopback.request_count == 1, timeout=20, what="the first fetch to reach the server")
    verdict_record(claim=claim, status="corroborated", reviewer=reviewer, expected_version=claim.version)
    link.refresh_from_db()
    assert link.baseline_sha256 == "" and link.state == "fetching"
    release.set()
    first.outcome()

    link.refresh_from_db()
    assert link.state == "fetched" and link.baseline_sha256 == link.text_sha256 and not link.drifted
    loopback.route("/story", body=EDITED)
    link_fetch(link_pk=link.pk, recheck=True)
    link.refresh_from_db()
    assert link.drifted and "said on Thursday" in link.baseline_text
