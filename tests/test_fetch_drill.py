"""The kill drill: a real worker process fetching a batch of links is SIGKILLed mid-batch, a new
one is started, and every link still ends up fetched exactly once.

Why a drill and not a unit test: recovery depends on pieces that only meet in a real deployment
-- the link lease (verify/services/links.py ``_claim_link``), the host slots a dead worker leaves
behind, the broker's handling of the dead worker's messages and the sweeper (``sweep_fetches``,
run at worker start and by beat). The two brokers lose work differently:

* filesystem (the default): a message is taken by renaming its file, so what the killed worker
  had taken (running or prefetched) is gone for good;
* Redis: ``acks_late`` keeps the killed worker's messages as unacked, and Redis hands them out
  again only after the visibility timeout (1 hour by default).

Either way it is the sweeper that brings the links back in time, and the claim (a conditional
UPDATE) that keeps a link queued twice from being fetched twice. The test plays beat's part by
queueing ``sweep_fetches`` when there is something to sweep (see ``recover``).

The workers run ``tests/drill_worker.py`` (see its docstring for why it sets VERIFY_FETCH_POLICY) with
``VERIFY_FETCH_TOTAL_TIMEOUT=3`` and ``VERIFY_FETCH_EXTRACT_TIMEOUT=3``: a lease is the two plus
30 s, so the links the killed worker was fetching come back about 36 s after it took them, which
is most of this test's run time. The workers extract page text in child processes of their fork
server, as in production; the SIGKILL of the worker's process group ends those too.

The host slots the killed worker held stay taken until they expire (the fetch timeout plus 5 s).
The drill allows 8 requests per host, so the new worker fetches at once and the lease is the only
wait (with the production 2, the one host the pages share would be busy until the slots expire).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import warnings
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from verify.models import HostSlot, ReferenceLink
from verify.services.links import links_add

pytest_plugins = ("tests.httpfixtures",)
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "tests" / "drill_worker.py"
PAGES = 100  # a batch of 100 fetches, as the fault drill asks
DELAY = 0.25  # seconds each page takes to answer, so the batch is still running at the kill
KILL_AFTER = 10  # links fetched before worker A is killed
# Above the worker's concurrency (4): the killed worker's host slots (at most 4) stay taken until
# they expire with its lease, and the next worker must still get requests to the one host.
PER_HOST = 8
TOTAL_TIMEOUT = 3  # lease = this + EXTRACT_TIMEOUT + 30 s
EXTRACT_TIMEOUT = 3
SWEEP_EVERY = 2.0  # seconds; beat does it every 60 s in production
RECOVERY_DEADLINE = 90.0

PAGE = """<html><head><title>Drill page {i}</title></head><body><nav>Home | World</nav>
<article><h1>Drill page {i}: the ministry's figures</h1>
<p>This is drill page {i}. The ministry said on Thursday that {i} districts reported higher
rainfall than last year, and that the reservoirs were filled to {i} per cent above the average.</p>
<p>Officials added that the figures for district {i} would be published in full next week, after
the regional offices had checked them against the satellite data.</p></article>
<footer>Footer</footer></body></html>"""


def worker_database_url() -> str:
    """The test database as a URL for the worker process: pytest-django has renamed the database
    in this process's settings (a file path on SQLite, ``test_<name>`` on PostgreSQL)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail(f"the drill knows SQLite and PostgreSQL, not {db['ENGINE']}")
    quote = urllib.parse.quote
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    netloc = f"{auth}@" if auth else ""
    netloc += db["HOST"] or ""
    if db.get("PORT"):
        netloc += f":{db['PORT']}"
    query = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", "")).query  # sslmode and the like
    return urllib.parse.urlunsplit(("postgres", netloc, "/" + quote(db["NAME"]), query, ""))


class DrillWorker:
    """One worker process (tests/drill_worker.py) in its own process group, log in a file."""

    def __init__(self, name: str, *, queue: str, port: int, log_dir: Path):
        from verify.celery import app

        self.name = name
        self.log_path = log_dir / f"worker-{name}.log"
        env = {**os.environ}
        env.update(
            DATABASE_URL=worker_database_url(),
            CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            CELERY_QUEUE=queue,
            PYTHONUNBUFFERED="1",
            VERIFY_FETCH_EXTRACT_TIMEOUT=str(EXTRACT_TIMEOUT),
        )
        env["VERIFY_DRILL_BROKER_OPTIONS"] = json.dumps(dict(app.conf.broker_transport_options or {}))
        args = [
            sys.executable,
            str(LAUNCHER),
            f"--queue={queue}",
            f"--allow-port={port}",
            "--concurrency=4",
            f"--per-host={PER_HOST}",
            "--sweep-after=1",
            f"--total-timeout={TOTAL_TIMEOUT}",
            f"--hostname=drill-{name}-{queue}@%h",
        ]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole group (nothing may finish its task or ack a message), then reap."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=10)

    def stop(self, grace: float = 10.0) -> None:
        """Warm shutdown (a survivor gives its reserved messages back), SIGKILL if it hangs."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
            except ProcessLookupError:
                pass
        self.kill()

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return f"--- worker {self.name} log ---\n" + self.log_path.read_text(errors="replace")[-chars:]
        except FileNotFoundError:
            return f"--- worker {self.name}: no log ---"


def states() -> Counter:
    return Counter(ReferenceLink.objects.values_list("state", flat=True))


def wait_until(predicate, timeout: float, what: str, workers: list[DrillWorker], every: float = 0.05):
    """Poll ``predicate``; fail early, with the logs, if one of ``workers`` (those that should be
    running) has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        for w in workers:
            if not w.alive():
                pytest.fail(f"worker {w.name} exited ({w.proc.returncode}) before {what}\n{w.log_tail()}")
        time.sleep(every)
    logs = "\n".join(w.log_tail() for w in workers)
    pytest.fail(f"timed out after {timeout}s waiting for {what}; states {dict(states())}\n{logs}")


def wait_for_other_sessions_to_end(timeout: float = 10.0) -> None:
    """PostgreSQL drops the test database only when no session uses it; a killed worker's
    backends notice the closed socket a moment later."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.1)


def drop_leftover_messages(queue: str) -> None:
    """After the drill the queue holds only no-ops (sweeps, duplicate fetches of done links);
    later worker tests in this session share the queue, so empty it. On Redis, also drop the
    killed worker's unacked messages: they sit in the broker-wide ``unacked`` hash and would be
    handed back to this run's queue in an hour."""
    from verify.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        for tag, raw in client.hscan_iter("unacked"):
            try:
                routing_key = json.loads(raw)[2]
            except (ValueError, IndexError, TypeError):
                continue
            if routing_key == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


# kombu's filesystem transport creates a message file, then writes it; a worker that takes the
# file in between reads nothing and its consumer dies on the JSON (kombu issue #1551).
HALF_WRITTEN_MESSAGE = re.compile(r"kombu/transport/filesystem\.py.*?in _get.*?JSONDecodeError", re.S)


def recover(
    worker: DrillWorker, workers: list[DrillWorker], *, queue: str, port: int, in_flight: set
) -> list:
    """Wait until every link is fetched, playing beat's part: queue ``sweep_fetches`` when a
    lease has run out or nothing moved for a while (a lost message), at most every SWEEP_EVERY s.
    Only when there is something to sweep: on the filesystem broker every message written is a
    chance of kombu #1551. A worker that dies of #1551 is restarted, as a supervisor would, and
    the links it was fetching join ``in_flight``; any other exit fails the test."""
    from verify.tasks import sweep_fetches

    restarted: list[str] = []
    deadline = time.monotonic() + RECOVERY_DEADLINE
    last_sweep = last_progress = time.monotonic()
    fetched = -1
    while time.monotonic() < deadline:
        now = time.monotonic()
        count = states()["fetched"]
        if count == PAGES:
            return restarted
        if count != fetched:
            fetched, last_progress = count, now
        lease_over = ReferenceLink.objects.filter(state="fetching", lease_until__lt=timezone.now()).exists()
        if now - last_sweep >= SWEEP_EVERY and (lease_over or now - last_progress >= 5):
            sweep_fetches.delay()
            last_sweep = now
        if not worker.alive():
            log = worker.log_path.read_text(errors="replace")
            if not HALF_WRITTEN_MESSAGE.search(log) or len(restarted) >= 3:
                pytest.fail(f"worker {worker.name} exited ({worker.proc.returncode})\n{worker.log_tail()}")
            in_flight |= set(ReferenceLink.objects.filter(state="fetching").values_list("url", flat=True))
            restarted.append(worker.name)
            worker = DrillWorker(
                f"{worker.name}{len(restarted)}", queue=queue, port=port, log_dir=worker.log_path.parent
            )
            workers.append(worker)
        time.sleep(0.2)
    logs = "\n".join(w.log_tail() for w in workers)
    pytest.fail(
        f"timed out after {RECOVERY_DEADLINE}s waiting for every link; states {dict(states())}\n{logs}"
    )


def test_a_killed_worker_s_links_are_fetched_exactly_once_by_the_next(
    http_server, seed_article, celery_queue, tmp_path
):
    from verify.tasks import fetch_link

    # PAGES pages on one host, each answering after DELAY (unless the server is being stopped).
    stopping = http_server.stopping

    def page(i: int):
        body = PAGE.format(i=i).encode()

        def answer(handler) -> None:
            stopping.wait(DELAY)
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        return answer

    paths = {f"/drill/{i}": i for i in range(PAGES)}
    for path, i in paths.items():
        http_server.route_fn(path, page(i))
    claim = seed_article.claims.get(order=0)
    links = links_add(article=seed_article, claim=claim, urls=[http_server.url(p) for p in paths], by=None)
    assert len(links) == PAGES
    for link in links:
        fetch_link.delay(link.pk)

    workers: list[DrillWorker] = []
    try:
        # Worker A takes the batch; it is killed once some links are done and others are mid-fetch.
        a = DrillWorker("a", queue=celery_queue, port=http_server.port, log_dir=tmp_path)
        workers.append(a)
        wait_until(
            lambda: (s := states())["fetched"] >= KILL_AFTER and s["fetching"] >= 1,
            60,
            f"worker A to fetch {KILL_AFTER} links and be fetching more",
            workers,
        )
        a.kill()
        at_kill = states()
        in_flight = set(
            ReferenceLink.objects.filter(state="fetching").values_list("url", flat=True)
        )  # claimed by A, their lease still running: only the lease's end frees them
        assert at_kill["fetched"] < PAGES, f"the batch was over before the kill: {dict(at_kill)}"
        assert in_flight, f"A was killed between two fetches, not mid-task: {dict(at_kill)}"

        # Worker B: its start-up sweep re-queues what A's lost messages left pending; the sweep
        # (beat's job) re-queues A's in-flight links once their lease ends.
        b = DrillWorker("b", queue=celery_queue, port=http_server.port, log_dir=tmp_path)
        workers.append(b)
        restarted = recover(b, workers, queue=celery_queue, port=http_server.port, in_flight=in_flight)
        time.sleep(DELAY + 0.5)  # a duplicate fetch, were there one, would show in the rows/hits now
        logs = "\n".join(w.log_tail() for w in workers)

        rows = list(
            ReferenceLink.objects.values("url", "state", "attempts", "text", "text_sha256", "fetched_at")
        )
        assert len(rows) == PAGES, "no link was duplicated"
        assert {r["url"] for r in rows} == {http_server.url(p) for p in paths}
        assert all(r["state"] == "fetched" for r in rows), states()
        # One stored result per link: attempts only counts fetches that reached _store.
        assert all(r["attempts"] >= 1 for r in rows)
        assert [r["url"] for r in rows if r["attempts"] != 1] == [], "a link was stored twice\n" + logs
        snapshots = [r for r in rows if r["text_sha256"] and r["fetched_at"]]
        assert len(snapshots) == PAGES
        for r in snapshots:
            i = paths[urllib.parse.urlsplit(r["url"]).path]
            assert f"This is drill page {i}." in r["text"], "each link holds its own page"

        hits = Counter(http_server.paths())
        assert set(hits) == set(paths), "every page was requested"
        twice = {http_server.url(p) for p, n in hits.items() if n == 2}
        assert max(hits.values()) <= 2, f"a page was requested more than twice: {hits.most_common(3)}"
        assert twice <= in_flight, (
            f"only a fetch cut by the kill may be repeated; repeated {sorted(twice - in_flight)}"
        )
        assert not HostSlot.objects.filter(expires_at__gt=timezone.now()).exists(), "a host stays blocked"
        if restarted:
            warnings.warn(
                f"worker(s) {', '.join(restarted)} crashed on a half-written message of the filesystem "
                "broker (kombu #1551) and were restarted; the links still came out right",
                UserWarning,
                stacklevel=1,
            )
    finally:
        for w in workers:
            w.stop()
        wait_for_other_sessions_to_end()
        drop_leftover_messages(celery_queue)
