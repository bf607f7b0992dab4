"""``manage.py fetch_url``: the guarded fetch on the command line, its output and its exit status.

A fetch from the local HTTP server (loopback-allowing test policy) exits 0 and prints what it
got; a server error or a closed port exits 1; every hostile URL of tests/fetch_cases.py exits 2
with the production policy, and a bare listener on 127.0.0.1, whose port the hostile loopback
spellings point at, proves by its count of accepted connections that none was made.
"""

from __future__ import annotations

import hashlib
import io
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.fetch_cases import ENGLISH_STORY, HOSTILE, HOSTILE_DNS

# Registered as a plugin, not imported, so pytest can rewrite its asserts and ruff sees no F811.
pytest_plugins = ("tests.httpfixtures",)

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``fetch_url ARGS``, in this process and its settings."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("fetch_url", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def fields(output: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in output.splitlines() if ": " in line)


def test_a_fetched_page_exits_0_and_prints_what_was_fetched(loopback):
    loopback.route("/story", body=ENGLISH_STORY)
    code, out, err = run(loopback.url("/story"))

    assert code == 0, err
    printed = {name: value.strip() for name, value in fields(out).items()}
    assert printed["status"] == "200"
    assert printed["final URL"] == loopback.url("/story")
    assert printed["title"].startswith("Monsoon rains arrive early in Kerala")
    assert printed["type"] == "text/html; charset utf-8"

    code, out, _ = run("--json", loopback.url("/story"))
    data = json.loads(out)
    assert code == 0 and data["ok"] is True and data["state"] == "fetched"
    assert "three days ahead of schedule" in data["text"]
    assert printed["text"] == f"{len(data['text'])} characters"
    assert printed["sha256"] == data["text_sha256"] == hashlib.sha256(data["text"].encode()).hexdigest()
    assert loopback.paths() == ["/story", "/story"]


def test_a_server_error_exits_1_and_says_it_is_retryable(loopback):
    loopback.route("/boom", status=500, body="oops")
    code, out, err = run(loopback.url("/boom"))
    assert code == 1 and out == ""
    assert err.strip() == "failed (HTTP 500; retryable): HTTP 500 Internal Server Error"

    code, out, _ = run("--json", loopback.url("/boom"))
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["state"] == "failed" and data["http_status"] == 500


def test_an_unreachable_server_exits_1(loopback, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.VERIFY_FETCH_ALLOWED_PORTS = [port]
    code, _, err = run(f"http://127.0.0.1:{port}/")
    assert code == 1 and "could not connect" in err and "retryable" in err


def test_the_connection_counter_counts(connection_counter):
    """The control for the test below: a real connection to the listener is counted."""
    with socket.create_connection(("127.0.0.1", connection_counter.port), timeout=2) as sock:
        sock.recv(1)  # the listener closes it once accepted
    assert connection_counter.accepted == 1


@pytest.mark.parametrize(("template", "reason"), HOSTILE, ids=[row[0] for row in HOSTILE])
def test_a_hostile_url_exits_2_with_the_reason_and_connects_nowhere(
    settings, connection_counter, connects, fake_dns, template, reason
):
    settings.VERIFY_FETCH_POLICY = ""  # the production policy: no loopback
    settings.VERIFY_FETCH_ALLOWED_PORTS = [80, 443, connection_counter.port]
    fake_dns.update(HOSTILE_DNS)
    url = template.format(port=connection_counter.port)

    code, out, err = run(url)
    assert code == 2, (out, err)
    assert reason in err and err.startswith("refused: ") and out == ""

    code, out, _ = run("--json", url)
    data = json.loads(out)
    assert code == 2 and data["state"] == "refused" and data["ok"] is False and reason in data["error"]

    assert connects == []
    assert connection_counter.accepted == 0


def test_manage_py_exits_with_the_documented_status():
    """Through the real manage.py (default settings, no network): the exit status and the help."""

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", "fetch_url", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
            check=False,
        )

    refused = manage("--json", "http://169.254.169.254/latest/meta-data/")
    assert refused.returncode == 2, refused.stderr
    assert json.loads(refused.stdout)["error"] == (
        "refused: 169.254.169.254 is a link-local address (cloud metadata service)"
    )
    helped = manage("--help")
    assert helped.returncode == 0
    assert "exit status:" in helped.stdout and "2  refused" in helped.stdout
