"""Evidence links end to end: services, views and a real worker, against a real local server."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.base import login, wait_for
from verify import fetch
from verify.models import Article, HostSlot, ReferenceLink, UrlIngest
from verify.services.links import (
    _claim_link,
    drift_diff,
    link_fetch,
    links_add,
    links_to_recheck,
    links_to_sweep,
    release_host_slot,
    take_host_slot,
)
from verify.services.review import verdict_record
from verify.services.url_ingest import url_ingest_request, url_ingest_run

pytest_plugins = ("tests.httpfixtures",)

STORY = """<html><head><title>Peskov on the rifle</title></head><body><nav>Home | World</nav>
<article><h1>Putin gave Kim a rifle, Kremlin says</h1>
<p>VLADIVOSTOK, September 14 (TASS). Kremlin spokesman Dmitry Peskov said on Thursday that President
Vladimir Putin presented North Korean leader Kim Jong Un with a Russian-made rifle of the highest quality.</p>
<p>Kim in turn gave Putin a rifle made in North Korea, Peskov told reporters. The two leaders met at
the Vostochny Cosmodrome on September 13 and talked for more than five hours.</p>
<p>Earlier coverage: <a href="https://tass.com/politics/1675913">TASS</a> and
<a href="https://www.yna.co.kr/view/AEN20230914">Yonhap</a>.</p></article>
<footer><a href="/privacy">Privacy</a></footer></body></html>"""


@pytest.fixture
def claim(seed_article):
    return seed_article.claims.get(order=0)


def add_link(claim, url, by=None) -> ReferenceLink:
    return links_add(article=claim.article, claim=claim, urls=[url], by=by)[0]


# --- Services ---------------------------------------------------------------------------------


def test_a_link_is_fetched_and_its_main_text_kept(loopback, claim):
    loopback.route("/story", body=STORY)
    link = add_link(claim, loopback.url("/story"))
    outcome = link_fetch(link_pk=link.pk)
    link.refresh_from_db()
    assert outcome.done and link.state == "fetched" and link.http_status == 200
    assert "Dmitry Peskov said on Thursday" in link.text and "Home | World" not in link.text
    assert link.title == "Peskov on the rifle" and len(link.text_sha256) == 64
    assert link.attempts == 1 and link.fetched_at and link.lease_until is None
    assert not HostSlot.objects.exists(), "the host slot is given back"


def test_a_server_error_is_retried_with_backoff_then_succeeds(loopback, claim):
    answers = iter([500, 200])

    def flaky(handler):
        status = next(answers)
        body = (STORY if status == 200 else "oops").encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    loopback.route_fn("/flaky", flaky)
    link = add_link(claim, loopback.url("/flaky"))
    first = link_fetch(link_pk=link.pk)
    link.refresh_from_db()
    assert not first.done and 4 <= first.retry_in <= 6
    assert link.state == "pending" and "HTTP 500" in link.error and "attempt 2 of 5" in link.error
    second = link_fetch(link_pk=link.pk)
    link.refresh_from_db()
    assert second.done and link.state == "fetched" and link.attempts == 2 and link.error == ""


def test_429_waits_at_least_what_retry_after_says(loopback, claim):
    loopback.route("/busy", status=429, body="slow down", headers={"Retry-After": "120"})
    link = add_link(claim, loopback.url("/busy"))
    assert link_fetch(link_pk=link.pk).retry_in >= 120


def test_a_404_fails_at_once_without_retry(loopback, claim):
    loopback.route("/gone", status=404, body="no")
    link = add_link(claim, loopback.url("/gone"))
    outcome = link_fetch(link_pk=link.pk)
    link.refresh_from_db()
    assert outcome.done and outcome.retry_in is None and link.state == "failed" and "404" in link.error


def test_attempts_stop_at_the_limit(loopback, claim, settings):
    settings.VERIFY_FETCH_MAX_ATTEMPTS = 2
    loopback.route("/down", status=503, body="down")
    link = add_link(claim, loopback.url("/down"))
    assert link_fetch(link_pk=link.pk).retry_in is not None
    assert link_fetch(link_pk=link.pk).retry_in is None
    link.refresh_from_db()
    assert link.state == "failed" and link.attempts == 2


def test_a_private_address_is_refused_with_the_reason_and_never_contacted(claim, http_server):
    link = add_link(claim, "http://169.254.169.254/latest/meta-data/")
    outcome = link_fetch(link_pk=link.pk)
    link.refresh_from_db()
    assert outcome.done and link.state == "refused" and "link-local" in link.error
    assert http_server.request_count == 0


def test_the_same_link_twice_at_once_is_fetched_by_one_worker(loopback, claim):
    loopback.route("/story", body=STORY)
    link = add_link(claim, loopback.url("/story"))
    assert _claim_link(link.pk, recheck=False) is not None
    assert _claim_link(link.pk, recheck=False) is None, "the second worker gets nothing"
    assert link_fetch(link_pk=link.pk).reason.startswith("taken by another worker")
    assert loopback.request_count == 0


def test_a_host_gets_no_more_than_its_share_of_requests(loopback, claim, settings):
    settings.VERIFY_FETCH_PER_HOST = 1
    loopback.route("/a", body=STORY)
    loopback.route("/b", body=STORY)
    first, second = add_link(claim, loopback.url("/a")), add_link(claim, loopback.url("/b"))
    assert take_host_slot(first)
    outcome = link_fetch(link_pk=second.pk)
    second.refresh_from_db()
    assert not outcome.done and outcome.retry_in <= 2 and "busy" in outcome.reason
    assert second.state == "pending" and loopback.request_count == 0
    release_host_slot(first)
    assert link_fetch(link_pk=second.pk).done


def test_a_killed_worker_leaves_a_lease_that_expires(loopback, claim):
    loopback.route("/story", body=STORY)
    link = add_link(claim, loopback.url("/story"))
    _claim_link(link.pk, recheck=False)  # a worker took it, then died
    assert link.pk not in links_to_sweep()
    ReferenceLink.objects.filter(pk=link.pk).update(lease_until=link.added_at)  # the lease ran out
    assert link.pk in links_to_sweep()
    assert link_fetch(link_pk=link.pk).done
    link.refresh_from_db()
    assert link.state == "fetched"


def test_drift_and_link_rot_after_a_verdict_are_flagged(loopback, claim, reviewer):
    loopback.route("/story", body=STORY)
    link = add_link(claim, loopback.url("/story"))
    link_fetch(link_pk=link.pk)
    verdict_record(claim=claim, status="corroborated", reviewer=reviewer, expected_version=claim.version)
    link.refresh_from_db()
    assert link.baseline_sha256 == link.text_sha256 and not link.drifted
    assert link.pk in links_to_recheck()
    # Unchanged page: no flag.
    link_fetch(link_pk=link.pk, recheck=True)
    link.refresh_from_db()
    assert not link.drifted
    # The page is edited: flagged, with a diff.
    loopback.route("/story", body=STORY.replace("more than five hours", "about three hours"))
    link_fetch(link_pk=link.pk, recheck=True)
    link.refresh_from_db()
    assert link.drifted
    diff = drift_diff(link)
    assert ("del", next(line for k, line in diff if k == "del")) in diff
    assert any("about three hours" in line for kind, line in diff if kind == "add")


def test_a_page_that_disappears_after_the_verdict_is_flagged(loopback, claim, reviewer):
    loopback.route("/story", body=STORY)
    link = add_link(claim, loopback.url("/story"))
    link_fetch(link_pk=link.pk)
    verdict_record(claim=claim, status="corroborated", reviewer=reviewer, expected_version=claim.version)
    loopback.route("/story", status=410, body="gone")
    link_fetch(link_pk=link.pk, recheck=True)
    link.refresh_from_db()
    assert link.drifted and link.state == "failed" and link.http_status == 410


def test_an_article_ingested_by_url_brings_its_links(loopback, editor):
    loopback.route("/article", body=STORY)
    job = url_ingest_request(url=loopback.url("/article"), by=editor)
    outcome = url_ingest_run(pk=job.pk)
    job.refresh_from_db()
    assert outcome.done and job.state == "done", job.error
    article = job.article
    assert article.source_url == loopback.url("/article") and article.language == "en"
    assert article.claims.filter(text__contains="Dmitry Peskov said on Thursday").exists()
    urls = set(article.links.filter(claim=None).values_list("url", flat=True))
    assert urls == {"https://tass.com/politics/1675913", "https://www.yna.co.kr/view/AEN20230914"}


def test_an_article_url_that_is_refused_says_why(editor):
    job = url_ingest_request(url="http://10.1.2.3/internal", by=editor)
    url_ingest_run(pk=job.pk)
    job.refresh_from_db()
    assert job.state == "refused" and "private" in job.error and not Article.objects.exists()


# --- Every fetch ends in a state with a reason ---------------------------------------------------


def test_a_link_to_a_page_in_an_exotic_charset_is_fetched_not_stuck(loopback, claim):
    loopback.route("/idna", body=STORY, content_type="text/html; charset=idna")
    link = add_link(claim, loopback.url("/idna"))
    outcome = link_fetch(link_pk=link.pk)
    link.refresh_from_db()
    assert outcome.done and link.state == "fetched" and "Dmitry Peskov" in link.text
    assert link.pk not in links_to_sweep(older_than=dt.timedelta(0))


def test_an_article_url_in_an_exotic_charset_is_ingested(loopback, editor):
    page = STORY.replace("<head>", '<head><meta charset="undefined">')
    loopback.route("/article", body=page, content_type="text/html")
    job = url_ingest_request(url=loopback.url("/article"), by=editor)
    url_ingest_run(pk=job.pk)
    job.refresh_from_db()
    assert job.state == "done", job.error


def test_an_unexpected_error_in_a_fetch_fails_the_link_with_the_error(loopback, claim, monkeypatch, caplog):
    def broken(url, *, policy):
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(fetch, "fetch", broken)
    link = add_link(claim, loopback.url("/story"))
    outcome = link_fetch(link_pk=link.pk)
    link.refresh_from_db()
    assert outcome.done and link.state == "failed" and link.lease_until is None
    assert "RuntimeError: something nobody expected" in link.error and link.attempts == 1
    assert not HostSlot.objects.exists(), "the host slot is given back"
    assert "something nobody expected" in caplog.text, "and the traceback is logged"


def test_an_unexpected_error_in_a_url_ingest_fails_it_with_the_error(loopback, editor, monkeypatch):
    from verify.services import articles

    def broken(**kwargs):
        raise RuntimeError("the extractor fell over")

    loopback.route("/article", body=STORY)
    monkeypatch.setattr(articles, "article_ingest", broken)
    job = url_ingest_request(url=loopback.url("/article"), by=editor)
    assert url_ingest_run(pk=job.pk).done
    job.refresh_from_db()
    assert job.state == "failed" and job.lease_until is None
    assert "RuntimeError: the extractor fell over" in job.error


# --- Views ------------------------------------------------------------------------------------


def test_a_reviewer_adds_links_and_the_row_polls_until_they_are_fetched(
    loopback, claim, reviewer, django_capture_on_commit_callbacks
):
    loopback.route("/story", body=STORY)
    client = login(reviewer)
    url = reverse("verify:claim_links", args=[claim.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, {"urls": loopback.url("/story")}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'hx-trigger="every 2s"' in html and "Pending" in html
    assert len(callbacks) == 1, "the fetch is queued once the link is committed"
    link = ReferenceLink.objects.get(claim=claim)
    link_fetch(link_pk=link.pk)
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in html, "polling stops when every link is done"
    assert "Fetched" in html and "Peskov on the rifle" in html


def test_a_refused_link_shows_its_reason_in_the_row(claim, reviewer):
    link = add_link(claim, "http://127.0.0.1/admin/")
    link_fetch(link_pk=link.pk)
    html = login(reviewer).get(reverse("verify:claim_links", args=[claim.pk])).content.decode()
    assert "Refused" in html and "loopback" in html


def test_viewers_cannot_add_links(claim, viewer):
    response = login(viewer).post(
        reverse("verify:claim_links", args=[claim.pk]), {"urls": "https://tass.com/x"}
    )
    assert response.status_code == 403 and not ReferenceLink.objects.exists()


def test_matching_passages_are_shown_with_the_shared_terms(loopback, claim, viewer):
    loopback.route("/story", body=STORY)
    link = add_link(claim, loopback.url("/story"))
    link_fetch(link_pk=link.pk)
    html = login(viewer).get(reverse("verify:link_evidence", args=[link.pk])).content.decode()
    assert "score" in html and re.search(r"<mark>(Dmitry )?Peskov</mark>", html)
    assert "<mark>September 14</mark>" in html, "the claim's date (14 सितंबर) is found in English"
    first = html.index("<li>")
    assert "spokesman" in html[first : html.index("</li>", first)], "the best passage comes first"


def test_marking_the_original_link_keeps_one_per_claim(claim, reviewer):
    first, second = add_link(claim, "https://tass.com/a"), add_link(claim, "https://tass.com/b")
    client = login(reviewer)
    client.post(reverse("verify:link_original", args=[first.pk]), HTTP_HX_REQUEST="true")
    client.post(reverse("verify:link_original", args=[second.pk]), HTTP_HX_REQUEST="true")
    assert list(claim.links.filter(is_original=True).values_list("pk", flat=True)) == [second.pk]


def test_an_editor_ingests_by_url_and_follows_the_progress(
    loopback, editor, django_capture_on_commit_callbacks
):
    loopback.route("/article", body=STORY)
    client = login(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("verify:article_new"), {"fetch_url": loopback.url("/article")})
    job = UrlIngest.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert len(callbacks) == 1
    page = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in page
    url_ingest_run(pk=job.pk)
    done = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    job.refresh_from_db()
    assert done["HX-Redirect"] == job.article.get_absolute_url()


# --- A real worker ------------------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_fetches_a_batch_of_links_end_to_end(loopback, claim, settings, worker):
    settings.VERIFY_FETCH_PER_HOST = 4
    for i in range(12):
        loopback.route(f"/story/{i}", body=STORY.replace("Thursday", f"day {i}"))
    links = links_add(
        article=claim.article, claim=claim, urls=[loopback.url(f"/story/{i}") for i in range(12)], by=None
    )
    from verify.tasks import fetch_link

    for link in links:
        fetch_link.delay(link.pk)
    wait_for(
        lambda: ReferenceLink.objects.filter(state="fetched").count() == 12,
        timeout=60,
        what="the worker to fetch the 12 links",
        interval=0.2,
    )
    states = list(ReferenceLink.objects.values_list("state", flat=True))
    assert states == ["fetched"] * 12
    assert sorted(loopback.paths()) == sorted(f"/story/{i}" for i in range(12)), "each page fetched once"


def test_a_verdict_is_saved_and_the_reviewer_told_when_the_queue_is_down(claim, reviewer, monkeypatch):
    from kombu.exceptions import OperationalError

    from verify import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.fetch_link, "delay_on_commit", broker_down)
    response = login(reviewer).post(
        reverse("verify:claim_verdict", args=[claim.pk]),
        {"status": "disputed", "version": claim.version, "evidence": "https://tass.com/politics/1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "background queue cannot be reached" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "disputed"
    link = ReferenceLink.objects.get(claim=claim)
    assert link.state == "pending", "the sweeper queues it once the broker is back"
