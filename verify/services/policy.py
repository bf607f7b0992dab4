"""This installation's fetch policy: :class:`verify.fetch.FetchPolicy` built from Django settings.

Settings (all optional; the library's defaults otherwise): ``VERIFY_FETCH_CONNECT_TIMEOUT``
(5 s), ``VERIFY_FETCH_READ_TIMEOUT`` (15 s), ``VERIFY_FETCH_TOTAL_TIMEOUT`` (30 s, wall clock
for the whole fetch), ``VERIFY_FETCH_MAX_BYTES`` (5 MB, decoded body),
``VERIFY_FETCH_MAX_REDIRECTS`` (5), ``VERIFY_FETCH_ALLOWED_PORTS`` ([80, 443]),
``VERIFY_FETCH_MAX_EXTRACT_BYTES`` (1 MB of HTML reaching the text extractor),
``VERIFY_FETCH_EXTRACT_TIMEOUT`` (20 s, the extraction's own time limit),
``VERIFY_CONTACT`` (for the User-Agent; falls back to ``VERIFY_NEWSROOM_URL``).

``VERIFY_FETCH_POLICY``: a dotted path to a callable returning a ``FetchPolicy`` that replaces
the settings-built one; empty (the default) means :func:`settings_policy`. It exists so tests
can inject a policy that allows loopback (``tests.httpfixtures.loopback_policy``); settings.py
never reads it from the environment, so no deployment can switch loopback on by configuration.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from verify.fetch import FetchPolicy, user_agent_for

_DEFAULT = FetchPolicy()


def settings_policy() -> FetchPolicy:
    """The policy the ``VERIFY_FETCH_*`` settings describe (read at call time); never loopback."""
    contact = getattr(settings, "VERIFY_CONTACT", "") or getattr(settings, "VERIFY_NEWSROOM_URL", "")
    return FetchPolicy(
        connect_timeout=float(getattr(settings, "VERIFY_FETCH_CONNECT_TIMEOUT", _DEFAULT.connect_timeout)),
        read_timeout=float(getattr(settings, "VERIFY_FETCH_READ_TIMEOUT", _DEFAULT.read_timeout)),
        total_timeout=float(getattr(settings, "VERIFY_FETCH_TOTAL_TIMEOUT", _DEFAULT.total_timeout)),
        max_bytes=int(getattr(settings, "VERIFY_FETCH_MAX_BYTES", _DEFAULT.max_bytes)),
        max_redirects=int(getattr(settings, "VERIFY_FETCH_MAX_REDIRECTS", _DEFAULT.max_redirects)),
        allowed_ports=tuple(
            int(port) for port in getattr(settings, "VERIFY_FETCH_ALLOWED_PORTS", _DEFAULT.allowed_ports)
        ),
        user_agent=user_agent_for(contact),
        max_extract_bytes=int(
            getattr(settings, "VERIFY_FETCH_MAX_EXTRACT_BYTES", _DEFAULT.max_extract_bytes)
        ),
        extract_timeout=float(getattr(settings, "VERIFY_FETCH_EXTRACT_TIMEOUT", _DEFAULT.extract_timeout)),
    )


def fetch_policy(**overrides: Any) -> FetchPolicy:
    """The policy every fetch of this installation uses: ``VERIFY_FETCH_POLICY``'s factory when
    set, else :func:`settings_policy`; ``overrides`` replace single fields."""
    path = getattr(settings, "VERIFY_FETCH_POLICY", "")
    policy = import_string(path)() if path else settings_policy()
    if not isinstance(policy, FetchPolicy):
        raise ImproperlyConfigured(
            f"VERIFY_FETCH_POLICY {path!r} returned {type(policy).__name__}, not a FetchPolicy"
        )
    return replace(policy, **overrides)
