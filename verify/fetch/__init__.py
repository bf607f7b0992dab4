"""Fetch one web page safely and pull out its main text. No Django here: the caller passes a
:class:`FetchPolicy` (the Django side builds it from settings, :mod:`verify.services.policy`).

- :mod:`~verify.fetch.guard` — the SSRF guard (how it works is told there): ``check_url``,
  ``address_problem``;
- :mod:`~verify.fetch.transport` — the address-pinning httpcore backend and httpx transport;
- :mod:`~verify.fetch.client` — ``fetch(url, *, policy) -> FetchResult``: redirects vetted hop
  by hop, bounded body, one deadline for the whole network part, Retry-After;
- :mod:`~verify.fetch.pagetext` — bytes to text, main text, title, outbound links;
- :mod:`~verify.fetch.extract` — the page-text step in a child process under a time limit;
- :mod:`~verify.fetch.policy` — ``FetchPolicy``, every limit of a fetch.
"""

from verify.fetch.client import HEADERS_OF_INTEREST, FetchResult, fetch, parse_retry_after
from verify.fetch.extract import ExtractionError, page_text
from verify.fetch.guard import address_problem, check_url
from verify.fetch.pagetext import (
    PageText,
    decode_body,
    extract_page,
    html_title,
    html_to_text,
    outbound_links,
)
from verify.fetch.policy import FetchPolicy, user_agent_for
from verify.fetch.transport import DeadlineExceeded, PinnedTransport, PinningBackend, PinViolation

__all__ = [
    "HEADERS_OF_INTEREST",
    "DeadlineExceeded",
    "ExtractionError",
    "FetchPolicy",
    "FetchResult",
    "PageText",
    "PinViolation",
    "PinnedTransport",
    "PinningBackend",
    "address_problem",
    "check_url",
    "decode_body",
    "extract_page",
    "fetch",
    "html_title",
    "html_to_text",
    "outbound_links",
    "page_text",
    "parse_retry_after",
    "user_agent_for",
]
