"""`make run` as a newcomer runs it: the demo is loaded, the login lines are printed, the web
server answers on 127.0.0.1:$PORT, a real worker process takes tasks, and Ctrl-C stops both.

It runs the real Makefile target in a subprocess against its own state folder (and, when the
suite runs on PostgreSQL, a database of its own), with the broker the environment names.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.stack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def stack_database():
    """SQLite in the stack's own folder, or a fresh PostgreSQL database when the suite is on
    PostgreSQL (so `make run` is proven on both)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield ""
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"verify_stack_{uuid.uuid4().hex[:8]}"
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Stack:
    def __init__(self, env: dict[str, str]):
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def stop(self, sig=signal.SIGINT, timeout=30) -> int | None:
        """Ctrl-C as a terminal sends it: to the whole process group."""
        try:
            os.killpg(self.proc.pid, sig)
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            return None
        except ProcessLookupError:
            return self.proc.wait()


def wait_until(predicate, timeout: float, what: str, stack: Stack):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        if stack.proc.poll() is not None:
            pytest.fail(f"`make run` exited ({stack.proc.returncode}) before {what}:\n{stack.output[-3000:]}")
        time.sleep(0.25)
    pytest.fail(f"timed out after {timeout}s waiting for {what}:\n{stack.output[-3000:]}")


def fetch(opener, url: str, data: dict | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def test_make_run_serves_the_workbench_with_a_worker_and_stops_on_ctrl_c(tmp_path, stack_database):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update(
        PORT=str(port),
        VERIFY_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=stack_database,
        CELERY_QUEUE=f"verify-stack-{uuid.uuid4().hex[:8]}",
        WORKER_CONCURRENCY="1",
    )
    env.pop("DEBUG", None)
    stack = Stack(env)
    base = f"http://127.0.0.1:{port}"
    try:
        cookies = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        started = time.monotonic()
        status, page = wait_until(
            lambda: (r := fetch(opener, f"{base}/accounts/login/"))[0] == 200 and r,
            120,
            "the login page",
            stack,
        )
        assert time.monotonic() - started < 120
        assert 'name="password"' in page

        logins = dict(re.findall(r"^Demo login: username=(\w+) password=(\S+)$", stack.output, flags=re.M))
        assert set(logins) == {"editor", "reviewer", "viewer", "admin"}

        csrf = next(c.value for c in cookies if c.name == "csrftoken")
        status, home = fetch(
            opener,
            f"{base}/accounts/login/",
            {"username": "editor", "password": logins["editor"], "csrfmiddlewaretoken": csrf, "next": "/"},
        )
        assert status == 200 and "पुतिन ने किम जोंग-उन को राइफल भेंट की" in home, home[:2000]
        article_url = re.search(r'href="(/articles/\d+/)"', home).group(1)

        # The worker: wipe the seed's claims and queue a re-extraction; the page shows them again.
        script = (
            "from verify.models import Article; from verify.tasks import reextract_article;"
            f"a = Article.objects.get(pk={article_url.split('/')[2]}); first = a.claims.order_by('order').first().text;"
            "a.claims.all().delete(); reextract_article.delay(a.pk); print(first)"
        )
        queued = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "--no-imports", "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert queued.returncode == 0, queued.stderr
        first_claim = queued.stdout.strip()
        wait_until(
            lambda: first_claim in fetch(opener, f"{base}{article_url}")[1],
            60,
            "the worker to re-extract the claims",
            stack,
        )
    finally:
        code = stack.stop()
    assert code is not None, f"Ctrl-C did not stop `make run`:\n{stack.output[-3000:]}"
    with pytest.raises(ProcessLookupError):
        os.killpg(stack.proc.pid, 0)  # no process of the group is left behind
    assert fetch(urllib.request.build_opener(), f"{base}/healthz")[0] == 0
