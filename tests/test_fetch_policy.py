"""The fetch policy: a plain value in the library, built from Django settings on the Django side
(verify/services/policy.py), and a library that imports no Django at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.fetch_cases import LOOPBACK_POLICY
from verify.fetch import FetchPolicy, check_url
from verify.services.policy import fetch_policy, settings_policy

ROOT = Path(__file__).resolve().parent.parent


def test_policy_comes_from_settings(settings):
    settings.VERIFY_FETCH_CONNECT_TIMEOUT = 1
    settings.VERIFY_FETCH_READ_TIMEOUT = 2
    settings.VERIFY_FETCH_MAX_BYTES = 1234
    settings.VERIFY_FETCH_ALLOWED_PORTS = [443]
    settings.VERIFY_CONTACT = "desk@example.org\r\nX-Injected: 1"
    policy = fetch_policy(max_redirects=2)

    assert (policy.connect_timeout, policy.read_timeout, policy.max_bytes) == (1.0, 2.0, 1234)
    assert policy.allowed_ports == (443,) and policy.max_redirects == 2
    assert "\r" not in policy.user_agent and "\n" not in policy.user_agent
    assert policy.user_agent.startswith(
        "verify/0.1 (+claim verification workbench; contact: desk@example.org"
    )
    assert check_url("http://news.example/", policy=policy)[1] == "refused: port 80 is not allowed"


def test_defaults_without_settings(settings):
    for name in ("VERIFY_FETCH_CONNECT_TIMEOUT", "VERIFY_FETCH_MAX_BYTES", "VERIFY_FETCH_ALLOWED_PORTS"):
        if hasattr(settings, name):
            delattr(settings, name)
    policy = fetch_policy()
    assert policy.connect_timeout == 5 and policy.read_timeout == 15
    assert policy.max_bytes == 5 * 1024 * 1024 and policy.max_redirects == 5
    assert policy.allowed_ports == (80, 443)
    assert not policy.allow_loopback


def test_the_user_agent_falls_back_to_the_newsroom_url(settings):
    settings.VERIFY_CONTACT = ""
    settings.VERIFY_NEWSROOM_URL = "https://desk.example"
    assert settings_policy().user_agent.endswith("contact: https://desk.example)")


def test_verify_fetch_policy_names_a_factory_and_overrides_still_apply(settings):
    settings.VERIFY_FETCH_ALLOWED_PORTS = [443, 8443]
    settings.VERIFY_FETCH_POLICY = LOOPBACK_POLICY
    policy = fetch_policy(max_redirects=1)
    assert policy.allow_loopback and policy.allowed_ports == (443, 8443) and policy.max_redirects == 1

    settings.VERIFY_FETCH_POLICY = ""
    assert fetch_policy() == settings_policy() and not fetch_policy().allow_loopback


def test_a_factory_that_returns_no_policy_is_a_configuration_error(settings):
    settings.VERIFY_FETCH_POLICY = "builtins.dict"
    with pytest.raises(ImproperlyConfigured, match="not a FetchPolicy"):
        fetch_policy()


def test_the_library_default_is_the_strictest():
    policy = FetchPolicy()
    assert not policy.allow_loopback and policy.allowed_ports == (80, 443)
    assert check_url("http://127.0.0.1/", policy=policy)[1] == "refused: 127.0.0.1 is a loopback address"


def test_verify_fetch_imports_no_django():
    """A fresh process: importing the library and running its guard loads no Django module."""
    code = (
        "import sys, verify.fetch;"
        "from verify.fetch import FetchPolicy, check_url;"
        "check_url('http://127.0.0.1/', policy=FetchPolicy());"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django');"
        "assert not bad, bad;"
        "print('no django')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "no django"
