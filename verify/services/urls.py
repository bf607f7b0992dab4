"""The one check of a URL that verify stores: an article's source URL, a URL to fetch an article
from, a reference or evidence link. Every way in calls :func:`check_url` (the ingest form, the
``ingest_article`` command, ``article_ingest``, the evidence links of the review service);
:func:`publishable_url` applies the same rule to stored values on their way out (CSV export,
ClaimReview), so a URL written by other means (the shell, an older version) is never published.
"""

from __future__ import annotations

import regex
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext

__all__ = ["MAX_URL_CHARS", "UrlRefused", "check_url", "publishable_url"]

#: The longest URL stored (the models' URL columns hold 2,000 characters).
MAX_URL_CHARS = 2000

# Control characters (NUL, bell, DEL, C1 …), lone surrogates and the bidirectional controls
# that make a link read otherwise than it goes.
_FORBIDDEN = regex.compile(r"[\p{Cc}\p{Cs}\p{Bidi_Control}]")
_validate = URLValidator(schemes=["http", "https"])


class UrlRefused(ValueError):
    """A URL verify does not store; the message says why, for the person who gave it."""


def _shown(url: str) -> str:
    """The start of a URL as a message quotes it: invisible characters spelled as escapes."""
    head = url[:80]
    return _FORBIDDEN.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), head) + (
        "…" if len(url) > 80 else ""
    )


def check_url(url: str, *, error: type[ValueError] = UrlRefused) -> str:
    """The URL as stored (surrounding spaces removed; "" stays "", no URL), or ``error`` (a
    :class:`UrlRefused` unless the caller names its own refusal) saying why it is refused:

    - longer than :data:`MAX_URL_CHARS` characters;
    - a control character (NUL included), a lone surrogate or a bidirectional control in it;
    - not an absolute ``http`` or ``https`` URL with a valid host (Django's ``URLValidator``).
    """
    url = url.strip()
    if not url:
        return ""
    if len(url) > MAX_URL_CHARS:
        raise error(
            gettext("The link is %(n)s characters long; the limit is %(limit)s.")
            % {"n": f"{len(url):,}", "limit": f"{MAX_URL_CHARS:,}"}
        )
    if found := _FORBIDDEN.search(url):
        raise error(
            gettext("“%(url)s” contains a control character (%(char)s); a link cannot.")
            % {"url": _shown(url), "char": f"U+{ord(found[0]):04X}"}
        )
    try:
        _validate(url)
    except ValidationError:
        raise error(gettext("“%(url)s” is not an http(s) link.") % {"url": _shown(url)}) from None
    return url


def publishable_url(url: str | None) -> str:
    """A stored URL if :func:`check_url` would take it today, else "" (publish no link)."""
    try:
        return check_url(url or "")
    except UrlRefused:
        return ""
