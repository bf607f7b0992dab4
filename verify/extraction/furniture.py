"""Page furniture as data: the patterns of ``data/furniture.json`` and the wire-credit spellings.

Furniture is what a portal or a wire service puts around a story (sign-offs, disclaimers,
share bars, date stamps, trailers). The rules live in the data file, not in code, so adding one
is adding an entry with its example; ``tests/extraction/test_furniture.py`` runs every example
through :func:`verify.extraction.extract`. The language packs take their ``boilerplate`` from
:func:`patterns`; :func:`credit_spelling` reads the credit-only spellings ("भाषा" -> PTI).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import regex

from verify.text import match_key

DATA_FILE = Path(__file__).with_name("data") / "furniture.json"
Where = Literal["line", "end"]
# Nukta dropped, chandrabindu read as anusvara: "ख़बर" / "खबर", "टिप्पणियाँ" / "टिप्पणियां"; the
# letters NFC keeps as one code point with their nukta (ऩ ऱ ऴ) lose it too. (str.replace runs
# at C speed; str.translate looks every character up in a dict, ten times slower.)
_FOLD = (("\u093c", ""), ("\u0901", "\u0902"), ("\u0929", "न"), ("\u0931", "र"), ("\u0934", "ळ"))


@dataclass(frozen=True, slots=True)
class Furniture:
    """One furniture rule. ``where`` is "line" (any whole line) or "end" (a line of the block of
    furniture that ends the article: sign-offs such as "भाषा राजकुमार सुरेश")."""

    name: str
    language: str  # "hi", "en" or "any"
    family: str  # "portal", "pti-bhasha", "reuters", "ap", ...
    where: Where
    pattern: regex.Pattern  # matched against a whole folded line; may have a group "credit"
    reason: str  # shown on the review page
    example: str
    source: str  # the pattern's regex, unanchored, with its case flag inline (see Matcher)
    position: int  # its place in the data file: the first rule that matches gives the reason


def fold(text: str) -> str:
    """NFC ``text`` as furniture patterns see it: nukta dropped, chandrabindu as anusvara.

    Only ever used to decide whether a whole line matches; offsets stay those of the real text.
    (NFC text stays NFC without its nukta signs: no Devanagari letter composes with anything
    else. Normalising each line again would cost more than matching it.)
    """
    for mark, plain in _FOLD:
        if mark in text:
            text = text.replace(mark, plain)
    return text


@cache
def _data() -> dict:
    with open(DATA_FILE, encoding="utf-8") as f:
        return json.load(f)


def _compile(position: int, item: dict, credit_names: str) -> Furniture:
    source = fold(unicodedata.normalize("NFC", item["regex"])).replace("{credit}", credit_names)
    ignore_case = item.get("ignore_case", True)
    flags = regex.IGNORECASE if ignore_case else 0
    return Furniture(
        name=item["name"],
        language=item["language"],
        family=item["family"],
        where=item.get("where", "line"),
        pattern=regex.compile(r"^(?:" + source + r")$", flags),
        reason=item["reason"],
        example=unicodedata.normalize("NFC", item["example"]),
        source=("(?i:" if ignore_case else "(?-i:") + source + ")",
        position=position,
    )


@cache
def all_patterns() -> tuple[Furniture, ...]:
    """Every furniture rule of the data file, in its order (the first that matches gives the reason)."""
    data = _data()
    names = sorted(
        (fold(unicodedata.normalize("NFC", n)) for n in data["credit_names"]), key=len, reverse=True
    )
    credit_names = "(?:" + "|".join(regex.escape(n).replace(r"\ ", r"\s+") for n in names) + ")"
    return tuple(_compile(n, item, credit_names) for n, item in enumerate(data["patterns"]))


def patterns(language: str) -> tuple[Furniture, ...]:
    """The rules of one language pack: its language's and those for "any" language."""
    return tuple(f for f in all_patterns() if f.language in (language, "any"))


class Matcher:
    """A set of rules as two combined patterns, one of the "line" rules and one of all: a single
    regex call per line tells whether it is furniture and which rule matched first (a call per
    rule would cost the extractor a tenth of its time)."""

    def __init__(self, rules: tuple[Furniture, ...]) -> None:
        self.rules = rules  # in the data file's order: the first that matches gives the reason
        self._line = _combine([(n, r) for n, r in enumerate(self.rules) if r.where == "line"])
        self._all = _combine(list(enumerate(self.rules)))

    def match(self, line: str, *, at_end: bool) -> tuple[Furniture, regex.Match] | None:
        """The first rule matching the stripped ``line`` whole ("end" rules only ``at_end``)."""
        m = (self._all if at_end else self._line).match(fold(line))
        if m is None:
            return None
        # which rule's group "_r<n>" took part (groupdict() of thirty groups costs more than the match)
        groups = m.re.groupindex
        n = next(n for n in range(len(self.rules)) if f"_r{n}" in groups and m.start(f"_r{n}") >= 0)
        return self.rules[n], m

    def reason(self, line: str, *, at_end: bool) -> str | None:
        """Why ``line`` is furniture, if it is."""
        found = self.match(line, at_end=at_end)
        return found[0].reason if found else None

    def credit(self, line: str) -> str | None:
        """The agency a furniture line credits ("भाषा" in "भाषा राजकुमार सुरेश"), if it does."""
        found = self.match(line, at_end=True)
        if found is None or "credit" not in found[1].re.groupindex:
            return None
        return found[1].group("credit")


def _combine(numbered: list[tuple[int, Furniture]]) -> regex.Pattern:
    """One anchored alternation of the rules, each in a group ``_r<n>``; "(?!)" if there are none."""
    body = "|".join(f"(?P<_r{n}>{rule.source})" for n, rule in numbered) or "(?!)"
    return regex.compile(r"^(?:" + body + r")$")


@cache
def _credit_spellings() -> dict[str, str | None]:
    return {match_key(k): v for k, v in _data()["credits"].items()}


def credit_spelling(credit: str) -> tuple[bool, str | None]:
    """(known, canonical outlet) for a credit-only spelling: words too common to be registry
    aliases ("भाषा" is "language", "वार्ता" "talks") that, as a wire credit, name an agency
    ("भाषा" -> PTI, its Hindi service) or none ("एजेंसी": generic). (False, None) otherwise."""
    spellings = _credit_spellings()
    key = match_key(credit)
    return (True, spellings[key]) if key in spellings else (False, None)
