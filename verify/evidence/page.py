"""The page side of the evidence matcher: its tokens indexed by name key, its numbers and dates,
and its sentences.

Sentences: each line of the page is a paragraph, split into sentences by
:func:`verify.text.sentence_bounds` in the paragraph's script; pieces under
:data:`MIN_SENTENCE_CHARS` ("VLADIVOSTOK, September 14.", "/TASS/.") join the next sentence of
their line. On the page a Latin token can start a name only when capitalised; Devanagari tokens
on :data:`~verify.evidence.words.HINDI_STOP` never are names. The analysis of the last 8 pages is
cached, so matching several claims against one page tokenises it once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import regex

from verify.text import has_devanagari, match_key, script_language, sentence_bounds

from .grammar import number_word, scan_dates, scan_numbers
from .names import name_key, skeleton
from .words import NOT_NAME_HI

# A word, with the invisible joiners that may sit inside it (ZWNJ, ZWJ, soft hyphen, word joiner).
TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}\u200c\u200d\u00ad\u2060]+")
# What may stand between two words of one name: a few spaces or dashes.
TIGHT_GAP = re.compile(r"[ \t\u00a0\-\u2010\u2011\u2012\u2013\u2014]{0,3}")
# Hyphens that join the parts of one name: जोंग-उन, Jong-un.
JOIN = frozenset("-\u2010\u2011")
# Shorter pieces ("VLADIVOSTOK, September 14.", "/TASS/.") join the next sentence of their line.
MIN_SENTENCE_CHARS = 30
_LINE_ENDS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@dataclass(slots=True)
class Token:
    start: int
    end: int
    key: str  # name_key
    exact: str  # match_key
    candidate: bool  # may be (part of) a name


@dataclass(slots=True)
class Page:
    text: str
    tokens: list[Token]
    by_skeleton: dict[str, dict[str, list[int]]]  # skeleton -> name key -> token indexes
    by_exact: dict[str, list[int]]  # match key -> token indexes
    occurrences: dict[tuple, list[tuple[int, int]]]  # number/date keys -> spans
    sentences: list[tuple[int, int, int]]  # start, end, paragraph


@lru_cache(maxsize=65536)
def _word(word: str) -> tuple[str, str, bool]:
    """(name key, match key, whether it may start a name) of a word of the page."""
    exact = match_key(word)
    if has_devanagari(word):
        may_be_name = exact not in NOT_NAME_HI
    elif word[0].isdigit():
        may_be_name = False
    else:
        may_be_name = word[0].isupper() or not word[0].islower()
    return name_key(word), exact, may_be_name


def _tokens(text: str) -> list[Token]:
    out: list[Token] = []
    prev_end, prev_candidate = -10, False
    for m in TOKEN.finditer(text):
        word = m.group()
        key, exact, candidate = _word(word)
        if not candidate and prev_candidate and text[prev_end : m.start()] in JOIN and not word[0].isdigit():
            candidate = True  # "Jong-un": the part after a hyphen
        out.append(Token(m.start(), m.end(), key, exact, candidate))
        prev_end, prev_candidate = m.end(), candidate
    return out


def _paragraph_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of the paragraph ``text[start:end]``, white space trimmed, short pieces
    joined to the next sentence (the last one to the one before)."""
    body = text[start:end]
    spans: list[tuple[int, int]] = []
    joins = False
    for a, b in sentence_bounds(body, script_language(body, sample=2000)):
        a, b = start + a, start + b
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        if spans and joins:
            spans[-1] = (spans[-1][0], b)  # a dateline piece joins what follows
        else:
            spans.append((a, b))
        joins = b - a < MIN_SENTENCE_CHARS
    if len(spans) > 1 and joins:
        spans[-2:] = [(spans[-2][0], spans[-1][1])]
    return spans


def _sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) of each sentence of the page; each line is a paragraph."""
    out: list[tuple[int, int, int]] = []
    pos = 0
    for paragraph, line in enumerate(text.splitlines(keepends=True)):
        start, end = pos, pos + len(line.rstrip(_LINE_ENDS))
        pos += len(line)
        if text[start:end].strip():
            out.extend((a, b, paragraph) for a, b in _paragraph_sentences(text, start, end))
    return out


def _occurrences(text: str, tokens: list[Token]) -> dict[tuple, list[tuple[int, int]]]:
    """The spans of each number and date key on the page; a full date also counts for its month
    and its year."""
    occurrences: dict[tuple, list[tuple[int, int]]] = {}
    dates = scan_dates(text)
    for start, end, key, year in dates:
        occurrences.setdefault(key, []).append((start, end))
        if key[0] == "date":
            occurrences.setdefault(("month", key[2]), []).append((start, end))
        if year:
            occurrences.setdefault(year, []).append((start, end))
    for start, end, value in scan_numbers(text, dates):
        occurrences.setdefault(("number", value), []).append((start, end))
    for t in tokens:
        n = number_word(text[t.start : t.end], t.exact)
        if n is not None:
            occurrences.setdefault(("number", str(n)), []).append((t.start, t.end))
    return occurrences


@lru_cache(maxsize=8)
def page_index(text: str) -> Page:
    """The analysis of a page, cached for the last 8 pages."""
    tokens = _tokens(text)
    by_skeleton: dict[str, dict[str, list[int]]] = {}
    by_exact: dict[str, list[int]] = {}
    for i, t in enumerate(tokens):
        by_exact.setdefault(t.exact, []).append(i)
        if t.candidate and t.key:
            by_skeleton.setdefault(skeleton(t.key), {}).setdefault(t.key, []).append(i)
    return Page(text, tokens, by_skeleton, by_exact, _occurrences(text, tokens), _sentences(text))
