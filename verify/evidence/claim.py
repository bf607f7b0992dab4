"""The claim side of the evidence matcher: the names, numbers and dates a claim is matched by.

* names: registry aliases (every alias of the entry then counts, in any script: पेस्कोव finds
  "Peskov" and "Dmitry Peskov"), capitalised Latin words (runs such as "Kim Jong Un", titles
  like "President" dropped), and Devanagari words that are not on
  :data:`~verify.evidence.words.HINDI_STOP` (they may be names; most are not: they are
  *guessed*, and count in the score only when the page has them). Registry aliases whose name
  key has three letters or fewer ("AP", "DD", "TASS", तास) match only exactly (equal
  :func:`~verify.text.match_key`, and in Latin the same case). A multi-word name other than a
  registry alias may be found in part.
* numbers and dates: see :mod:`verify.evidence.grammar`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import regex

from verify.extraction import Registry, default_registry
from verify.text import has_devanagari, match_key

from .grammar import number_word, scan_dates, scan_numbers
from .names import name_key
from .page import JOIN, TIGHT_GAP, TOKEN
from .words import ENGLISH_TITLES, NOT_NAME_EN, NOT_NAME_HI

TermKind = Literal["name", "number", "date"]

WEIGHTS: dict[str, int] = {"name": 3, "date": 2, "number": 2}

_LETTER = regex.compile(r"\p{L}")


@dataclass(frozen=True, slots=True)
class Term:
    """A term of the claim: ``text`` as written there, ``key`` what it is compared by.

    Keys: ``("name", canonical)`` for registry entries, ``("name", name keys...)`` otherwise,
    ``("number", "1500")``, ``("date", day, month)``, ``("month", month)``, ``("year", year)``.
    """

    kind: TermKind
    text: str
    key: tuple
    weight: int
    guessed: bool = False  # a word only read as a name: counts in the score's W only if found


@dataclass(frozen=True, slots=True)
class NameSpec:
    """How to find a name on the page."""

    variants: tuple[tuple[str, ...], ...]  # name keys of each spelling
    exact: tuple[tuple[tuple[str, ...], str], ...]  # (match_key words, Latin text or "") of short aliases
    partial: bool  # whether a part of the name counts


@lru_cache(maxsize=16)
def _registry_index(registry: Registry) -> dict[str, list[tuple[tuple[str, ...], object]]]:
    """First word (match key) of each alias -> (alias words, entry), longest first."""
    index: dict[str, list[tuple[tuple[str, ...], object]]] = {}
    for entry in reversed(registry.entries):
        for name in (entry.canonical, *entry.aliases):
            words = tuple(match_key(w) for w in TOKEN.findall(name))
            if words:
                index.setdefault(words[0], []).append((words, entry))
    for options in index.values():
        options.sort(key=lambda item: -len(item[0]))
    return index


def _entry_spec(entry) -> NameSpec:
    variants, exact = [], []
    for name in (entry.canonical, *entry.aliases):
        words = TOKEN.findall(name)
        keys = tuple(name_key(w) for w in words)
        if not words:
            continue
        if len("".join(keys)) <= 3 or not all(keys):
            exact.append((tuple(match_key(w) for w in words), name if name.isascii() else ""))
        else:
            variants.append(keys)
    return NameSpec(tuple(dict.fromkeys(variants)), tuple(dict.fromkeys(exact)), partial=False)


class _Claim:
    """The tokens of a claim text, and which of them a term has taken."""

    def __init__(self, text: str, taken: list[tuple[int, int]]) -> None:
        self.text = text
        self.tokens = list(TOKEN.finditer(text))
        self.exact = [match_key(m.group()) for m in self.tokens]
        self.used = [any(a <= m.start() < b for a, b in taken) for m in self.tokens]

    def gap(self, j: int) -> str:
        """The text between token ``j - 1`` and token ``j``."""
        return self.text[self.tokens[j - 1].end() : self.tokens[j].start()]

    def surface(self, i: int, j: int) -> str:
        """The text of tokens ``i`` to ``j - 1``."""
        return self.text[self.tokens[i].start() : self.tokens[j - 1].end()]


def _number_words(claim: _Claim) -> list[tuple[Term, None]]:
    out: list[tuple[Term, None]] = []
    for i, m in enumerate(claim.tokens):
        n = number_word(m.group(), claim.exact[i])
        if n is not None and not claim.used[i]:
            out.append((Term("number", m.group(), ("number", str(n)), WEIGHTS["number"]), None))
            claim.used[i] = True
    return out


def _registry_names(claim: _Claim, registry: Registry) -> list[tuple[Term, NameSpec]]:
    """Registry aliases, earliest then longest."""
    out: list[tuple[Term, NameSpec]] = []
    exact, used = claim.exact, claim.used
    index = _registry_index(registry)
    i = 0
    while i < len(claim.tokens):
        hit = None
        for words, entry in index.get(exact[i], ()):
            n = len(words)
            if tuple(exact[i : i + n]) == words and not any(used[i : i + n]):
                surface = claim.surface(i, i + n)
                if len(surface) <= 3 and surface.isascii() and surface != surface.upper():
                    continue  # "ap", "dd": short aliases only as written (in capitals)
                hit = (n, entry, surface)
                break
        if hit is None:
            i += 1
            continue
        n, entry, surface = hit
        out.append((Term("name", surface, ("name", entry.canonical), WEIGHTS["name"]), _entry_spec(entry)))
        used[i : i + n] = [True] * n
        i += n
    return out


def _devanagari_name(claim: _Claim, i: int) -> tuple[int, tuple[Term, NameSpec] | None]:
    """The end of the Devanagari word at token ``i`` (hyphen-joined parts stay together: जोंग-उन),
    and its guessed name unless all its parts are stop words."""
    tokens = claim.tokens
    j = i + 1
    while (
        j < len(tokens) and not claim.used[j] and claim.gap(j) in JOIN and has_devanagari(tokens[j].group())
    ):
        j += 1
    if all(claim.exact[k] in NOT_NAME_HI for k in range(i, j)):
        return j, None
    keys = tuple(name_key(t.group()) for t in tokens[i:j])
    if len("".join(keys)) < 3:
        return j, None
    spec = NameSpec((keys,), (), partial=True)
    return j, (Term("name", claim.surface(i, j), ("name", *keys), WEIGHTS["name"], guessed=True), spec)


def _latin_name(claim: _Claim, i: int) -> tuple[int, tuple[Term, NameSpec] | None]:
    """The end of the capitalised run at token ``i`` ("Kim Jong Un", "Jong-un") and its name;
    guessed when a single word opens a sentence."""
    tokens, text = claim.tokens, claim.text
    j = i + 1
    while j < len(tokens) and not claim.used[j]:
        gap, nxt = claim.gap(j), tokens[j].group()
        if gap in JOIN and nxt.isalpha() and not has_devanagari(nxt):
            j += 1
        elif (
            TIGHT_GAP.fullmatch(gap)
            and gap
            and nxt[0].isupper()
            and nxt.isalpha()
            and nxt.lower() not in ENGLISH_TITLES
            and nxt.lower() not in NOT_NAME_EN
        ):
            j += 1
        else:
            break
    keys = tuple(name_key(t.group()) for t in tokens[i:j])
    if not keys or len("".join(keys)) < 3:
        return j, None
    start = tokens[i].start()
    before = text[max(0, start - 3) : start].strip(" \"'“‘(")
    opening = j == i + 1 and (not before or before[-1:] in ".!?।:")
    spec = NameSpec((keys,), (), partial=len(keys) > 1)
    return j, (Term("name", claim.surface(i, j), ("name", *keys), WEIGHTS["name"], guessed=opening), spec)


def _other_names(claim: _Claim) -> list[tuple[Term, NameSpec]]:
    """Capitalised Latin runs and Devanagari words, in claim order."""
    out: list[tuple[Term, NameSpec]] = []
    i = 0
    while i < len(claim.tokens):
        word = claim.tokens[i].group()
        if claim.used[i] or not _LETTER.search(word):
            i += 1
        elif has_devanagari(word):
            i, found = _devanagari_name(claim, i)
            out.extend([found] if found else [])
        elif word[0].isupper() and word.isalpha() and word.lower() not in NOT_NAME_EN:
            i, found = _latin_name(claim, i)
            out.extend([found] if found else [])
        else:
            i += 1
    return out


def _terms(text: str, registry: Registry, *, names_only: bool = False) -> list[tuple[Term, NameSpec | None]]:
    """The terms of ``text`` with, for names, how to find them."""
    out: list[tuple[Term, NameSpec | None]] = []
    taken: list[tuple[int, int]] = []
    if not names_only:
        dates = scan_dates(text)
        for start, end, key, _year in dates:
            out.append((Term("date", text[start:end], key, WEIGHTS["date"]), None))
            taken.append((start, end))
        for start, end, value in scan_numbers(text, dates):
            out.append((Term("number", text[start:end], ("number", value), WEIGHTS["number"]), None))
            taken.append((start, end))
    claim = _Claim(text, taken)
    if not names_only:
        out.extend(_number_words(claim))
    out.extend(_registry_names(claim, registry))
    out.extend(_other_names(claim))
    return out


def terms_with_specs(
    claim_text: str, registry: Registry | None, names: Iterable[str]
) -> list[tuple[Term, NameSpec | None]]:
    """The distinct terms of the claim and of ``names`` (a sure name beats a guess of the same
    key), with, for names, how to find them."""
    registry = registry if registry is not None else default_registry()
    found = _terms(claim_text, registry)
    for name in names:
        if name:
            found.extend(_terms(name, registry, names_only=True))
    seen: dict[tuple, int] = {}
    out: list[tuple[Term, NameSpec | None]] = []
    for term, spec in found:
        if term.key in seen:
            k = seen[term.key]
            if out[k][0].guessed and not term.guessed:
                out[k] = (term, spec)
            continue
        seen[term.key] = len(out)
        out.append((term, spec))
    return out


def claim_terms(
    claim_text: str, *, registry: Registry | None = None, names: Iterable[str] = ()
) -> list[Term]:
    """The distinct terms :func:`~verify.evidence.match_evidence` looks for, in claim order
    (``names`` last)."""
    return [t for t, _ in terms_with_specs(claim_text, registry, names)]
