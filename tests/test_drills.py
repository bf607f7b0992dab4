"""Fault drills: what reviewers see, and what the database ends up holding, when the pieces
around the web process fail under them.

1. The broker (Redis) dies while reviewers post verdicts with evidence links, then comes back.
2. The database connection is dropped in the middle of a request (and between requests).
3. Two reviewers post conflicting verdicts on the same 50 claims at the same time.

Each drill runs in both CI configurations (SQLite + filesystem broker, and PostgreSQL + Redis).
The broker drill always uses a throwaway ``redis-server`` of its own on a free port, never the
machine's shared Redis, because it has to kill and restart the server.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.base import article_of_sentences, login, make_user, wait_for
from verify.models import Article, Claim, ReferenceLink, Verdict
from verify.services.links import links_add

pytest_plugins = ("tests.httpfixtures",)

# As tests/conftest.py: in CI a skip counts as a failure, so a missing redis-server fails there.
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SETTINGS_FILE = str(Path(__file__).resolve().parent.parent / "verify" / "settings.py")
QUEUE_DOWN_ROW = "background queue cannot be reached"
# Seconds a verdict POST may spend on a piece behind it that fails (the broker's connect and
# socket timeouts, the publish retry, a dropped database connection): a reviewer waits for it.
POST_BUDGET = 5.0


def post_budget(baseline: float) -> float:
    """Seconds a request may take when a piece behind it fails: POST_BUDGET spent on that piece,
    plus three times ``baseline``, what a request of the same client took with nothing failing,
    measured in the same test (a loaded CI machine slows both alike)."""
    return POST_BUDGET + 3 * baseline


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_verdict(client: Client, claim_pk: int, *, status: str, version: int, evidence: str = ""):
    return client.post(
        reverse("verify:claim_verdict", args=[claim_pk]),
        {"status": status, "version": version, "evidence": evidence},
        HTTP_HX_REQUEST="true",
    )


# --- Drill 1: the broker goes away while reviewers work -----------------------------------------


class ThrowawayRedis:
    """A ``redis-server`` of this test's own, on a free port of 127.0.0.1, with no persistence
    (a killed server comes back empty, as a crashed broker without AOF would)."""

    def __init__(self, executable: str, workdir) -> None:
        self.executable = executable
        self.workdir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(
            lambda: self._answers() or self.proc.poll() is not None,
            timeout=10,
            what=f"redis-server to answer on port {self.port}",
        )
        if self.proc.poll() is not None:
            pytest.fail(f"redis-server exited with {self.proc.returncode} (port {self.port} taken?)")

    def freeze(self) -> None:
        """SIGSTOP: the server keeps its sockets open and the kernel still completes new TCP
        handshakes, but nothing answers; a hung host, or a failover behind a NAT, looks alike."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM kill would: no goodbye to connected clients."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        wait_for(lambda: not self._answers(), timeout=5, what="the killed redis-server to stop answering")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGCONT)  # a frozen server acts on SIGTERM only once resumed
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


@pytest.fixture
def throwaway_redis(tmp_path) -> Iterator[ThrowawayRedis]:
    executable = shutil.which("redis-server")
    if executable is None:
        message = (
            "redis-server is not on PATH: the broker drill starts (and kills) a Redis of its own; "
            "install it (apt-get install redis-server)"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    server = ThrowawayRedis(executable, tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def redis_transport_options() -> dict:
    """The ``broker_transport_options`` verify's settings give a Redis broker, whatever broker
    this test run is configured with: ``verify/settings.py`` evaluated again with a Redis URL."""
    import runpy

    saved = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = "redis://127.0.0.1:6379/0"
    try:
        namespace = runpy.run_path(SETTINGS_FILE, run_name="verify_settings_for_redis")
    finally:
        if saved is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved
    return dict(namespace["CELERY_BROKER_TRANSPORT_OPTIONS"])


BROKER_ENV = ("CELERY_BROKER_URL", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL")


@contextlib.contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Point the Celery app at another broker for the duration, then put everything back.

    Celery reads ``CELERY_BROKER_URL`` from the environment before its own configuration (see
    ``celery.app.utils.Settings.broker_url``), so the variable is replaced too. The app caches a
    connection pool (``app._pool``) and a producer pool (``app.amqp._producer_pool``) built from
    the URL at first use; both are set aside so the next publish builds fresh ones for ``url``,
    and put back afterwards (kombu keeps one pool per broker address, so the originals are still
    the right ones for the original broker).
    """
    from verify.celery import app

    conf = app.conf
    options = redis_transport_options() if url.startswith("redis") else {}
    saved_env = {name: os.environ.get(name) for name in BROKER_ENV}
    # broker_transport too: on the embedded broker it names verify's filesystem transport class,
    # which would otherwise be used for the Redis URL.
    saved_conf = {key: conf[key] for key in ("broker_url", "broker_transport_options", "broker_transport")}
    saved_pools = (app._pool, app.amqp._producer_pool)
    for name in BROKER_ENV:
        os.environ.pop(name, None)
    os.environ["CELERY_BROKER_URL"] = url
    conf.broker_url = url
    conf.broker_transport_options = options
    conf.broker_transport = None
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        for pool in (app.amqp._producer_pool, app._pool):
            if pool is not None:
                with contextlib.suppress(Exception):
                    pool.force_close_all()
        app._pool, app.amqp._producer_pool = saved_pools
        conf.broker_url = saved_conf["broker_url"]
        conf.broker_transport_options = saved_conf["broker_transport_options"]
        conf.broker_transport = saved_conf["broker_transport"]
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def loopback(loopback, settings):
    """The shared loopback server, with room for four requests at once to it."""
    settings.VERIFY_FETCH_PER_HOST = 4
    return loopback


PAGE = """<html><head><title>Evidence page {i}</title></head><body><article>
<h1>Evidence page {i}</h1><p>The ministry said on Thursday that {i} districts reported higher
turnout than in the previous election, according to figures released in the capital.</p>
</article></body></html>"""


def link_states(claim: Claim) -> list[str]:
    return list(claim.links.order_by("pk").values_list("state", flat=True))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_drill_broker_down_verdicts_still_save_and_links_are_fetched_when_it_returns(
    seed_article, reviewer, loopback, throwaway_redis, celery_queue, settings
):
    """Redis is SIGKILLed while a reviewer records verdicts with evidence links.

    Proves: with the broker up, a verdict queues its links' fetches; with it down, a verdict POST
    still answers 200 within a few seconds more than with it up (no hang on the broker; see
    ``post_budget``), the verdict is saved, the row says the background queue cannot be
    reached, and the links stay "pending". When Redis is back (empty: without persistence the
    messages queued before the crash are lost too), the sweeper (``verify.tasks.sweep_fetches``)
    queues every pending link again and a real worker fetches each page exactly once.

    The drill uses a throwaway ``redis-server`` on a free port in BOTH CI configurations: on the
    SQLite + filesystem-broker run too, because a filesystem broker cannot be "stopped", and the
    machine's shared Redis must not be killed under other test runs. The Celery app is pointed at
    the throwaway server for this test only (see ``celery_broker``).
    """
    from celery.contrib.testing.worker import start_worker

    from verify import tasks
    from verify.celery import app

    claims = list(seed_article.claims.order_by("order")[:4])
    assert len(claims) == 4, "the seed article has at least four claims"
    for i in range(8):
        loopback.route(f"/page/{i}", body=PAGE.format(i=i))
    client = login(reviewer)
    settings.VERIFY_FETCH_SWEEP_AFTER = 0  # what beat's sweeper finds is what is pending now

    with celery_broker(throwaway_redis.url):
        # Broker up: the verdict is saved and its links' fetches queued (nobody consumes yet).
        baseline = 0.0
        for n, claim in enumerate(claims[:2]):
            evidence = f"{loopback.url(f'/page/{2 * n}')}\n{loopback.url(f'/page/{2 * n + 1}')}"
            started = time.monotonic()
            response = post_verdict(client, claim.pk, status="corroborated", version=0, evidence=evidence)
            baseline = max(baseline, time.monotonic() - started)
            html = response.content.decode()
            assert response.status_code == 200 and QUEUE_DOWN_ROW not in html
            assert link_states(claim) == ["pending", "pending"]

        throwaway_redis.kill()

        # Broker down: every verdict is still saved, promptly, and the row says why links wait.
        for n, claim in enumerate(claims[2:], start=2):
            evidence = f"{loopback.url(f'/page/{2 * n}')}\n{loopback.url(f'/page/{2 * n + 1}')}"
            started = time.monotonic()
            response = post_verdict(client, claim.pk, status="disputed", version=0, evidence=evidence)
            elapsed = time.monotonic() - started
            html = response.content.decode()
            assert response.status_code == 200, html[:2000]
            assert elapsed < post_budget(baseline), (
                f"a verdict POST with the broker down took {elapsed:.1f}s (with it up {baseline:.1f}s)"
            )
            assert QUEUE_DOWN_ROW in html
            assert 'class="badge link-state">Pending' in html
            claim.refresh_from_db()
            assert claim.status == "disputed" and claim.version == 1
            assert Verdict.objects.filter(claim=claim).count() == 1
            assert link_states(claim) == ["pending", "pending"]

        throwaway_redis.start()  # same port, empty

        # The sweeper (beat runs it every minute) queues every pending link again.
        assert tasks.sweep_fetches() == 8
        assert loopback.request_count == 0

        with start_worker(
            app,
            pool="threads",
            concurrency=4,
            perform_ping_check=False,
            queues=[celery_queue],
            shutdown_timeout=15,
        ):
            wait_for(
                lambda: ReferenceLink.objects.filter(state="fetched").count() == 8,
                timeout=20,
                what="the worker to fetch the 8 evidence pages",
                interval=0.1,
            )
    states = dict(ReferenceLink.objects.values_list("url", "state"))
    assert set(states.values()) == {"fetched"}, states
    assert sorted(loopback.paths()) == sorted(f"/page/{i}" for i in range(8)), "each page once"
    for claim in claims:
        claim.refresh_from_db()
        assert claim.version == 1 and claim.verdicts.count() == 1
    # The app's broker settings are back as they were.
    from django.conf import settings as django_settings

    assert app.conf.broker_url == django_settings.CELERY_BROKER_URL


@pytest.mark.django_db(transaction=True)
def test_drill_broker_outage_warnings_are_said_once_and_not_after_it(seed_article, reviewer, throwaway_redis):
    """During an outage each failure is said once, where the reviewer is looking; once the
    broker is back, the next page does not still say the queue cannot be reached.

    Runs against a throwaway ``redis-server`` in both CI configurations (see the broker drill)."""
    from verify.views import QUEUE_DOWN

    first, second, third = seed_article.claims.order_by("order")[:3]
    client = login(reviewer)
    flash = str(QUEUE_DOWN)
    with celery_broker(throwaway_redis.url):
        throwaway_redis.kill()
        for claim in (first, second):
            response = post_verdict(
                client, claim.pk, status="disputed", version=0, evidence="https://tass.com/politics/1"
            )
            assert response.status_code == 200 and QUEUE_DOWN_ROW in response.content.decode()
        # Another reviewer session: a plain-form (no JavaScript) link POST redirects to the
        # page, which should say it once.
        response = login(reviewer).post(
            reverse("verify:claim_links", args=[third.pk]), {"urls": "https://tass.com/x"}, follow=True
        )
        assert response.status_code == 200
        said_for_the_link = response.content.decode().count(flash)
        throwaway_redis.start()
        page = client.get(seed_article.get_absolute_url()).content.decode()
    stale = page.count(flash)
    assert said_for_the_link == 1, f"the link POST's page says the queue is down {said_for_the_link} times"
    assert stale == 0, f"the first page loaded after the outage says the queue is down {stale} times"


def run_bounded(fn: Callable[[], object], timeout: float) -> tuple[threading.Thread, dict]:
    """Run ``fn`` in a thread (with its own database connection, closed at the end) and wait at
    most ``timeout`` seconds; the outcome dict gets "result" or "error", and "elapsed"."""
    outcome: dict = {}

    def target() -> None:
        started = time.monotonic()
        try:
            outcome["result"] = fn()
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            outcome["elapsed"] = time.monotonic() - started
            connection.close()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout=timeout)
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_drill_frozen_broker_does_not_hang_a_verdict_post(seed_article, reviewer, throwaway_redis):
    """Redis stops answering without closing its connections (SIGSTOP; a hung host, a failover
    or a NAT/firewall timeout look the same to a client). The reviewer's verdict POST must still
    answer within ``post_budget`` of the POST before the freeze, saved, with the row saying the
    queue cannot be reached.

    Runs against a throwaway ``redis-server`` in both CI configurations (see the broker drill)."""
    first, claim = seed_article.claims.order_by("order")[:2]
    client = login(reviewer)
    evidence = "https://tass.com/politics/1\nhttps://www.yna.co.kr/view/AEN20230914"
    with celery_broker(throwaway_redis.url):
        # The app has been publishing: its pool holds a connection to the broker.
        started = time.monotonic()
        response = post_verdict(client, first.pk, status="corroborated", version=0, evidence=evidence)
        budget = post_budget(time.monotonic() - started)
        assert response.status_code == 200 and QUEUE_DOWN_ROW not in response.content.decode()
        throwaway_redis.freeze()
        try:
            thread, outcome = run_bounded(
                lambda: post_verdict(client, claim.pk, status="disputed", version=0, evidence=evidence),
                timeout=budget + 1,
            )
            blocked = thread.is_alive()
        finally:
            throwaway_redis.kill()  # its sockets close: a publish blocked on them fails at last
        thread.join(timeout=30)
        assert not thread.is_alive(), "the verdict POST is still blocked after Redis was killed"
    assert "error" not in outcome, outcome.get("error")
    response = outcome["result"]
    assert response.status_code == 200
    assert QUEUE_DOWN_ROW in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "disputed" and link_states(claim) == ["pending", "pending"]
    assert not blocked and outcome["elapsed"] < budget, (
        f"a verdict POST with Redis frozen took {outcome['elapsed']:.1f}s (budget {budget:.1f}s) "
        f"({'it only ended when Redis was killed' if blocked else 'timed out by itself'})"
    )


# --- Drill 2: the database connection is dropped ------------------------------------------------


@contextlib.contextmanager
def request_boundaries_as_a_wsgi_server() -> Iterator[None]:
    """Django closes broken and expired connections at the start and end of every request
    (``close_old_connections`` on ``request_started``/``request_finished``); that, with
    CONN_HEALTH_CHECKS, is what lets the next request recover. The test client disconnects that
    receiver around its requests (they share the test's connection); a real WSGI server does
    not, so the drill connects it again under a receiver of its own for its duration."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    def receiver(**kwargs) -> None:
        close_old_connections()

    request_started.connect(receiver, dispatch_uid="drill-request-started")
    request_finished.connect(receiver, dispatch_uid="drill-request-finished")
    try:
        yield
    finally:
        request_started.disconnect(dispatch_uid="drill-request-started")
        request_finished.disconnect(dispatch_uid="drill-request-finished")


def drop_database_connection() -> str:
    """Drop this thread's database connection under Django's feet; says how.

    PostgreSQL: ``pg_terminate_backend`` from a second connection (as a server restart, a
    failover or an idle-session timeout would), then wait until the backend is gone.
    SQLite: close the sqlite3 connection object itself, behind Django's back (there is no server
    to lose; an uncommitted transaction on it is rolled back by SQLite)."""
    connection.ensure_connection()
    if connection.vendor != "postgresql":
        connection.connection.close()
        return "sqlite3 connection closed"
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    ) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
        wait_for(
            lambda: not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone(),
            timeout=5,
            what=f"backend {pid} to end",
        )
    return f"backend {pid} terminated"


@pytest.fixture
def reconnect_afterwards() -> Iterator[None]:
    """A drill that fails half-way may leave the dropped connection behind; the flush after a
    transactional test needs a working one."""
    yield
    connection.close()


@pytest.fixture
def no_broker(monkeypatch) -> list:
    """The broker is not under test here: queueing a fetch records the link instead."""
    from verify import tasks

    queued: list = []

    def record(task, *args, **kwargs) -> bool:
        queued.append((task.name, args))
        return True

    monkeypatch.setattr(tasks, "queue", record)
    return queued


@pytest.mark.django_db(transaction=True)
def test_drill_database_connection_dropped_mid_request(
    seed_article, reviewer, monkeypatch, no_broker, reconnect_afterwards
):
    """The database connection dies in the middle of a verdict POST, inside its transaction:
    after the claim's UPDATE and the verdict's INSERT, before the evidence links are added.

    "Fails cleanly" means: the request ends promptly (no hang) with a 500 from Django's error
    handler, not a traceback page nor a dropped response; nothing of the half-done transaction
    is kept (claim status and version unchanged, no verdict, no link); and the reviewer's next
    request, on the same client and thread, succeeds: Django drops the broken connection (when
    the transaction's rollback fails, or at the end of the request) and opens a new one.

    On PostgreSQL the backend is killed with ``pg_terminate_backend``; on SQLite the sqlite3
    connection object is closed behind Django's back (see ``drop_database_connection``)."""
    claim = seed_article.claims.order_by("order").first()
    client = login(reviewer, raise_request_exception=False)
    real_links_add = links_add
    dropped: list[tuple[str, float]] = []  # (how, seconds the drill took to drop it)

    def links_add_after_a_drop(**kwargs):
        if not dropped:
            started = time.monotonic()
            how = drop_database_connection()
            dropped.append((how, time.monotonic() - started))
        return real_links_add(**kwargs)

    monkeypatch.setattr("verify.services.links.links_add", links_add_after_a_drop)
    evidence = "https://tass.com/politics/1"
    with request_boundaries_as_a_wsgi_server():
        started = time.monotonic()
        response = post_verdict(client, claim.pk, status="disputed", version=0, evidence=evidence)
        elapsed = time.monotonic() - started
        assert dropped, "the drop happened inside the verdict's transaction"
        assert response.status_code == 500, response.content[:500]
        assert b"Traceback" not in response.content

        claim.refresh_from_db()
        assert (claim.status, claim.version) == ("unreviewed", 0), "the half-done transaction is gone"
        assert not Verdict.objects.exists() and not ReferenceLink.objects.exists()
        assert no_broker == []

        # The reviewer tries again: same client, same thread, and it just works.
        started = time.monotonic()
        response = post_verdict(client, claim.pk, status="disputed", version=0, evidence=evidence)
        baseline = time.monotonic() - started
    assert response.status_code == 200, response.content[:500]
    how, drop_took = dropped[0]
    assert elapsed - drop_took < post_budget(baseline), (
        f"the failed request took {elapsed:.1f}s, {drop_took:.1f}s of it the drill's own drop ({how}); "
        f"the retry took {baseline:.1f}s"
    )
    assert 'data-status="disputed"' in response.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("disputed", 1)
    assert Verdict.objects.filter(claim=claim).count() == 1
    link = ReferenceLink.objects.get(claim=claim)
    assert link.state == "pending" and no_broker == [("verify.tasks.fetch_link", (link.pk,))]


@pytest.mark.django_db(transaction=True)
def test_drill_database_connection_dropped_between_requests(
    seed_article, reviewer, no_broker, reconnect_afterwards
):
    """The connection a previous request left open dies while idle (a database restart, a
    failover, an idle-session timeout). The next request must simply succeed: on PostgreSQL the
    connection is persistent (CONN_MAX_AGE > 0) and CONN_HEALTH_CHECKS makes Django test it
    before the request's first query and reconnect; on SQLite (CONN_MAX_AGE forced to 0) every
    request opens its own connection anyway."""
    claim = seed_article.claims.order_by("order").first()
    client = login(reviewer, raise_request_exception=False)
    if connection.vendor == "postgresql":
        assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
        assert connection.settings_dict["CONN_MAX_AGE"] > 0, "connections persist between requests"
    with request_boundaries_as_a_wsgi_server():
        started = time.monotonic()
        page = client.get(seed_article.get_absolute_url())
        baseline = time.monotonic() - started
        assert page.status_code == 200
        if connection.vendor == "postgresql":
            assert connection.connection is not None, "the request left its connection open"
        drop_database_connection()
        started = time.monotonic()
        response = post_verdict(client, claim.pk, status="corroborated", version=0)
        elapsed = time.monotonic() - started
    assert response.status_code == 200, response.content[:500]
    assert elapsed < post_budget(baseline), f"took {elapsed:.1f}s; the page load before {baseline:.1f}s"
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("corroborated", 1)


# --- Drill 3: two reviewers, the same 50 claims, at the same time -------------------------------

N_CLAIMS = 50


def article_with_claims(n: int, by) -> tuple[Article, list[Claim]]:
    """An article of ``n`` one-sentence claims, made directly (the extractor is not under test)."""
    sentences = [f"Official {i} said the district counted {1000 + i} ballots on Thursday." for i in range(n)]
    return article_of_sentences(sentences, by, title="Fifty claims")


# The version the row's verdict form carries: what a reviewer's next POST sends.
VERSION_INPUT = re.compile(r'<form class="verdict".*?name="version" value="(\d+)"', re.S)


@pytest.mark.django_db(transaction=True)
def test_drill_two_reviewers_post_conflicting_verdicts_on_the_same_50_claims(editor, reviewer):
    """Two reviewers, each in a thread with a client of their own, go through the same 50
    claims in the same order at the same time, one marking each "corroborated", the other
    "disputed", each POST carrying the version the reviewer saw when the page loaded (0).

    Proves: exactly one of the two POSTs on each claim wins; the other gets a clear 200 with
    "Changed by <the other> … Nothing was overwritten" and writes nothing; that reviewer then
    decides again from the version the conflict row carries, and that succeeds. No 500, no lost
    update (every claim's status is its latest verdict's, its version the number of verdicts),
    full history (one verdict row per successful POST, none for a conflicting one). SQLite
    serialises the writers (BEGIN IMMEDIATE), PostgreSQL with the row lock and the conditional
    UPDATE; the drill runs on both."""
    second = make_user("second-reviewer", "reviewers")
    article, claims = article_with_claims(N_CLAIMS, editor)
    seen = {c.pk: c.version for c in Claim.objects.filter(article=article)}
    barrier = threading.Barrier(2, timeout=10)
    results: dict[str, list[tuple[int, str, int]]] = {}
    errors: list[BaseException] = []

    def review(user, status: str, other: str) -> None:
        log: list[tuple[int, str, int]] = []  # (claim, outcome, version posted)
        try:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            barrier.wait()
            for claim in claims:
                version = seen[claim.pk]
                while True:
                    response = post_verdict(client, claim.pk, status=status, version=version)
                    html = response.content.decode()
                    if response.status_code != 200:
                        log.append((claim.pk, f"HTTP {response.status_code}", version))
                        break
                    if "Nothing was overwritten" in html:
                        assert f"Changed by {other} at" in html, html[:3000]
                        log.append((claim.pk, "conflict", version))
                        fresh = VERSION_INPUT.search(html)
                        assert fresh, "the conflict row carries the version to decide again from"
                        version = int(fresh.group(1))
                        assert version > seen[claim.pk]
                        continue
                    assert f'id="claim-{claim.pk}"' in html and f'data-status="{status}"' in html
                    log.append((claim.pk, "saved", version))
                    break
        except BaseException as exc:
            errors.append(exc)
        finally:
            results[user.username] = log
            connection.close()

    threads = [
        threading.Thread(target=review, args=(reviewer, "corroborated", "second-reviewer")),
        threading.Thread(target=review, args=(second, "disputed", "reviewer")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a reviewer's thread is still running"
    assert not errors, errors

    everything = [(who, *entry) for who, log in results.items() for entry in log]
    assert not [e for e in everything if e[2] not in ("saved", "conflict")], "no 500, no surprise"
    saved = [e for e in everything if e[2] == "saved"]
    conflicts = [e for e in everything if e[2] == "conflict"]
    # Both posted on every claim with version 0: exactly one of the two lost each race.
    assert sorted(pk for _, pk, _, _ in conflicts) == sorted(c.pk for c in claims)
    assert len(saved) == 2 * N_CLAIMS

    users = {u.username: u for u in get_user_model().objects.filter(username__in=results)}
    for claim in Claim.objects.filter(article=article):
        history = list(claim.verdicts.order_by("created_at", "id"))
        assert claim.version == len(history) == 2, (claim.pk, claim.version, len(history))
        assert claim.status == history[-1].status, "no lost update: the status is the latest verdict's"
        assert claim.updated_by_id == history[-1].reviewer_id
        # One verdict row per successful POST, by whoever made it; a conflict wrote nothing.
        by_reviewer = sorted(users[who].pk for who, pk, outcome, _ in saved if pk == claim.pk)
        assert sorted(v.reviewer_id for v in history) == by_reviewer
    assert Verdict.objects.count() == len(saved)
