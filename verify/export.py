"""CSV exports of claims and their verdicts, streamed in constant memory.

Three layers, each usable on its own:

- :func:`claims_for_export` builds the filtered queryset (one SQL query, latest verdict annotated)
  through :class:`verify.filters.ExportFilter`, which also reads the filters of a request or of
  ``manage.py export_verdicts``;
- :func:`iter_csv_rows` turns it into CSV lines (header first), one per claim or, with
  ``history=True``, one per verdict;
- :func:`export_response` wraps the lines in a ``StreamingHttpResponse`` for a view.

Every query is read with ``.iterator(chunk_size=2000)``: the number of queries does not grow with
the number of rows and memory stays flat for hundreds of thousands of claims. Every field is
quoted and cells that a spreadsheet would run as a formula get a leading apostrophe (see
:func:`neutralise`), so the file is safe to open whichever separator (``,`` ``;`` tab) the
spreadsheet splits on; the format is described in ``docs/export.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import regex
from django.conf import settings
from django.db import NotSupportedError
from django.db.models import OuterRef, QuerySet, Subquery, TextField
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from verify.filters import ExportFilter, ExportFilterError
from verify.models import Article, Claim, ReferenceLink, Source
from verify.services.urls import publishable_url

__all__ = [
    "HEADER",
    "HISTORY_HEADER",
    "LATER_COLUMNS",
    "ExportFilterError",
    "claim_url_builder",
    "claims_for_export",
    "default_filename",
    "export_response",
    "iter_csv_rows",
    "neutralise",
    "public_url",
]

# The columns every reader of the first exports knows, in their places.
_FIRST_COLUMNS: tuple[str, ...] = (
    "article_id",
    "article_title",
    "article_url",
    "claim_id",
    "claim_order",
    "claim_text",
    "speaker",
    "outlet",
    "outlet_state_affiliated",
    "attribution",
    "cue",
    "status",
    "note",
    "reviewer",
    "reviewed_at",
    "evidence_urls",
    "claim_url",
)
#: Columns added later, at the very end of both kinds of row so that no earlier column moves:
#: the article's wire credit (the dateline's agency, registry name) and the speaker's title
#: and kind (``person``, ``organisation``, ``anonymous`` or empty).
LATER_COLUMNS: tuple[str, ...] = ("wire_credit", "speaker_role", "speaker_kind")

#: Columns of the default export: one row per claim, with its latest verdict.
HEADER: tuple[str, ...] = (*_FIRST_COLUMNS, *LATER_COLUMNS)

#: Columns of the history export: one row per verdict. ``status``, ``note``, ``reviewer``,
#: ``reviewed_at``, ``evidence_urls`` and ``claim_text`` are the verdict's own;
#: ``current_status`` is the claim's status now.
HISTORY_HEADER: tuple[str, ...] = (*_FIRST_COLUMNS, "verdict_id", "current_status", *LATER_COLUMNS)

CHUNK_SIZE = 2000
BOM = "\ufeff"
# Formula triggers (OWASP "CSV injection"): = + - @, and every character NFKC folds to one of
# them (full-width ＝＋－＠, small ﹦﹢﹣﹫, super- and subscript ⁺⁼₊₌, ⩵ ⩶, ﬩), which some
# spreadsheets take for the ASCII sign. tests/test_export.py checks the list against Unicode.
FORMULA_TRIGGERS = frozenset("=+-@⁺⁼₊₌⩵⩶﬩﹢﹣﹦﹫＋－＝＠")
# What else makes a cell's start risky (see neutralise): a ";" and any blank, control or
# invisible character.
_RISKY_ASCII = FORMULA_TRIGGERS | {";"}
_BLANK_OR_INVISIBLE = regex.compile(r"[\p{White_Space}\p{Cc}\p{Cf}]")
# Inside a cell, a trigger (after any quote marks) just after a ";", a tab or a line break.
_TRIGGER_AFTER_BREAK = regex.compile(
    r'(?<=[;\t\r\n])(?="*[' + regex.escape("".join(sorted(FORMULA_TRIGGERS))) + "])"
)
# Joins a claim's reference-link URLs inside one SQL value; URLs never contain it.
_LINK_SEPARATOR = "\x1f"
# Subqueries keep their ORDER BY only when sliced; no claim has anywhere near this many links.
_MAX_LINKS = 10_000


# --- Cells ----------------------------------------------------------------------------------


def neutralise(value: str) -> str:
    """An apostrophe before each place in a cell where a spreadsheet could start a formula, as
    OWASP recommends against CSV injection; other cells are unchanged.

    - At the start, when the first character after any quote marks ``"`` is a formula trigger
      (:data:`FORMULA_TRIGGERS`), a ``;``, or a blank, control or invisible character (tab, CR,
      line break, space, no-break space, zero-width space, BOM, bidi marks): spreadsheets skip
      some of those before a formula, and a quote mark then a ``;``, tab or line break ends a
      quoted field early for LibreOffice splitting on ``;`` or tab.
    - Inside, after a ``;``, a tab or a line break followed (after any quote marks) by a trigger:
      a spreadsheet splitting on ``;`` or tab ends the record at a line break inside a quoted
      cell and splits what follows at every ``;``, so each of those places can start a cell.
    """
    if not value:
        return value
    if ";" in value or "\n" in value or "\t" in value or "\r" in value:
        value = _TRIGGER_AFTER_BREAK.sub("'", value)
    head = value[0]
    if "0" <= head <= "~" and head not in _RISKY_ASCII:  # most cells: decided at once
        return value
    first = value.lstrip('"')[:1]
    if first and (first in _RISKY_ASCII or _BLANK_OR_INVISIBLE.match(first)):
        return "'" + value
    return value


def _iso(value: dt.datetime | None, tz: dt.tzinfo | None = None) -> str:
    """ISO 8601 with the offset of ``tz`` (default: the current time zone), to the second."""
    if value is None:
        return ""
    return value.astimezone(tz or timezone.get_current_timezone()).isoformat(timespec="seconds")


def _join_urls(*groups: Iterable[str]) -> str:
    """URLs of all groups, first occurrence kept, separated by single spaces."""
    seen: dict[str, None] = {}
    for group in groups:
        for url in group:
            if url and url not in seen:
                seen[url] = None
    return " ".join(seen)


# --- Links ----------------------------------------------------------------------------------


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """An absolute link to ``path`` in verify: ``VERIFY_PUBLIC_URL`` + path, or, when that setting
    is empty, the address the request came in on."""
    base = getattr(settings, "VERIFY_PUBLIC_URL", "").rstrip("/")
    if not base and request is not None:
        return request.build_absolute_uri(path)
    return base + path


def claim_url_builder(request: HttpRequest | None = None):
    """A fast ``(article_id, claim_id) -> absolute claim URL`` function, equal to
    ``public_url(claim.get_absolute_url())`` but without a ``reverse()`` per row."""
    marker = 987654321
    before, after = reverse("verify:article_detail", args=[marker]).split(str(marker), 1)
    prefix = public_url(before, request)

    def build(article_id: int, claim_id: int) -> str:
        return f"{prefix}{article_id}{after}#claim-{claim_id}"

    return build


# --- Query ----------------------------------------------------------------------------------


class _LinkUrls(Subquery):
    """A claim's reference-link URLs as one string (joined by ``_LINK_SEPARATOR``, in the order
    they were added), computed inside the main query: SQLite ``group_concat`` over an ordered
    subquery, PostgreSQL ``array_to_string(ARRAY(...))``."""

    output_field = TextField()

    def __init__(self) -> None:
        links = (
            ReferenceLink.objects.filter(claim=OuterRef("pk"))
            .order_by("added_at", "id")
            .values("url")[:_MAX_LINKS]
        )
        super().__init__(links, output_field=TextField())

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite does not flatten an ordered subquery into an aggregate, so the order holds.
        template = "(SELECT group_concat(_links.url, char(31)) FROM (%(subquery)s) AS _links)"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "array_to_string(ARRAY(%(subquery)s), chr(31))"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_vendor_unsupported(self, compiler, connection, **extra_context):  # pragma: no cover
        raise NotSupportedError(f"CSV export supports SQLite and PostgreSQL, not {connection.vendor}")

    as_mysql = as_oracle = as_vendor_unsupported


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def claims_for_export(
    *,
    article: Article | int | None = None,
    status: str | None = None,
    outlet: Source | int | None = None,
    speaker: Source | int | None = None,
    reviewer: Any = None,
    since: dt.date | dt.datetime | None = None,
    until: dt.date | dt.datetime | None = None,
) -> QuerySet[Claim]:
    """The claims to export, in article and claim order, with the latest verdict annotated.

    Claims an editor marked "not a claim" (``excluded``) are left out. ``article``, ``outlet``,
    ``speaker`` and ``reviewer`` take a model instance or a primary key. ``reviewer``, ``since``
    and ``until`` apply to the latest verdict, so they select reviewed claims only; both dates are
    inclusive (a date means the whole day in the configured time zone, a naive datetime is read
    in that zone). An unknown ``status`` raises :class:`ExportFilterError`. The rules are
    :class:`verify.filters.ExportFilter`'s.
    """
    if status and status not in Claim.Status.values:
        raise ExportFilterError(f"unknown status {status!r}; use one of {', '.join(Claim.Status.values)}")
    given = {
        "article": article,
        "status": status,
        "outlet": outlet,
        "speaker": speaker,
        "reviewer": reviewer,
        "since": since,
        "until": until,
    }
    return ExportFilter({name: _pk(value) for name, value in given.items() if value is not None}).claims()


# --- CSV ------------------------------------------------------------------------------------


class _Line:
    """A file-like object whose ``write`` returns what it was given: ``csv.writer`` then hands
    back each formatted line instead of storing it."""

    def write(self, value: str) -> str:
        return value


_CLAIM_FIELDS = (
    "id",
    "article_id",
    "article__title",
    "article__source_url",
    "order",
    "text",
    "speaker__name",
    "speaker_text",
    "outlet__name",
    "outlet__state_affiliated",
    "attribution",
    "cue",
    "status",
    "article__wire_credit__name",
    "speaker_role",
    "speaker_kind",
)
# Positions in a ``values_list`` row (tuples are cheaper than dicts at 200,000 rows).
_ID, _ARTICLE, _TITLE, _SOURCE_URL, _ORDER, _TEXT, _SPEAKER, _SPEAKER_TEXT = range(8)
_OUTLET, _STATE_AFFILIATED, _ATTRIBUTION, _CUE, _STATUS = range(8, 13)
_WIRE_CREDIT, _SPEAKER_ROLE, _SPEAKER_KIND = range(13, 16)
_AFTER_CLAIM = len(_CLAIM_FIELDS)  # where the verdict's fields start in a row


# A stored source URL that the URL check would refuse today (javascript:, a NUL …) is exported
# as "". Rows come article by article, so a small cache checks each article's URL about once.
_publishable = lru_cache(maxsize=1024)(publishable_url)


def _claim_cells(row: tuple) -> list[Any]:
    """The claim's own columns, in HEADER order up to ``cue`` (11 cells).

    Cells that can hold free text go through :func:`neutralise`; the others are numbers,
    choices fixed by database constraints, or values built here.
    """
    n = neutralise
    outlet = row[_OUTLET]
    return [
        row[_ARTICLE],
        n(row[_TITLE]),
        n(_publishable(row[_SOURCE_URL])),
        row[_ID],
        row[_ORDER] + 1,
        n(row[_TEXT]),
        n(row[_SPEAKER] or row[_SPEAKER_TEXT]),
        n(outlet or ""),
        ("yes" if row[_STATE_AFFILIATED] else "no") if outlet else "",
        row[_ATTRIBUTION],
        n(row[_CUE]),
    ]


def _later_cells(row: tuple) -> list[str]:
    """The :data:`LATER_COLUMNS` cells, the end of every row. The kind is a choice fixed by a
    database constraint; the credit's name and the role are text, so neutralised."""
    return [neutralise(row[_WIRE_CREDIT] or ""), neutralise(row[_SPEAKER_ROLE]), row[_SPEAKER_KIND]]


def _latest_rows(queryset: QuerySet[Claim], claim_url, tz) -> Iterator[list[Any]]:
    """One row per claim; verdict columns empty while the claim is unreviewed (earlier verdicts
    of a split or merged claim were for another text: they are in the history export)."""
    rows = (
        queryset.with_latest_verdict()
        .annotate(link_urls=_LinkUrls())
        .values_list(
            *_CLAIM_FIELDS,
            "latest_note",
            "latest_reviewer",
            "latest_at",
            "latest_evidence",
            "link_urls",
        )
    )
    n = neutralise
    unreviewed = Claim.Status.UNREVIEWED.value
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        note, reviewer, at, evidence, link_urls = row[_AFTER_CLAIM:]
        links = link_urls.split(_LINK_SEPARATOR) if link_urls else ()
        cells = _claim_cells(row)
        cells.append(row[_STATUS])
        if row[_STATUS] == unreviewed or at is None:
            cells += ["", "", "", n(_join_urls(links))]
        else:
            cells += [n(note or ""), n(reviewer or ""), _iso(at, tz), n(_join_urls(evidence or (), links))]
        cells.append(claim_url(row[_ARTICLE], row[_ID]))
        cells += _later_cells(row)
        yield cells


def _history_rows(queryset: QuerySet[Claim], claim_url, tz) -> Iterator[list[Any]]:
    """One row per verdict, oldest first within a claim; a claim without verdicts once."""
    rows = queryset.order_by("article_id", "order", "id", "verdicts__created_at", "verdicts__id").values_list(
        *_CLAIM_FIELDS,
        "verdicts__id",
        "verdicts__status",
        "verdicts__note",
        "verdicts__reviewer__username",
        "verdicts__created_at",
        "verdicts__evidence_urls",
        "verdicts__claim_text",
    )
    n = neutralise
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        verdict_id, status, note, reviewer, at, evidence, judged_text = row[_AFTER_CLAIM:]
        cells = _claim_cells(row)
        if verdict_id is None:
            cells += ["", "", "", "", ""]
        else:
            cells[5] = n(judged_text)
            cells += [status, n(note), n(reviewer or ""), _iso(at, tz), n(_join_urls(evidence or ()))]
        cells += [claim_url(row[_ARTICLE], row[_ID]), verdict_id or "", row[_STATUS]]
        cells += _later_cells(row)
        yield cells


def iter_csv_rows(
    queryset: QuerySet[Claim],
    *,
    history: bool = False,
    excel: bool = False,
    request: HttpRequest | None = None,
) -> Iterator[str]:
    """CSV lines (``\\r\\n``-terminated, RFC 4180, every field quoted), the header first.

    ``queryset`` normally comes from :func:`claims_for_export` (any ``Claim`` queryset works; it
    is exported as filtered). One line per claim, or with ``history``
    one per verdict (a claim without verdicts once, with empty verdict columns). ``excel`` puts
    a UTF-8 byte order mark before the header so Excel reads the file as UTF-8. Every cell that
    a spreadsheet would run as a formula starts with an apostrophe (:func:`neutralise`).
    The query runs when the first data line is asked for, not before.
    """
    # Every field quoted: a spreadsheet that splits on ";" or tab (the default in many locales)
    # then sees a line that starts with a quote mark and never ends that field before the line
    # does, so a separator inside a cell never starts a new cell (see neutralise for the rest).
    writer = csv.writer(_Line(), quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    header = HISTORY_HEADER if history else HEADER
    yield (BOM if excel else "") + writer.writerow(header)
    claim_url = claim_url_builder(request)
    tz = timezone.get_current_timezone()
    rows = (_history_rows if history else _latest_rows)(queryset, claim_url, tz)
    writerow = writer.writerow
    for row in rows:
        yield writerow(row)


def _batched(lines: Iterable[str], size: int = 64 * 1024) -> Iterator[str]:
    """Group lines into pieces of about ``size`` characters (fewer, larger writes)."""
    buffer: list[str] = []
    length = 0
    for line in lines:
        buffer.append(line)
        length += len(line)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


def default_filename(*, article: Article | int | None = None, history: bool = False) -> str:
    """A download name like ``verdicts-2026-11-27.csv`` or ``verdict-history-article-12-….csv``."""
    parts = ["verdict-history" if history else "verdicts"]
    if article is not None:
        parts.append(f"article-{_pk(article)}")
    parts.append(timezone.localdate().isoformat())
    return "-".join(parts) + ".csv"


def export_response(
    queryset: QuerySet[Claim],
    *,
    history: bool = False,
    excel: bool = False,
    filename: str = "verdicts.csv",
    request: HttpRequest | None = None,
) -> StreamingHttpResponse:
    """A streamed ``text/csv; charset=utf-8`` download of :func:`iter_csv_rows`, as an attachment
    named ``filename`` (non-ASCII names are sent RFC 6266-encoded)."""
    lines = iter_csv_rows(queryset, history=history, excel=excel, request=request)
    response = StreamingHttpResponse(_batched(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
