"""The limits of one fetch, as a plain value: the library never reads settings itself.

The Django side builds the installation's policy from settings
(:func:`verify.services.policy.fetch_policy`); scripts and tests may build one directly.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "0.1"
DEFAULT_CONTACT = "https://newsroom.example"


def user_agent_for(contact: str = "") -> str:
    """The User-Agent naming ``contact`` (an e-mail or URL where the newsroom can be reached).

    A header must be printable ASCII without CR/LF, whatever someone put in the setting, so
    anything else is dropped (an empty result falls back to :data:`DEFAULT_CONTACT`).
    """
    contact = "".join(ch for ch in str(contact or "") if " " <= ch <= "~") or DEFAULT_CONTACT
    return f"verify/{VERSION} (+claim verification workbench; contact: {contact})"


@dataclass(frozen=True)
class FetchPolicy:
    """Every limit of a fetch. The defaults are the production ones; ``allow_loopback`` is off.

    ``allow_loopback`` lets 127.0.0.0/8, ::1 and the plain name ``localhost`` through (tests run
    their HTTP server there). It allows loopback only: private, link-local, metadata and every
    other non-global range stay refused even then. Only code can turn it on: the Django side
    takes it from a factory named in the ``VERIFY_FETCH_POLICY`` setting, never from the
    environment.
    """

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    # Wall clock for the network part of the fetch — connecting, TLS, headers, body, every
    # redirect — so a server dribbling header lines or bytes cannot hold a worker.
    total_timeout: float = 30.0
    max_bytes: int = 5 * 1024 * 1024  # of decoded body
    max_redirects: int = 5
    allowed_ports: tuple[int, ...] = (80, 443)
    user_agent: str = user_agent_for()
    allow_loopback: bool = False
    # The page-text step after the network part: at most this much of an HTML page (its scripts
    # and styles dropped first) reaches the extractor, which runs in a child process killed after
    # extract_timeout seconds.
    max_extract_bytes: int = 1024 * 1024
    extract_timeout: float = 20.0

    @property
    def max_duration(self) -> float:
        """The longest one fetch can take, in seconds: the network budget plus the extraction
        limit (decoding the body takes milliseconds). A lease on a fetch must outlast it."""
        return self.total_timeout + self.extract_timeout
