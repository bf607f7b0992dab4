"""The SSRF guard (verify/fetch/guard.py) and address pinning (verify/fetch/transport.py), proven
by counting.

The hostile URLs are refused with the production policy while the local server listens on an
allowed port; its request counter and a spy on ``socket.socket.connect`` show that a refused
URL never opened a connection at all. No test sends a packet anywhere but 127.0.0.1: where a
test needs a "public" address, ``socket.socket.connect`` is replaced by a fake that refuses it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fetch_cases import ENGLISH_STORY, HOSTILE, HOSTILE_DNS, LOOPBACK_POLICY, PUBLIC_IP
from verify.fetch import (
    FetchPolicy,
    PinnedTransport,
    PinningBackend,
    PinViolation,
    address_problem,
    check_url,
    fetch,
)
from verify.services.policy import fetch_policy

# Registered as a plugin, not imported, so pytest can rewrite its asserts and ruff sees no F811.
pytest_plugins = ("tests.httpfixtures",)

ROOT = Path(__file__).resolve().parent.parent


def get(url: str):
    """A fetch with the policy the services use (settings, or the injected test policy)."""
    return fetch(url, policy=fetch_policy())


# ---------------------------------------------------------------------------------------------
# Hostile URLs are refused before any connection
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("template", "reason"), HOSTILE, ids=[row[0] for row in HOSTILE])
def test_hostile_url_is_refused_without_any_connection(guarded, connects, fake_dns, template, reason):
    fake_dns.update(HOSTILE_DNS)
    url = template.format(port=guarded.port)
    result = get(url)

    assert result.state == "refused", result
    assert reason in result.error
    assert result.error.startswith("refused: ")
    assert not result.retryable and not result.ok
    assert guarded.request_count == 0
    assert connects == []
    ok, why, _ = check_url(url, policy=fetch_policy())
    assert not ok and why == result.error


def test_hostile_table_is_big_enough():
    assert len(HOSTILE) >= 25


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2002:808:808::1", "64:ff9b::808:808", "93.184.215.14"],
)
def test_public_addresses_are_allowed(address):
    assert address_problem(address) is None


def test_public_name_passes_the_check(fake_dns):
    fake_dns["news.example"] = [PUBLIC_IP, "2606:4700:4700::1111"]
    assert check_url("https://News.Example/a?b=c") == (True, "", [PUBLIC_IP, "2606:4700:4700::1111"])


def test_idn_host_is_resolved_in_its_punycode_form(fake_dns):
    fake_dns["xn--r8jz45g.xn--zckzah"] = [PUBLIC_IP]
    assert check_url("https://例え.テスト/") == (True, "", [PUBLIC_IP])
    fake_dns["xn--e1afmkfd.xn--p1ai"] = ["192.168.0.10"]
    assert check_url("http://Пример.рф/")[1] == (
        "refused: xn--e1afmkfd.xn--p1ai resolves to 192.168.0.10, a private address"
    )


def test_dns_failure_is_a_failure_not_a_refusal(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    result = get("https://gone.example/")
    assert result.state == "failed" and not result.retryable
    assert result.error.startswith("could not resolve host gone.example")

    def try_again(*args, **kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", try_again)
    assert get("https://flaky.example/").retryable


# ---------------------------------------------------------------------------------------------
# DNS rebinding and pinning
# ---------------------------------------------------------------------------------------------


def test_rebinding_to_loopback_after_the_check_never_reaches_loopback(guarded, monkeypatch, fake_dns):
    """First answer public (passes), every later answer 127.0.0.1: the fetcher must dial the
    public address it checked and never 127.0.0.1. The fake connect refuses every dial, so no
    packet leaves the machine."""
    answers = iter([[PUBLIC_IP]])
    fake_dns["rebind.example"] = lambda: next(answers, ["127.0.0.1"])
    dialled: list[tuple] = []

    def fake_connect(self, address):
        dialled.append(tuple(address))
        raise ConnectionRefusedError(111, "Connection refused (test: no real dial)")

    monkeypatch.setattr(socket.socket, "connect", fake_connect)
    result = get(f"http://rebind.example:{guarded.port}/")

    assert dialled == [(PUBLIC_IP, guarded.port)]
    assert result.state == "failed" and result.error.startswith("could not connect")
    assert guarded.request_count == 0


def test_rebinding_away_from_a_checked_address_is_ignored(loopback, fake_dns, connects):
    """First answer 127.0.0.1 (allowed by the test policy), later answers private: the request
    goes to the pinned 127.0.0.1 with the original Host header, and DNS is asked only once."""
    calls = []

    def answer():
        calls.append(1)
        return ["127.0.0.1"] if len(calls) == 1 else ["10.9.9.9"]

    fake_dns["pinned.example"] = answer
    loopback.route("/p", body=ENGLISH_STORY)
    result = get(f"http://pinned.example:{loopback.port}/p")

    assert result.ok, result.error
    assert len(calls) == 1
    assert {address[0] for address in connects} == {"127.0.0.1"}
    assert loopback.hits[0].headers["host"] == f"pinned.example:{loopback.port}"


def test_peer_address_must_be_the_pinned_one(loopback, monkeypatch):
    monkeypatch.setattr(socket.socket, "getpeername", lambda self: ("10.1.2.3", loopback.port))
    loopback.route("/x", body=ENGLISH_STORY)
    result = get(loopback.url("/x"))
    assert result.state == "refused"
    assert result.error == "refused: connected to 10.1.2.3, expected the checked address 127.0.0.1"
    assert loopback.request_count == 0


def test_backend_refuses_hosts_that_were_not_pinned(connects):
    backend = PinningBackend()
    with pytest.raises(PinViolation, match="was not checked"):
        backend.connect_tcp("news.example", 443)
    backend.pin("news.example", 443, ["10.0.0.1"])
    with pytest.raises(PinViolation, match="private address"):
        backend.connect_tcp("news.example", 443)
    with pytest.raises(PinViolation):
        backend.connect_unix_socket("/var/run/docker.sock")
    assert connects == []


def test_transport_really_uses_the_pinning_backend():
    backend = PinningBackend()
    transport = PinnedTransport(backend)
    assert transport._pool._network_backend is backend


# ---------------------------------------------------------------------------------------------
# Loopback only with an explicit allow_loopback policy, and loopback only
# ---------------------------------------------------------------------------------------------


def test_the_default_policy_refuses_loopback(guarded, connects):
    guarded.route("/ok", body=ENGLISH_STORY)
    url = guarded.url("/ok")
    ports = (80, 443, guarded.port)

    assert FetchPolicy().allow_loopback is False
    assert fetch_policy().allow_loopback is False
    assert (
        fetch(url, policy=FetchPolicy(allowed_ports=ports)).error
        == "refused: 127.0.0.1 is a loopback address"
    )
    assert get(url).error == "refused: 127.0.0.1 is a loopback address"
    assert check_url("http://localhost/")[1] == "refused: localhost is this machine"
    assert guarded.request_count == 0
    assert connects == []


def test_only_an_explicit_allow_loopback_policy_reaches_loopback(guarded, settings):
    guarded.route("/ok", body=ENGLISH_STORY)
    url = guarded.url("/ok")
    ports = (80, 443, guarded.port)

    assert fetch(url, policy=FetchPolicy(allowed_ports=ports, allow_loopback=True)).ok
    assert guarded.request_count == 1
    ok, _, addresses = check_url("http://localhost/", policy=FetchPolicy(allow_loopback=True))
    assert ok and addresses and all(address_problem(a, allow_loopback=True) is None for a in addresses)

    settings.VERIFY_FETCH_POLICY = LOOPBACK_POLICY
    assert fetch_policy().allow_loopback is True
    assert get(url).ok
    assert guarded.request_count == 2


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.1/", "private"),
        ("http://169.254.169.254/", "link-local"),
        ("http://[::ffff:127.0.0.1]/", "IPv4-mapped"),
        ("http://[fe80::1]/", "link-local"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://[2002:7f00:1::1]/", "6to4 address embedding 127.0.0.1, a loopback address"),
        ("http://[64:ff9b::7f00:1]/", "NAT64 address embedding 127.0.0.1, a loopback address"),
    ],
)
def test_allow_loopback_allows_loopback_only(loopback, connects, url, reason):
    assert fetch_policy().allow_loopback is True
    result = get(url)
    assert result.state == "refused" and reason in result.error
    assert connects == []


def test_an_allow_loopback_backend_still_refuses_private_pins(connects):
    backend = PinningBackend(allow_loopback=True)
    backend.pin("news.example", 443, ["192.168.1.1"])
    with pytest.raises(PinViolation, match="private address"):
        backend.connect_tcp("news.example", 443)
    assert connects == []


def test_the_test_policy_cannot_be_switched_on_from_the_environment():
    """A worker-like process (the real settings, VERIFY_FETCH_POLICY naming the test factory in its
    environment) still refuses loopback: the setting is code, never read from the environment."""
    code = (
        "import django; django.setup();"
        "from verify.fetch import check_url;"
        "from verify.services.policy import fetch_policy;"
        "policy = fetch_policy();"
        "print(policy.allow_loopback, check_url('http://127.0.0.1/', policy=policy)[1])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "verify.settings", "VERIFY_FETCH_POLICY": LOOPBACK_POLICY}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "False refused: 127.0.0.1 is a loopback address"
