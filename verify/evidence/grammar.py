"""Dates and numbers in English and Hindi, as the evidence matcher compares them.

* numbers: Arabic or Devanagari digits, thousands separators (1,500 / 1,00,000) dropped, so the
  Indian grouping of lakh and crore reads as the same number; a decimal part without trailing
  zeros (3.50 -> "3.5"); number words two..twelve and twenty in English and Hindi ("पांच" /
  "five" -> 5), see :func:`number_word`.
* dates: day and month in English or Hindi ("13 सितंबर", "सितंबर 13", "Sept. 13",
  "13th of September", "2023-09-13"), read as (day, month); a year alone (1800-2100); a month
  alone in Hindi, or in English spelt out and capitalised ("October", "OCTOBER", also "Sept";
  never "May" alone, nor "oct").

Keys: ``("number", "1500")``, ``("date", day, month)``, ``("month", month)``, ``("year", year)``.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterable

import regex

from verify.text import NOT_AFTER, NOT_BEFORE, match_key

from .words import EN_MONTHS, HI_MONTH_KEYS, HI_MONTHS, NUMBER_WORD_KEYS, NUMBER_WORDS

_DIG = "[0-9\u0966-\u096f]"
_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def _alt(words: Iterable[str]) -> str:
    """An alternation of ``words`` in NFC and NFD spellings, longest first."""
    variants = set()
    for w in words:
        variants.update({w, unicodedata.normalize("NFC", w), unicodedata.normalize("NFD", w)})
    return "(?:" + "|".join(regex.escape(w) for w in sorted(variants, key=len, reverse=True)) + ")"


_EN_MON = "(?i:" + _alt(EN_MONTHS) + r")(?![\p{L}\p{M}])"
_EN_MON_ALONE = (
    _alt(
        [m.capitalize() for m in EN_MONTHS if len(m) > 4 or m == "sept"]
        + [m.upper() for m in EN_MONTHS if len(m) > 4]
        + ["June", "July", "JUNE", "JULY"]
    )
    + r"(?![\p{L}\p{M}])"
)
_HI_MON = _alt(HI_MONTHS) + r"(?![\p{L}\p{M}])"
_MON = f"(?:{_EN_MON}|{_HI_MON})"
_DAY = f"{_DIG}{{1,2}}(?:st|nd|rd|th)?"
_YEAR = f"{_DIG}{{4}}"
_DATE = regex.compile(
    rf"{NOT_AFTER}(?<![.,]{_DIG})(?:"
    rf"(?P<iy>{_YEAR})-(?P<im>{_DIG}{{2}})-(?P<id>{_DIG}{{2}}){NOT_BEFORE}"
    rf"|(?P<ad>{_DAY})(?:\s+of)?(?:\s+|\s*-\s*)(?P<am>{_MON})(?:(?:\.?,?\s+|-)(?P<ay>{_YEAR}){NOT_BEFORE})?"
    rf"|(?P<bm>{_MON})\.?,?\s+(?P<bd>{_DAY}){NOT_BEFORE}(?!\s*[:.]\s*{_DIG})(?:,?\s+(?P<by>{_YEAR}){NOT_BEFORE})?"
    rf"|(?P<cm>{_MON}),?\s+(?P<cy>{_YEAR}){NOT_BEFORE}"
    rf"|(?P<dm>{_EN_MON_ALONE}|{_HI_MON})"
    rf"|(?P<ey>{_YEAR}){NOT_BEFORE}(?![.,]{_DIG})"
    ")"
)
_NUMBER = regex.compile(
    rf"{NOT_AFTER}(?<![.,]{_DIG})(?P<n>{_DIG}{{1,3}}(?:,{_DIG}{{2,3}})+(?:\.{_DIG}+)?|{_DIG}+(?:\.{_DIG}+)?)"
    rf"(?:st|nd|rd|th)?{NOT_BEFORE}(?![.,]{_DIG})"
)
_NOT_DIGIT = regex.compile(r"\D")

Span = tuple[int, int]
DateHit = tuple[int, int, tuple, tuple | None]  # start, end, key, ("year", y) or None


def _month(text: str) -> int:
    return EN_MONTHS.get(text.rstrip(".").lower()) or HI_MONTH_KEYS.get(match_key(text), 0)


def _int(text: str) -> int:
    return int(_NOT_DIGIT.sub("", text.translate(_DIGITS))[:4] or 0)


def number_value(text: str) -> str:
    """The compared value of a written number: "१,५००" -> "1500", "3.50" -> "3.5"."""
    s = text.translate(_DIGITS).replace(",", "")
    whole, _, frac = s.partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def number_word(word: str, key: str) -> int | None:
    """The value of a number word ("five", "पांच"), given the word and its match key; else None."""
    return NUMBER_WORDS.get(word.lower()) if word.isascii() else NUMBER_WORD_KEYS.get(key)


def scan_dates(text: str) -> list[DateHit]:
    """(start, end, key, year key) of each date; key ("date", d, m), ("month", m) or ("year", y)."""
    found = []
    for m in _DATE.finditer(text):
        g = m.groupdict()
        year = None
        if g["iy"]:
            y, mo, d = _int(g["iy"]), _int(g["im"]), _int(g["id"])
            if not (1 <= mo <= 12 and 1 <= d <= 31):
                continue
            key, year = ("date", d, mo), y
        elif g["ey"]:
            y = _int(g["ey"])
            if not 1800 <= y <= 2100:
                continue
            key = ("year", y)
        else:
            mon = _month(g["am"] or g["bm"] or g["cm"] or g["dm"])
            if not mon:
                continue
            day = _int(g["ad"] or g["bd"] or "0")
            ytxt = g["ay"] or g["by"] or g["cy"]
            year = _int(ytxt) if ytxt else None
            if year is not None and not 1800 <= year <= 2100:
                year = None
            key = ("date", day, mon) if 1 <= day <= 31 else ("month", mon)
        found.append((m.start(), m.end(), key, ("year", year) if year else None))
    return found


def scan_numbers(text: str, dates: list[DateHit]) -> list[tuple[int, int, str]]:
    """(start, end, value) of each number in digits outside ``dates`` (from :func:`scan_dates`)."""
    starts = [d[0] for d in dates]
    out = []
    for m in _NUMBER.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and dates[i][1] > m.start():
            continue  # part of a date
        out.append((m.start("n"), m.end("n"), number_value(m.group("n"))))
    return out
