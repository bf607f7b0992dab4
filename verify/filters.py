"""The filters of verify's lists, one django-filter ``FilterSet`` each; the URL parameter names
are the form field names (bookmarks and links rely on them).

- :class:`ArticleFilter`: the article list (``state``, ``lang``, ``outlet``, ``credit``, ``q``);
- :class:`ReviewClaimFilter`: the claims of a review page (``status``, ``outlet``, ``speaker``,
  ``attribution``);
- :class:`ExportFilter`: the CSV export, from the export page, its URL and ``manage.py
  export_verdicts`` (``article``, ``status``, ``outlet``, ``speaker``, ``reviewer``, ``since``,
  ``until``). A bad value is refused with :class:`ExportFilterError`, whose message starts with
  the parameter's name and names the value (``status maybe: not a status; …``);
- :class:`SourceFilter`: the registry list (``q``, ``kind``).

Every parameter is read by a field here, so no value reaches the database unchecked: an id is
ASCII digits up to :data:`MAX_ID` (the largest 64-bit id), text holds no NUL, and a date bound
beyond what a ``datetime`` holds (the end of 9999-12-31, or 0001-01-01 in a zone ahead of UTC)
is clamped to the first or last moment there is.

Choices come from the models' TextChoices; the review-progress states are
``ArticleQuerySet.with_state``'s, the rule the admin's progress filter uses too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ChoiceField

from verify.models import Article, Claim, ReviewProgress, Source

__all__ = [
    "MAX_ID",
    "ArticleFilter",
    "ExportFilter",
    "ExportFilterError",
    "ReviewClaimFilter",
    "SourceFilter",
]

DATE_HINT = "use YYYY-MM-DD or an ISO 8601 date-time"
#: The largest row id: primary keys are 64-bit signed integers (``BigAutoField``).
MAX_ID = 2**63 - 1
_UTC_MIN = dt.datetime.min.replace(tzinfo=dt.UTC)
_UTC_MAX = dt.datetime.max.replace(tzinfo=dt.UTC)


class ExportFilterError(ValueError):
    """A filter value that cannot be used (unknown status, unreadable date); says which."""


# --- Fields -------------------------------------------------------------------------------------


class IdField(forms.CharField):
    """A row id: ASCII digits only (surrounding spaces ignored) up to :data:`MAX_ID`, cleaned to
    an int. A larger number is no id (SQLite cannot even compare with one)."""

    default_error_messages = {"invalid": f"%(value)s: not an id (ids are whole numbers up to {MAX_ID})"}

    def to_python(self, value: Any) -> int | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        digits = text.lstrip("0") or "0"
        if (
            not (digits.isascii() and digits.isdigit())
            or len(digits) > len(str(MAX_ID))
            or int(digits) > MAX_ID
        ):
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": shown})
        return int(digits)


class DateBoundField(forms.Field):
    """``YYYY-MM-DD`` (a whole day) or an ISO 8601 date-time (``2026-11-27T09:30+05:30``), cleaned
    to a ``date`` or a ``datetime``; a ``date`` or ``datetime`` object is taken as it is."""

    default_error_messages = {"invalid": f"%(value)r is not a date; {DATE_HINT}"}

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):  # a datetime is a date too
            return value
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
            try:
                return parse(text)
            except ValueError:
                pass
        raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": text})


class StrippedChoiceField(ChoiceField):
    """A choice, surrounding spaces ignored (``?status= disputed`` is ``disputed``)."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip()


class IdFilter(django_filters.Filter):
    field_class = IdField


class StrippedChoiceFilter(django_filters.ChoiceFilter):
    field_class = StrippedChoiceField


class DateBoundFilter(django_filters.Filter):
    field_class = DateBoundField


def _named_id(name: str, **kwargs) -> IdFilter:
    """An id parameter whose error starts with its name: ``article x: not an id (…)``."""
    message = f"{name} %(value)s: not an id (ids are whole numbers up to {MAX_ID})"
    return IdFilter(error_messages={"invalid": message}, **kwargs)


def _named_date(name: str, **kwargs) -> DateBoundFilter:
    """A date parameter whose error starts with its name: ``since: 'x' is not a date; …``."""
    return DateBoundFilter(
        error_messages={"invalid": f"{name}: %(value)r is not a date; {DATE_HINT}"}, **kwargs
    )


def _start_of(value: dt.date | dt.datetime, *, next_day: bool = False) -> dt.datetime:
    """A datetime as an aware UTC one (a naive one is read in the current time zone); a date as
    the start of that day (or of the next one) in the current time zone. A moment before
    0001-01-01 or after 9999-12-31 in UTC (the day after 9999-12-31, 0001-01-01 in a zone ahead
    of UTC) is clamped to the first or last moment a ``datetime`` holds."""
    try:
        if isinstance(value, dt.datetime):
            aware = value if timezone.is_aware(value) else timezone.make_aware(value)
        else:
            day = value + dt.timedelta(days=1) if next_day else value
            aware = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return aware.astimezone(dt.UTC)
    except OverflowError:
        return _UTC_MIN if value.year == dt.MINYEAR else _UTC_MAX


# --- Article list -------------------------------------------------------------------------------


class ArticleFilter(django_filters.FilterSet):
    """The article list: review progress (``state``), language (``lang``), an outlet that carried
    one of the claims (``outlet``, an id), the agency of the dateline (``credit``, the wire
    credit's id) and a text search in the title and body (``q``).
    A value that is not valid is ignored. ``state`` needs ``Article.objects.with_progress()``'s
    counts (added when the queryset lacks them)."""

    state = django_filters.ChoiceFilter(choices=ReviewProgress.choices, method="by_state")
    lang = django_filters.ChoiceFilter(field_name="language", choices=Article.Language.choices)
    outlet = IdFilter(method="by_outlet")
    credit = IdFilter(field_name="wire_credit_id")
    q = django_filters.CharFilter(method="by_text")

    class Meta:
        model = Article
        fields: list[str] = []

    def by_state(self, articles: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        return articles.with_state(value)

    def by_outlet(self, articles: QuerySet[Article], name: str, value: int) -> QuerySet[Article]:
        return articles.filter(Exists(Claim.objects.filter(article=OuterRef("pk"), outlet_id=value)))

    def by_text(self, articles: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        return articles.filter(Q(title__icontains=value) | Q(body__icontains=value))

    @property
    def query(self) -> str:
        """The text searched for, stripped ("" for none)."""
        return _cleaned(self, "q")


def _cleaned(filterset: django_filters.FilterSet, name: str) -> str:
    """A parameter as the list uses it: cleaned, "" when absent or not valid (a NUL, a kind that
    is none)."""
    if not filterset.is_bound:
        return ""
    filterset.form.is_valid()  # validates once; the valid fields are in cleaned_data either way
    return filterset.form.cleaned_data.get(name) or ""


# --- Review page --------------------------------------------------------------------------------


class ReviewClaimFilter(django_filters.FilterSet):
    """The claims shown on a review page: by status (or ``excluded``: marked "not a claim"),
    outlet, speaker (ids) and attribution."""

    EXCLUDED = "excluded"

    status = django_filters.ChoiceFilter(
        choices=[*Claim.Status.choices, (EXCLUDED, _("Not a claim"))], method="by_status"
    )
    outlet = IdFilter(field_name="outlet_id")
    speaker = IdFilter(field_name="speaker_id")
    attribution = django_filters.ChoiceFilter(choices=Claim.Attribution.choices)

    class Meta:
        model = Claim
        fields: list[str] = []

    def by_status(self, claims: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return claims.filter(excluded=True) if value == self.EXCLUDED else claims.filter(status=value)

    @property
    def params(self) -> dict[str, str]:
        """Each filter's parameter as given ("" when absent), for the form's selected options."""
        return {name: self.data.get(name, "") if self.data else "" for name in self.filters}

    def is_filtering(self) -> bool:
        return any(self.params.values())

    def pick(self, claims: list[Claim]) -> list[Claim]:
        """The claims of ``claims`` (already loaded, the page shows them all in the text) that
        pass the filters, in their order. No query without a filter; with one, a single query
        for the matching ids. A value that is not valid matches no claim."""
        if not self.is_filtering():
            return claims
        wanted = set(self.qs.values_list("pk", flat=True)) if self.is_valid() else set()
        return [claim for claim in claims if claim.pk in wanted]


# --- Export -------------------------------------------------------------------------------------


class ExportFilter(django_filters.FilterSet):
    """The claims to export (not marked "not a claim"), in article and claim order, with the
    latest verdict annotated (``Claim.objects.with_latest_verdict()``).

    ``article``, ``outlet``, ``speaker`` and ``reviewer`` are ids. ``reviewer``, ``since`` and
    ``until`` apply to the latest verdict, so they select reviewed claims only; both dates are
    inclusive (a date means the whole day in the configured time zone, a naive date-time is read
    in that zone). The data may be request parameters (strings) or Python values (ids, ``date``
    and ``datetime`` objects).
    """

    article = _named_id("article", field_name="article_id")
    status = StrippedChoiceFilter(
        choices=Claim.Status.choices,
        error_messages={
            "invalid_choice": f"status %(value)s: not a status; use one of {', '.join(Claim.Status.values)}"
        },
    )
    outlet = _named_id("outlet", field_name="outlet_id")
    speaker = _named_id("speaker", field_name="speaker_id")
    reviewer = _named_id("reviewer", method="by_reviewer")
    since = _named_date("since", method="by_since")
    until = _named_date("until", method="by_until")

    def __init__(self, data=None, queryset: QuerySet[Claim] | None = None, **kwargs) -> None:
        """``data`` None is no filter (all claims); ``queryset`` defaults to every claim to export."""
        if queryset is None:
            queryset = Claim.objects.filter(excluded=False).with_latest_verdict()
            queryset = queryset.order_by("article_id", "order", "id")
        super().__init__({} if data is None else data, queryset, **kwargs)

    def by_reviewer(self, claims: QuerySet[Claim], name: str, value: int) -> QuerySet[Claim]:
        return claims.reviewed().filter(latest_reviewer_id=value)

    def by_since(self, claims: QuerySet[Claim], name: str, value: dt.date) -> QuerySet[Claim]:
        return claims.reviewed().filter(latest_at__gte=_start_of(value))

    def by_until(self, claims: QuerySet[Claim], name: str, value: dt.date) -> QuerySet[Claim]:
        if isinstance(value, dt.datetime):
            return claims.reviewed().filter(latest_at__lte=_start_of(value))
        return claims.reviewed().filter(latest_at__lt=_start_of(value, next_day=True))

    def cleaned(self) -> dict[str, Any]:
        """The filters given, parsed (empty ones left out), e.g. ``{"article": 3, "since":
        date(2026, 1, 2)}``. Raises :class:`ExportFilterError` with the first bad one's error."""
        if not self.is_valid():
            raise ExportFilterError(next(msg for errors in self.errors.values() for msg in errors))
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}

    def claims(self) -> QuerySet[Claim]:
        """The filtered claims (lazy: no query yet). Raises :class:`ExportFilterError`."""
        self.cleaned()
        return self.qs


# --- Registry list ------------------------------------------------------------------------------


class SourceFilter(django_filters.FilterSet):
    """The registry list: a text search in names and aliases (``q``) and a kind (``kind``).
    A value that is not valid is ignored."""

    q = django_filters.CharFilter(method="by_text")
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices)

    class Meta:
        model = Source
        fields: list[str] = []

    def by_text(self, sources: QuerySet[Source], name: str, value: str) -> QuerySet[Source]:
        return sources.filter(Q(name__icontains=value) | Q(aliases__alias__icontains=value)).distinct()

    @property
    def query(self) -> str:
        """The text searched for, stripped ("" for none)."""
        return _cleaned(self, "q")

    @property
    def kind_shown(self) -> str:
        """The kind the list is limited to ("" for all)."""
        return _cleaned(self, "kind")
