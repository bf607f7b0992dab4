"""The sweeper (``verify.tasks.sweep_fetches``, every minute from beat and when a worker starts)
queues again every kind of pending work a lost message or a killed worker left behind: reference
links and URL ingests alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from tests.base import login, wait_for
from verify import tasks
from verify.models import UrlIngest
from verify.services.url_ingest import url_ingest_request, url_ingests_to_sweep

pytest_plugins = ("tests.httpfixtures",)

STORY = """<html><head><title>Monsoon arrives</title></head><body><article>
<h1>Monsoon arrives early in Kerala</h1>
<p>THIRUVANANTHAPURAM, May 29 (Wire) - Monsoon rains arrived over Kerala three days ahead of
schedule, the India Meteorological Department said on Thursday.</p>
<p>The weather office said conditions were favourable for a further advance of the monsoon.</p>
</article></body></html>"""


def broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_url_ingests_left_pending_or_with_an_expired_lease_are_swept(editor):
    old = timezone.now() - dt.timedelta(minutes=10)
    fresh = url_ingest_request(url="https://news.example/fresh", by=editor)
    pending = url_ingest_request(url="https://news.example/pending", by=editor)
    stuck = url_ingest_request(url="https://news.example/stuck", by=editor)
    running = url_ingest_request(url="https://news.example/running", by=editor)
    done = url_ingest_request(url="https://news.example/done", by=editor)
    UrlIngest.objects.filter(pk__in=[pending.pk, stuck.pk, running.pk, done.pk]).update(requested_at=old)
    UrlIngest.objects.filter(pk=stuck.pk).update(state="fetching", lease_until=old)
    UrlIngest.objects.filter(pk=running.pk).update(
        state="fetching", lease_until=timezone.now() + dt.timedelta(minutes=1)
    )
    UrlIngest.objects.filter(pk=done.pk).update(state="done")

    assert sorted(url_ingests_to_sweep()) == sorted([pending.pk, stuck.pk])
    assert fresh.pk in url_ingests_to_sweep(older_than=dt.timedelta(0))


def test_the_sweep_queues_links_and_url_ingests(editor, settings, monkeypatch):
    settings.VERIFY_FETCH_SWEEP_AFTER = 0
    job = url_ingest_request(url="https://news.example/a", by=editor)
    sent = []
    monkeypatch.setattr(tasks.ingest_url, "delay", lambda pk: sent.append(("ingest_url", pk)))
    monkeypatch.setattr(tasks.fetch_link, "delay", lambda pk: sent.append(("fetch_link", pk)))
    assert tasks.sweep_fetches() == 1
    assert sent == [("ingest_url", job.pk)]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_url_ingest_requested_while_the_broker_was_down_is_swept_and_ingested(
    loopback, editor, settings, monkeypatch, worker
):
    loopback.route("/article", body=STORY)
    monkeypatch.setattr(tasks.ingest_url, "delay_on_commit", broker_down)
    client = login(editor)
    response = client.post(
        reverse("verify:article_new"), {"fetch_url": loopback.url("/article")}, follow=True
    )
    assert "background queue cannot be reached" in response.content.decode()
    job = UrlIngest.objects.get()
    assert job.state == "pending" and loopback.request_count == 0

    monkeypatch.undo()  # the broker is back
    settings.VERIFY_FETCH_SWEEP_AFTER = 0  # what beat's sweeper finds is what is pending now
    tasks.sweep_fetches.delay()
    wait_for(
        lambda: UrlIngest.objects.filter(pk=job.pk, state__in=["done", "failed", "refused"]).exists(),
        timeout=60,
        what="the sweep to queue the ingest and the worker to run it",
        interval=0.2,
    )
    job.refresh_from_db()
    assert job.state == "done", job.error
    assert job.article.claims.filter(text__contains="three days ahead of schedule").exists()
    assert loopback.paths() == ["/article"]
