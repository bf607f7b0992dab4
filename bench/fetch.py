"""Times a real worker fetching 200 evidence links from local servers that take 500 ms to answer.

Run from the project root: ``.venv/bin/python bench/fetch.py [--links 200] [--delay 0.5]
[--hosts N] [--concurrency C]``. The claim under test: the worker, at the concurrency the Procfile
gives it, keeps its threads busy, so 200 slow pages take about ``200 × 0.5 s / concurrency``.

Setup, all throwaway (bench/_common.py's ``ThrowawayDatabase``): a temporary ``VERIFY_VAR_DIR``
(the secret key, the SQLite database -- migrated -- and the filesystem broker's folders), or a
temporary PostgreSQL database, created and dropped, when ``DATABASE_URL`` names PostgreSQL (a
``sqlite:///…`` URL runs on the temporary SQLite file like no URL at all); the broker is
``CELERY_BROKER_URL`` or the filesystem default in that folder; the queue is private to the run.

- Concurrency: the default in the Procfile's ``worker`` line (``${WORKER_CONCURRENCY:-8}``),
  or ``WORKER_CONCURRENCY`` when set, as the Procfile would.
- Hosts: ``VERIFY_FETCH_PER_HOST`` (default 2) caps requests per host across the workers, so one
  host would cap the run at 2 requests at a time. The pages are spread round-robin over N
  servers, one per loopback address 127.0.0.1 ... 127.0.0.N (Linux routes all of 127/8 to lo),
  N = ceil(concurrency / per_host) by default, so the limit allows exactly the worker's
  concurrency. ``--hosts`` raises N to take the per-host limit out of the measurement.
- The worker is started by tests/drill_worker.py: the fetcher only fetches from loopback with
  a policy that allows it, which the launcher injects through ``VERIFY_FETCH_POLICY`` (the
  tests' ``loopback_policy``); apart from ``allow_loopback`` that policy is the settings' one, so
  the fetch path is the production one.

Timed: from queueing the first ``fetch_link`` (the worker already running and idle) until every
link is "fetched". The last line is ``BENCH name=fetch_200 value=<s> unit=s baseline=<s>
ratio=<value/baseline>`` with baseline the ideal ``links × delay / concurrency``; goal ratio ≤ 1.5.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from _common import ROOT, ThrowawayDatabase

LAUNCHER = ROOT / "tests" / "drill_worker.py"


def procfile_concurrency() -> tuple[int, str]:
    """The worker concurrency `make run` uses, and where it came from."""
    if os.environ.get("WORKER_CONCURRENCY"):
        return int(os.environ["WORKER_CONCURRENCY"]), "WORKER_CONCURRENCY"
    line = next((ln for ln in (ROOT / "Procfile").read_text().splitlines() if ln.startswith("worker:")), "")
    match = re.search(r"--concurrency\s+\$\{WORKER_CONCURRENCY:-(\d+)\}", line) or re.search(
        r"--concurrency\s+(\d+)", line
    )
    if not match:
        raise SystemExit("bench/fetch.py: no --concurrency in the Procfile's worker line")
    return int(match.group(1)), "Procfile default"


# --- Throwaway state -------------------------------------------------------------------------


class ThrowawayState(ThrowawayDatabase):
    """bench/_common.py's throwaway database (a temporary SQLite file, or a temporary PostgreSQL
    database when ``DATABASE_URL`` names a server), var dir and broker folders, plus a queue
    private to this run (enter before django.setup())."""

    def __init__(self) -> None:
        super().__init__(prefix="verify_fetchbench")
        self.queue = f"verify-bench-{secrets.token_hex(4)}"

    def __enter__(self) -> ThrowawayState:
        super().__enter__()
        self._set("CELERY_QUEUE", self.queue)
        return self


# --- Slow local servers ----------------------------------------------------------------------


class Gauge:
    """Requests in progress, overall and per host, and the highest seen: says whether the worker
    and the per-host limit let the expected number of requests run at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now: Counter = Counter()
        self.peak: Counter = Counter()
        self.total_now = 0
        self.total_peak = 0

    def enter(self, host: str) -> None:
        with self.lock:
            self.now[host] += 1
            self.total_now += 1
            self.peak[host] = max(self.peak[host], self.now[host])
            self.total_peak = max(self.total_peak, self.total_now)

    def leave(self, host: str) -> None:
        with self.lock:
            self.now[host] -= 1
            self.total_now -= 1


def start_servers(n_hosts: int, n_links: int, delay: float, gauge: Gauge):
    """One server per loopback address; page i lives on host i % n_hosts. Returns the URLs, the
    servers and a function that stops them."""
    from tests.httpfixtures import start_server

    started = [start_server(f"127.0.0.{k + 1}") for k in range(n_hosts)]
    servers = [state for state, _ in started]
    urls = []
    for i in range(n_links):
        server = servers[i % n_hosts]
        body = (
            f"<html><head><title>Bench page {i}</title></head><body><article><h1>Bench page {i}</h1>"
            f"<p>This is bench page {i}. The ministry said on Thursday that {i} districts reported "
            "higher rainfall than last year, and that the figures would be published next week.</p>"
            "</article></body></html>"
        ).encode()

        def answer(handler, body=body, server=server) -> None:
            gauge.enter(server.host)
            try:
                server.stopping.wait(delay)
                handler.send_response(200)
                handler.send_header("Content-Type", "text/html; charset=utf-8")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)
            finally:
                gauge.leave(server.host)

        server.route_fn(f"/bench/{i}", answer)
        urls.append(server.url(f"/bench/{i}"))

    def stop() -> None:
        for _, stop_one in started:
            stop_one()

    return urls, servers, stop


# --- Worker ----------------------------------------------------------------------------------


class Worker:
    """The worker process, its log in the throwaway folder."""

    def __init__(self, *, queue: str, ports: list[int], concurrency: int, log: Path):
        self.log = log
        args = [sys.executable, str(LAUNCHER), f"--queue={queue}", f"--concurrency={concurrency}"]
        args += [f"--allow-port={p}" for p in ports]
        args.append(f"--hostname=bench-{queue}@%h")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(r"@\S+ ready\.", self.text()):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise SystemExit(f"the worker did not start:\n{self.text()[-3000:]}")

    def cpu_seconds(self) -> float:
        """User + system CPU the worker has used so far (Linux /proc), to tell a worker that
        lacks CPU from one that waits."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return float("nan")

    def stop(self) -> None:
        """Warm shutdown first (messages it holds go back to the broker), SIGKILL if it hangs."""
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            self.proc.wait()


def purge(queue: str) -> None:
    """Leave nothing behind on a shared broker (Redis): the queue should be empty already."""
    from verify.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)


# --- Run -------------------------------------------------------------------------------------


def main() -> None:
    concurrency, source = procfile_concurrency()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.5, help="seconds each page takes")
    parser.add_argument(
        "--hosts",
        type=int,
        help="loopback hosts the links are spread over (default 2 × ceil(concurrency/per_host): evidence "
        "links span many outlets, and with exactly concurrency/per_host hosts any uneven spread leaves "
        "threads waiting on the politeness limit rather than measuring the worker)",
    )
    parser.add_argument("--concurrency", type=int, default=concurrency)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument(
        "--polling-interval",
        type=float,
        help="diagnosis only: the filesystem broker's polling_interval for the worker (kombu: 1 s)",
    )
    args = parser.parse_args()
    if args.delay <= 0 or args.links <= 0:
        parser.error("--delay and --links must be positive (the baseline is links × delay / concurrency)")
    if args.concurrency != concurrency:
        source = "--concurrency"

    with ThrowawayState() as state:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0)

        from verify.celery import app
        from verify.models import Article, ReferenceLink, content_hash
        from verify.services.links import links_add
        from verify.tasks import fetch_link

        per_host = settings.VERIFY_FETCH_PER_HOST
        n_hosts = args.hosts or 2 * math.ceil(args.concurrency / per_host)
        broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
        print(f"database: {state.describe()}; broker: {broker}; queue: {state.queue}")
        print(
            f"worker: threads pool, concurrency {args.concurrency} ({source}), prefetch multiplier "
            f"{app.conf.worker_prefetch_multiplier}, acks_late {app.conf.task_acks_late}; started by "
            "tests/drill_worker.py, which sets VERIFY_FETCH_POLICY to the tests' loopback-allowing "
            "policy"
        )
        print(
            f"pages: {args.links} × {args.delay * 1000:.0f} ms on {n_hosts} hosts (127.0.0.1-"
            f"127.0.0.{n_hosts}); VERIFY_FETCH_PER_HOST={per_host} → at most "
            f"{min(args.concurrency, n_hosts * per_host)} requests at once"
        )

        if args.polling_interval is not None:
            if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
                raise SystemExit("--polling-interval is for the filesystem broker")
            options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "polling_interval": args.polling_interval}
            os.environ["VERIFY_DRILL_BROKER_OPTIONS"] = json.dumps(options)
            print(f"DIAGNOSIS: worker broker polling_interval={args.polling_interval} s (not the default)")

        gauge = Gauge()
        urls, servers, stop_servers = start_servers(n_hosts, args.links, args.delay, gauge)
        body = "Bench article. The links below are fetched by the worker."
        article = Article.objects.create(
            title="bench", body=body, language="en", content_hash=content_hash(body)
        )
        links = links_add(article=article, urls=urls, by=None)
        worker = Worker(
            queue=state.queue,
            ports=sorted({s.port for s in servers}),
            concurrency=args.concurrency,
            log=Path(state.tmp.name) / "worker.log",
        )
        try:
            started = time.monotonic()
            worker.wait_ready()
            ready_in = time.monotonic() - started
            time.sleep(1)  # let the start-up sweep (nothing to sweep) go by

            cpu0, load0 = worker.cpu_seconds(), os.getloadavg()[0]
            t0 = time.monotonic()
            for link in links:
                fetch_link.delay(link.pk)
            queued_in = time.monotonic() - t0
            deadline = t0 + args.timeout
            done = 0
            while time.monotonic() < deadline:
                done = ReferenceLink.objects.filter(state="fetched").count()
                if done == args.links:
                    break
                time.sleep(0.05)
            value = time.monotonic() - t0
            cpu = worker.cpu_seconds() - cpu0
        finally:
            worker.stop()
            stop_servers()
            purge(state.queue)
        log = worker.text()
        if done != args.links:
            states = Counter(ReferenceLink.objects.values_list("state", flat=True))
            raise SystemExit(
                f"only {done} of {args.links} fetched in {args.timeout}s: {dict(states)}\n{log[-3000:]}"
            )

        hits = sum(len(s.hits) for s in servers)
        busy = log.count(" is busy'")
        baseline = args.links * args.delay / args.concurrency
        print(f"worker ready in {ready_in:.1f} s; {args.links} tasks queued in {queued_in:.2f} s")
        print(
            f"requests: {hits} for {args.links} pages; at once: peak {gauge.total_peak} overall, "
            f"per host peak {max(gauge.peak.values(), default=0)}; 'host is busy' re-queues: {busy}"
        )
        durations = sorted(
            float(d)
            for d in re.findall(r"Task verify\.tasks\.fetch_link\[[^]]+\] succeeded in ([\d.]+)s", log)
        )
        if durations:
            print(
                f"fetch_link tasks run: {len(durations)}, median {statistics.median(durations):.3f} s, "
                f"max {durations[-1]:.3f} s; threads busy {sum(durations) / (value * args.concurrency):.0%} "
                "of the time"
            )
        print(
            f"worker CPU {cpu:.1f} s ({cpu / args.links * 1000:.0f} ms per link, {cpu / value:.0%} of one "
            f"core); machine load average {load0:.1f} before, {os.getloadavg()[0]:.1f} after, "
            f"{os.cpu_count()} CPUs"
        )
        print(
            f"throughput: {args.links / value:.1f} pages/s (ideal {args.concurrency / args.delay:.1f}); "
            f"requests in flight on average {hits * args.delay / value:.1f} of {args.concurrency}"
        )
        print(
            f"BENCH name=fetch_{args.links} value={value:.2f} unit=s baseline={baseline:.2f} "
            f"ratio={value / baseline:.2f}"
        )


if __name__ == "__main__":
    main()
