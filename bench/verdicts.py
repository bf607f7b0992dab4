"""Load test of verdict posting: 20 reviewers against gunicorn (2 workers) on PostgreSQL.

Run from the project root: ``.venv/bin/python bench/verdicts.py [--duration S] [--quick]
[--reviewers N] [--think MS]`` (default 60 s per phase, 20 reviewers, no think time; ``--quick``
runs 10 s phases). Needs locust (requirements-dev.txt) and PostgreSQL at ``DATABASE_URL`` or,
when that is not PostgreSQL, at postgres://postgres@127.0.0.1:5432.

Why: in a breaking-news rush a whole desk reviews the same articles at once. Every verdict is a
write that checks the claim's version (optimistic locking), appends to the history and sends the
row back; the question is how many of those two small web workers sustain, at what latency, and
that a lost race comes back as a "Changed by …" row (a conflict, counted apart) and never as an
error. SQLite serialises writers, so only PostgreSQL answers it.

How:
- A throwaway PostgreSQL database, migrated; 20 articles of 100 claims (2,000 claims) made with
  ``article_ingest``; one user per reviewer in the reviewers group.
- gunicorn, 2 sync workers, as the Procfile starts it (access log off), on 127.0.0.1; the
  app is verify's own WSGI application (bench/_bare_wsgi.py ``verify_app``, which only swaps in
  plain static-file storage).
- locust, headless, in a subprocess (bench/_verdict_locust.py): each reviewer logs in through the
  login form (django-axes is on; distinct users with right passwords are never locked out),
  loads one article's review page, then posts verdicts on random claims of all 20 articles with
  the htmx headers, the CSRF token and the claim version it last saw, back to back (``--think``
  adds a pause). A response row with "Changed by" is a conflict; anything but the claim's row
  is an error.
- Baseline, same run and same gunicorn set-up: bench/_bare_wsgi.py ``bare_app``, a view that
  only loads and renders one claim row, fetched by the same number of simulated users.

Throughput is completed verdict requests (applied or conflict) over the time from the first
verdict sent to the last answered; latencies are exact percentiles of every verdict request.
Both count only verdicts sent after the last reviewer finished logging in and loading its
page (the ramp-up: 20 review pages at once hold both workers for seconds).
The last line is ``BENCH name=verdict_post value=<req/s> unit=req/s baseline=<bare row req/s>
ratio=<value/baseline>``. Goal: zero errors and p99 under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    PASSWORD,
    ROOT,
    ThrowawayDatabase,
    analyze,
    bench_line,
    free_port,
    machine,
    make_users,
    median,
    percentile,
    setup_django,
    table,
    wire_article,
)

BENCH = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
N_ARTICLES, CLAIMS_PER_ARTICLE = 20, 100


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU jiffies of the whole machine, from /proc/stat: how loaded the box was,
    this benchmark's processes, PostgreSQL's and anyone else's together."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Gunicorn:
    """gunicorn serving ``app`` (a factory in bench/_bare_wsgi.py) until the block ends."""

    def __init__(self, app: str, env: dict[str, str], probe: str, workers: int = 2) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app, self.env, self.probe, self.workers = app, env, probe, workers
        self.log = tempfile.NamedTemporaryFile(prefix="verify-bench-gunicorn-", suffix=".log", delete=False)

    def __enter__(self) -> Gunicorn:
        self.cpu_before = children_cpu()
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                f"_bare_wsgi:{self.app}()",
                "--pythonpath",
                f"{BENCH},{ROOT}",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.process.terminate()
            self.process.wait()
            raise
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + self.probe, timeout=5) as response:
                    response.read()
                break
            except urllib.error.HTTPError as exc:
                self._fail(f"{self.probe} answered {exc.code}")
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self._fail("gunicorn did not start")
                time.sleep(0.2)
        for _ in range(20):  # warm both workers (imports, template compilation, connections)
            with urllib.request.urlopen(self.url + self.probe, timeout=10) as response:
                response.read()

    def _fail(self, what: str) -> None:
        raise SystemExit(f"{what}; gunicorn's log:\n{Path(self.log.name).read_text()[-4000:]}")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.cpu = children_cpu() - self.cpu_before
        errors = [
            line
            for line in Path(self.log.name).read_text(errors="replace").splitlines()
            if "Traceback" in line or "ERROR" in line
        ]
        if errors:
            print(f"gunicorn logged {len(errors)} error line(s), e.g.: {errors[0]}")
        os.unlink(self.log.name)


def run_locust(user_class: str, host: str, plan: dict, users: int, seconds: int, env: dict) -> dict:
    """Run locust headless; returns the per-request records and the CPU locust used."""
    with tempfile.TemporaryDirectory(prefix="verify-bench-locust-") as tmp:
        plan = {**plan, "out": str(Path(tmp) / "records.json")}
        plan_path = Path(tmp) / "plan.json"
        plan_path.write_text(json.dumps(plan))
        cpu_before, busy_before = children_cpu(), machine_busy()
        started = time.monotonic()
        result = subprocess.run(
            [
                str(VENV_BIN / "locust"),
                "-f",
                str(BENCH / "_verdict_locust.py"),
                user_class,
                "--headless",
                "--host",
                host,
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "10",
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT,
            env={**env, "BENCH_PLAN": str(plan_path)},
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
        wall = time.monotonic() - started
        busy_after = machine_busy()
        busy = (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1])
        records_path = Path(plan["out"])
        if result.returncode != 0 or not records_path.exists():
            raise SystemExit(f"locust failed ({result.returncode}):\n{result.stderr[-3000:]}")
        return {
            "records": json.loads(records_path.read_text()),
            "cpu": children_cpu() - cpu_before,
            "wall": wall,
            "busy": busy,
        }


def steady_start(records: list) -> float:
    """When the last simulated user finished starting (login, first review page): requests
    sent before then queued behind 20 page loads, which is ramp-up, not verdict posting."""
    starts = [r[1] + r[2] / 1000 for r in records if r[0] in ("login", "review page")]
    return max(starts, default=float("-inf"))


def summarise(records: list, kind: str, since: float = float("-inf")) -> dict:
    """Throughput, latency percentiles and outcome counts of one kind of request, counting
    only requests sent at or after ``since``."""
    rows = [r for r in records if r[0] == kind and r[1] >= since]
    if not rows:
        return {
            "n": 0,
            "rate": 0.0,
            "p50": float("nan"),
            "p99": float("nan"),
            "max": float("nan"),
            "ok": 0,
            "conflicts": 0,
            "errors": 0,
            "error_kinds": {},
        }
    first = min(r[1] for r in rows)
    last = max(r[1] + r[2] / 1000 for r in rows)
    outcomes: dict[str, int] = {}
    for r in rows:
        outcomes[r[3]] = outcomes.get(r[3], 0) + 1
    ok, conflicts = outcomes.pop("ok", 0), outcomes.pop("conflict", 0)
    latencies = [r[2] for r in rows]
    return {
        "n": len(rows),
        "rate": (ok + conflicts) / (last - first),
        "p50": median(latencies),
        "p99": percentile(latencies, 99),
        "max": max(latencies),
        "ok": ok,
        "conflicts": conflicts,
        "errors": sum(outcomes.values()),
        "error_kinds": outcomes,
    }


def build_data(n_reviewers: int) -> dict:
    """Articles, claims and reviewers; returns the plan locust works from."""
    from verify.models import Claim
    from verify.services.articles import article_ingest

    users = make_users([f"bench-reviewer-{i:02d}" for i in range(n_reviewers)], "reviewers")
    articles = [
        article_ingest(
            text=wire_article(CLAIMS_PER_ARTICLE, variant=a) + f"\nAP reported that convoy {a} arrived.",
            title=f"Bench article {a}",
            language="en",
        ).article.pk
        for a in range(N_ARTICLES)
    ]
    versions = dict(Claim.objects.filter(article_id__in=articles).values_list("pk", "version"))
    analyze()
    return {
        "users": [[u.username, PASSWORD] for u in users],
        "articles": articles,
        "versions": {str(k): v for k, v in versions.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per phase (default 60)")
    parser.add_argument("--quick", action="store_true", help="10-second phases")
    parser.add_argument("--reviewers", type=int, default=20, help="simulated reviewers (default 20)")
    parser.add_argument(
        "--think", type=float, default=0.0, help="pause in ms between one reviewer's requests (default 0)"
    )
    args = parser.parse_args()
    seconds = 10 if args.quick else args.duration
    if seconds < 1 or args.reviewers < 1 or args.think < 0:
        parser.error("--duration and --reviewers must be positive, --think not negative")

    with ThrowawayDatabase(require_postgres=True) as database:
        setup_django()
        from verify.models import Verdict

        plan = build_data(args.reviewers)
        plan["think"] = args.think / 1000
        env = {**database.env(), "BENCH_BARE_USER": plan["users"][0][0]}
        from django.db import connections

        connections.close_all()  # the servers get the database to themselves

        with Gunicorn("verify_app", env, probe="/healthz") as server:
            run = run_locust("Reviewer", server.url, plan, args.reviewers, seconds, env)
        since = steady_start(run["records"])
        ramp_up = sum(1 for r in run["records"] if r[0] == "verdict" and r[1] < since)
        verdict = summarise(run["records"], "verdict", since)
        logins = summarise(run["records"], "login")
        pages = summarise(run["records"], "review page")
        verdict_cpu = (server.cpu, run["cpu"], run["wall"], run["busy"])

        some_claim = next(iter(plan["versions"]))
        with Gunicorn("bare_app", env, probe=f"/bare/row/{some_claim}/") as server:
            run = run_locust("BareRow", server.url, plan, args.reviewers, seconds, env)
        bare = summarise(run["records"], "bare row")
        bare_cpu = (server.cpu, run["cpu"], run["wall"], run["busy"])

        stored = Verdict.objects.count()

        def row(name: str, s: dict, cpu: tuple) -> list:
            return [
                name,
                s["n"],
                f"{s['rate']:.1f}",
                f"{s['p50']:.1f}",
                f"{s['p99']:.1f}",
                f"{s['max']:.0f}",
                s["ok"],
                s["conflicts"],
                s["errors"],
                f"{cpu[0]:.0f} / {cpu[1]:.0f} / {cpu[2]:.0f}",
                f"{cpu[3]:.0%}",
            ]

        print(
            f"machine: {machine()}; database: {database.describe()}; gunicorn 2 sync workers; "
            f"{args.reviewers} simulated users, think time {args.think:g} ms, {seconds} s per phase"
        )
        print(
            table(
                [
                    "phase",
                    "requests",
                    "req/s",
                    "p50 ms",
                    "p99 ms",
                    "max ms",
                    "ok",
                    "conflicts",
                    "errors",
                    "CPU s server / locust / wall",
                    "machine busy",
                ],
                [
                    row("verdict POST (verify)", verdict, verdict_cpu),
                    row("bare row GET (baseline)", bare, bare_cpu),
                ],
            )
        )
        print(
            f"logins: {logins['ok']} ok, {logins['errors']} failed; review page loads: {pages['ok']} ok "
            f"(median {pages['p50']:.0f} ms); {ramp_up} verdicts sent during that ramp-up not counted; "
            f"verdicts stored: {stored} (applied, counted: {verdict['ok']})"
        )
        for kinds in (verdict["error_kinds"], bare["error_kinds"], logins["error_kinds"]):
            for kind, n in kinds.items():
                print(f"  {n} × {kind}")
        goal_errors = verdict["errors"] == 0 and logins["errors"] == 0
        goal_p99 = verdict["p99"] < 100
        print(
            f"goal: zero errors ({'met' if goal_errors else 'NOT met'}), p99 under 100 ms "
            f"({'met' if goal_p99 else 'NOT met'}: {verdict['p99']:.1f} ms)."
        )
        if not args.think and verdict["rate"]:
            print(
                "With no think time the reviewers saturate the two workers and wait for each other: "
                f"by Little's law mean latency = reviewers / throughput = "
                f"{args.reviewers / verdict['rate'] * 1000:.0f} ms. --think gives a realistic pace."
            )
        print(bench_line("verdict_post", verdict["rate"], "req/s", bare["rate"], digits=1))


if __name__ == "__main__":
    main()
