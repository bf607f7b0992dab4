"""What reads a name two registry entries share ("PTI": the Indian news agency, or Imran Khan's party).

An alias shared by an outlet and an organisation is read by its context (docs/extraction.md):

1. a party word next to it ("PTI leader", "पीटीआई नेता", "पीटीआई के प्रवक्ता") makes it the
   organisation;
2. where it is the medium of a report ("told PTI", "पीटीआई के अनुसार", "PTI reported") it is
   the outlet;
3. otherwise it is the organisation when the article names that organisation in full or is set
   in its country (it names places of that country, ``data/places.json``, more often than
   places of the outlet's country), and the outlet when it does not.

:meth:`verify.extraction.registry.Registry.find` applies the rule; this module holds what it
reads: the article, the places, the party words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from verify.text import key_tokens

PLACES_FILE = Path(__file__).with_name("data") / "places.json"
# Words between an acronym and its party word that keep them next to each other ("पीटीआई के नेता").
_LINKS = frozenset(("के", "की", "का", "of", "s", "the"))


@cache
def _actor_words() -> frozenset[str]:
    """The packs' party words ("leader", "नेता") as match keys. (The packs are imported here, not
    at the top: a pack may read the registry, which reads this module.)"""
    from .lang import PACKS

    words = frozenset().union(*(p.party_words for p in PACKS.values()))
    return frozenset(k for w in words for k in key_tokens(w))


@cache
def places() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Country code -> the match keys of its names, demonyms and main cities."""
    with open(PLACES_FILE, encoding="utf-8") as f:
        raw = json.load(f)["places"]
    return {code: tuple(k for k in (key_tokens(n) for n in names) if k) for code, names in raw.items()}


@cache
def place_names() -> frozenset[tuple[str, ...]]:
    """The match keys of every place in ``data/places.json`` ("भारत", "Pakistan", "मॉस्को")."""
    return frozenset(name for names in places().values() for name in names)


def _count(tokens: tuple[str, ...], token_set: frozenset[str], name: tuple[str, ...]) -> int:
    """How often ``name`` (match keys) occurs as whole words in ``tokens``."""
    if name[0] not in token_set:
        return 0
    n = len(name)
    return sum(1 for i, t in enumerate(tokens) if t == name[0] and tokens[i : i + n] == name)


@dataclass(eq=False)  # (compared by identity: one per article)
class ArticleContext:
    """The article a name is read in; what it says about places is worked out only when a shared
    name comes up (most articles have none)."""

    text: str = ""
    _tokens: tuple[tuple[str, ...], frozenset[str]] | None = field(default=None, repr=False)

    def tokens(self) -> tuple[tuple[str, ...], frozenset[str]]:
        """The article's match keys, in order and as a set (worked out once, when first asked)."""
        if self._tokens is None:
            tokens = key_tokens(self.text)
            self._tokens = (tokens, frozenset(tokens))
        return self._tokens

    def names(self, name: tuple[str, ...]) -> bool:
        """Whether the article has ``name`` (match keys) as whole words."""
        return bool(name) and _count(*self.tokens(), name) > 0

    def place_count(self, country: str) -> int:
        """How often the article names a place of ``country`` (``data/places.json``)."""
        tokens, token_set = self.tokens()
        return sum(_count(tokens, token_set, name) for name in places().get(country, ()))

    def set_in(self, country: str) -> bool:
        """Whether the article names a place of ``country``."""
        return self.place_count(country) > 0


NO_CONTEXT = ArticleContext()


def party_word_next_to(words: tuple[str, ...], i: int, n: int) -> bool:
    """Whether a party word stands next to the name at ``words[i : i + n]``, links skipped."""
    actor = _actor_words()
    after = [w for w in words[i + n : i + n + 3] if w not in _LINKS][:1]
    before = [w for w in reversed(words[max(0, i - 2) : i]) if w not in _LINKS][:1]
    return any(w in actor for w in after + before)
