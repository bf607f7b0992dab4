"""Locust users for bench/verdicts.py: reviewers posting verdicts, and the bare-row baseline.

Not a benchmark on its own: bench/verdicts.py runs ``locust -f bench/_verdict_locust.py`` in a
subprocess (locust's gevent patches the whole process, which must not happen to the process
that drives Django) and hands it a plan file (``BENCH_PLAN``): users, claims, think time, and
where to write what each request did. Run directly (as ``make bench`` does with every file in
bench/), it only says so.

Every request is timed here and written out in full, so verdicts.py computes exact percentiles
and counts a verdict that lost a race (HTTP 200 with the "Changed by" message) as a conflict,
not an error: locust itself would only know "success" or "failure".
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    print("bench/_verdict_locust.py is the locustfile of bench/verdicts.py; it is not a benchmark.")
    sys.exit(0)

import itertools
import json
import os
import random
import re
import time
from pathlib import Path

from locust import FastHttpUser, constant, events, task

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
RECORDS: list[tuple[str, float, float, str]] = []  # (kind, start, latency ms, outcome)
_seat = itertools.count()

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROW_VERSION = re.compile(r'<li id="claim-(\d+)".*?name="version" value="(\d+)"', re.S)


def record(kind: str, start: float, outcome: str) -> None:
    RECORDS.append((kind, start, (time.perf_counter() - start) * 1000, outcome))


@events.quitting.add_listener
def _write_records(environment, **kwargs) -> None:
    Path(PLAN["out"]).write_text(json.dumps(RECORDS))


class Reviewer(FastHttpUser):
    """Logs in with the login form (CSRF token, django-axes in front), loads one article's
    review page, then posts verdicts as htmx does, each with the version it last saw."""

    wait_time = constant(PLAN["think"])

    def on_start(self) -> None:
        seat = next(_seat)
        self.username, password = PLAN["users"][seat % len(PLAN["users"])]
        self.versions = {int(k): v for k, v in PLAN["versions"].items()}
        self.claims = list(self.versions)
        start = time.perf_counter()
        page = self.client.get("/accounts/login/", name="login page")
        token = TOKEN.search(page.text or "")
        response = self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            allow_redirects=False,
            name="login",
        )
        if response.status_code != 302:
            record("login", start, f"error {response.status_code}")
            self.stop()
            return
        record("login", start, "ok")
        article = PLAN["articles"][seat % len(PLAN["articles"])]
        start = time.perf_counter()
        page = self.client.get(f"/articles/{article}/", name="review page")
        text = page.text or ""
        token = TOKEN.search(text)
        if page.status_code != 200 or not token:
            record("review page", start, f"error {page.status_code}")
            self.stop()
            return
        record("review page", start, "ok")
        self.csrf = token.group(1)
        self.page_url = f"{self.host}/articles/{article}/"
        for claim, version in ROW_VERSION.findall(text):
            self.versions[int(claim)] = int(version)

    @task
    def verdict(self) -> None:
        claim = random.choice(self.claims)
        status = random.choice(("corroborated", "disputed", "unverifiable"))
        start = time.perf_counter()
        with self.client.post(
            f"/claims/{claim}/verdict/",
            data={"status": status, "version": self.versions[claim], "note": f"bench {self.username}"},
            headers={
                "HX-Request": "true",
                "HX-Target": f"claim-{claim}",
                "HX-Current-URL": self.page_url,
                "X-CSRFToken": self.csrf,
            },
            name="verdict",
            catch_response=True,
        ) as response:
            elapsed_start = start
            text = response.text or ""
            row = ROW_VERSION.search(text)
            if response.status_code == 200 and row and int(row.group(1)) == claim:
                self.versions[claim] = int(row.group(2))  # the version the reviewer now sees
                outcome = "conflict" if "Changed by" in text else "ok"
                response.success()
            else:
                outcome = f"error {response.status_code}"
                response.failure(outcome)
            record("verdict", elapsed_start, outcome)


class BareRow(FastHttpUser):
    """The baseline: fetch one rendered row from bench/_bare_wsgi.py's bare view."""

    wait_time = constant(PLAN["think"])

    def on_start(self) -> None:
        self.claims = [int(k) for k in PLAN["versions"]]

    @task
    def row(self) -> None:
        claim = random.choice(self.claims)
        start = time.perf_counter()
        with self.client.get(f"/bare/row/{claim}/", name="bare row", catch_response=True) as response:
            ok = response.status_code == 200 and f'id="claim-{claim}"' in (response.text or "")
            outcome = "ok" if ok else f"error {response.status_code}"
            if ok:
                response.success()
            else:
                response.failure(outcome)
            record("bare row", start, outcome)
