"""A speaker phrase taken apart: the name, the title kept apart from it, and what kind of source speaks.

"कृषि मंत्री शिवराज सिंह चौहान" is the name "शिवराज सिंह चौहान" with the role "कृषि मंत्री";
"Dmitry Peskov, the Kremlin spokesman" the name "Dmitry Peskov" with the role "the Kremlin
spokesman". A title alone ("the minister", "मंत्री") stays the speaker. The kind says whether a
named person, an organisation (its head word is one of the pack's ``organisation_heads``, or the
registry knows it as an organisation or outlet) or an unnamed source ("एक अधिकारी", "analysts",
"people familiar with the matter") speaks. The role and name lists are the packs' data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from verify.text import key_tokens

from .ambiguity import NO_CONTEXT, ArticleContext, place_names
from .frames import lowered
from .lang import PACKS, LanguagePack
from .registry import Registry
from .types import SpeakerKind

_STRIP = ".,;:!?।॥\"“”‘’'«»()[]—–-"
_MAX_NAME_WORDS = 5
_LATIN = regex.compile(r"\p{Latin}")


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    role: str | None
    kind: SpeakerKind


def _core(token: str) -> str:
    return lowered(token.strip(_STRIP))


_WORD_SETS: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def _word_sets(pack: LanguagePack) -> tuple[frozenset[str], frozenset[str]]:
    """(titles, stops) of a pack, made once: titles are the words after which a name may follow
    (roles, and heads of unnamed sources: "पुलिस अधिकारी राम सिंह"); stops never occur in a name."""
    if pack.code not in _WORD_SETS:
        titles = pack.role_words | pack.anonymous_heads
        stops = titles | pack.role_links | pack.organisation_heads | pack.boundary_words
        _WORD_SETS[pack.code] = (titles, stops)
    return _WORD_SETS[pack.code]


def _titles(pack: LanguagePack) -> frozenset[str]:
    return _word_sets(pack)[0]


def _is_name(tokens: list[str], cores: list[str], pack: LanguagePack) -> bool:
    """Whether ``tokens`` (the words after a title; ``cores`` their cores) read as a name."""
    if not 0 < len(tokens) <= _MAX_NAME_WORDS:
        return False
    if _LATIN.match(tokens[0]) and not tokens[0][:1].isupper():
        return False
    stops = _word_sets(pack)[1]
    return not any(c in stops or c in pack.pronouns for c in cores) and not any(
        t[-1] in ",;:" for t in tokens
    )


def _has_title(text: str, pack: LanguagePack) -> bool:
    titles = _titles(pack)
    return any(_core(t) in titles for t in text.split())


def _split(phrase: str, tokens: list[str], cores: list[str], pack: LanguagePack) -> tuple[str, str | None]:
    """(name, role) of ``phrase`` (its words ``tokens``, their cores ``cores``)."""
    if "," in phrase:  # an appositive: "Dmitry Peskov, the Kremlin spokesman"
        left, _, right = (p.strip(_STRIP + " ") for p in phrase.partition(","))
        if left and right and _has_title(right, pack) != _has_title(left, pack):
            name, role = (left, right) if _has_title(right, pack) else (right, left)
            if _is_name(name.split(), [_core(t) for t in name.split()], pack):
                return name, role
    titles = _titles(pack)
    if titles.isdisjoint(cores):
        return phrase, None  # most speakers: no title at all
    last = next((i for i in range(len(cores) - 2, -1, -1) if cores[i] in titles), None)
    if last is not None and cores[last + 1 : last + 2] == ["of"] and len(cores) > last + 3:
        last += 2  # "Secretary of State Antony Blinken"
    if last is None or not _is_name(tokens[last + 1 :], cores[last + 1 :], pack):
        return phrase, None
    name = phrase.split(None, last + 1)[-1]
    return name, phrase[: len(phrase) - len(name)].rstrip()


def split_title(phrase: str, pack: LanguagePack) -> tuple[str, str | None]:
    """(name, role) of a speaker phrase; role None when it has no title apart from a name."""
    tokens = phrase.split()
    return _split(phrase, tokens, [_core(t) for t in tokens], pack)


@lru_cache(maxsize=4096)
def _is_place(name: str) -> bool:
    """Whether ``name`` is a country or city of ``data/places.json`` (remembered: the same few
    come up again and again)."""
    return key_tokens(name) in place_names()


def kind_of(
    name: str,
    role: str | None,
    pack: LanguagePack,
    registry: Registry,
    article: ArticleContext,
    words: list[str] | None = None,
) -> SpeakerKind:
    """What kind of source ``name`` (with ``role``, if it was split off) is.

    The head word decides first: an organisation word or a registry organisation at the end
    ("रूसी रक्षा मंत्रालय", "इमरान खान की पार्टी पीटीआई") unless a title heads the phrase
    ("a spokesperson for the ministry", "विदेश मंत्रालय के प्रवक्ता" are people).
    """
    tokens = name.split()
    words = words if words is not None else [_core(t) for t in tokens]
    titled = not pack.role_words.isdisjoint(words)
    if words and words[-1] not in _titles(pack):
        entry = registry.find(" ".join(tokens[-2:]), None, article)
        if entry is not None and entry.kind in ("organisation", "outlet"):
            return "organisation"  # "Pakistan Tehreek-e-Insaf", "पार्टी पीटीआई"
        if words[-1] in pack.organisation_heads and not titled:
            return "organisation"  # "रूसी रक्षा मंत्रालय"
        if len(tokens) <= 3 and _is_place(name):
            return "organisation"  # a country or capital speaks for its government: "भारत", "Moscow"
    if role is not None:
        return "person"  # a title and a name
    if not pack.anonymous_heads.isdisjoint(words):
        return "anonymous"  # "एक अधिकारी", "people familiar with the matter"
    if titled:
        return "person"  # a title alone: "the minister", "पीटीआई के प्रवक्ता"
    if not pack.organisation_heads.isdisjoint(words):
        return "organisation"  # "Police in Lahore"
    return "person"


@lru_cache(maxsize=8192)
def _taken_apart(phrase: str, code: str) -> tuple[str, str | None, tuple[str, ...] | None]:
    """(name, role, cores of the name if it is the whole phrase) of ``phrase`` read with pack
    ``code``: a pure function of the two, remembered, since the same speakers come up in
    sentence after sentence ("पुलिस", "मंत्रालय", "Peskov")."""
    pack = PACKS[code]
    tokens = phrase.split()
    cores = [_core(t) for t in tokens]
    name, role = _split(phrase, tokens, cores, pack)
    return name, role, (tuple(cores) if name == phrase else None)


def describe(
    phrase: str, pack: LanguagePack, registry: Registry, article: ArticleContext = NO_CONTEXT
) -> Speaker:
    """The name, role and kind of the speaker phrase ``phrase``."""
    if PACKS.get(pack.code) is pack:
        name, role, words = _taken_apart(phrase, pack.code)
    else:  # a pack made elsewhere (tests): not remembered under another pack's code
        tokens = phrase.split()
        cores = [_core(t) for t in tokens]
        name, role = _split(phrase, tokens, cores, pack)
        words = tuple(cores) if name == phrase else None
    return Speaker(name, role, kind_of(name, role, pack, registry, article, list(words) if words else None))
