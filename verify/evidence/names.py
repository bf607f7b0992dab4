"""Names across scripts: a romaniser for Devanagari, a loose phonetic key for any spelling, and the
rule that reads two keys as the same name.

Two name tokens match when their :func:`name_key` are equal, or when their consonant skeletons
(:func:`skeleton`, the key without vowels) are equal, both keys have five letters or more and
they differ by one edit (two from eight letters): "Sergei" / सर्गेई ("sargei"), "Dmitry" /
दिमित्री (:func:`similar`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex
from rapidfuzz.distance import Levenshtein

from verify.text import has_devanagari, match_key

# --- romanisation -----------------------------------------------------------------------------

_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j",
    "झ": "jh", "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t",
    "थ": "th", "द": "d", "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh",
    "म": "m", "य": "y", "र": "r", "ल": "l", "ळ": "l", "व": "v", "श": "sh", "ष": "sh",
    "स": "s", "ह": "h",
}  # fmt: skip
_NUKTA_FORMS = {
    "क": "k", "ख": "kh", "ग": "g", "ज": "z", "ड": "r", "ढ": "rh", "फ": "f", "य": "y", "न": "n",
    "र": "r",
}  # fmt: skip
_VOWELS = {
    "अ": "a", "आ": "aa", "इ": "i", "ई": "ii", "उ": "u", "ऊ": "uu", "ऋ": "ri", "ॠ": "ri", "ऌ": "li",
    "ए": "e", "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o", "ऍ": "e", "ऎ": "e", "ऒ": "o",
}  # fmt: skip
_MATRAS = {
    "ा": "aa", "ि": "i", "ी": "ii", "ु": "u", "ू": "uu", "ृ": "ri", "ॄ": "ri", "े": "e", "ै": "ai",
    "ो": "o", "ौ": "au", "ॉ": "o", "ॅ": "e", "ॆ": "e", "ॊ": "o",
}  # fmt: skip
_NUKTA, _VIRAMA, _VISARGA = "\u093c", "\u094d", "\u0903"
_NASALS = "\u0901\u0902"  # chandrabindu, anusvara
_INVISIBLE = "\u200c\u200d\u00ad\u2060\ufeff"  # ZWNJ, ZWJ, soft hyphen, word joiner, BOM
_LABIALS = ("p", "b", "m", "f")


@dataclass(slots=True)
class _Syllable:
    consonant: str  # its Latin letters; "" for a vowel alone
    vowel: str | None  # None: the inherent "a", kept or deleted later; "": none (virama)
    coda: str = ""  # "n" for anusvara or chandrabindu, "h" for visarga
    letter: str = ""  # the Devanagari consonant, for a nukta that follows


def _syllables(word: str) -> list[_Syllable | str]:
    """The syllables of ``word`` and, between them, other characters passed through."""
    out: list[_Syllable | str] = []
    for ch in unicodedata.normalize("NFD", word):
        last = out[-1] if out and isinstance(out[-1], _Syllable) else None
        if ch in _CONSONANTS:
            out.append(_Syllable(_CONSONANTS[ch], None, letter=ch))
        elif ch == _NUKTA:
            if last is not None and last.vowel is None and last.coda == "":
                last.consonant = _NUKTA_FORMS.get(last.letter, last.consonant)
        elif ch in _MATRAS:
            if last is not None and last.vowel is None and last.consonant:
                last.vowel = _MATRAS[ch]
            else:
                out.append(_Syllable("", _MATRAS[ch]))
        elif ch == _VIRAMA:
            if last is not None and last.vowel is None:
                last.vowel = ""
        elif ch in _VOWELS:
            out.append(_Syllable("", _VOWELS[ch]))
        elif ch in _NASALS:
            if last is not None:
                last.coda += "n"
            else:
                out.append(_Syllable("", "", "n"))
        elif ch == _VISARGA:
            if last is not None:
                last.coda += "h"
        elif "\u0966" <= ch <= "\u096f":  # Devanagari digits
            out.append(str(ord(ch) - 0x966))
        elif ch not in _INVISIBLE:
            out.append(ch)
    return out


def _delete_schwas(run: list[_Syllable]) -> None:
    """Decide each inherent "a" of a run of consecutive syllables (Hindi schwa deletion)."""
    deleted = [False] * len(run)
    last = run[-1]
    if len(run) > 1 and last.consonant and last.vowel is None and not last.coda and run[-2].vowel != "":
        deleted[-1] = True  # at the end of a word, unless after a conjunct
    for i in range(len(run) - 2, 0, -1):  # between a vowel and a consonant that has a vowel
        s, before, after = run[i], run[i - 1], run[i + 1]
        if s.consonant and s.vowel is None and not s.coda and before.vowel != "":
            if after.consonant and (after.vowel or (after.vowel is None and not deleted[i + 1])):
                deleted[i] = True
    for s, gone in zip(run, deleted, strict=True):
        if s.vowel is None:
            s.vowel = "" if gone else "a"


@lru_cache(maxsize=65536)
def romanize(word: str) -> str:
    """A Latin spelling of a Devanagari word, tuned for names (other characters pass through).

    Consonants take their usual Latin letters (क k, ख kh, च ch, श/ष sh, व v, फ ph, फ़ f, ज़ z,
    ड़ r); vowel signs and vowels their ISO-like letters with long vowels doubled (ा aa, ी ii,
    ू uu; ॉ o, ै ai, ौ au); anusvara and chandrabindu are "n" ("m" before p/b/m/f), visarga
    "h", virama no vowel. The inherent "a" is written, except (Hindi schwa deletion): at the end
    of a word (unless after a conjunct: मित्र -> mitra), and between a vowel and a consonant
    that has a vowel, scanning right to left: लावरोव -> laavrov, योनहाप -> yonhaap,
    क्रेमलिन -> kremlin, किम जोंग-उन -> kim jong-un, व्लादिवोस्तोक -> vlaadivostok.
    """
    out = _syllables(word)
    for is_run, run in itertools.groupby(out, key=lambda item: isinstance(item, _Syllable)):
        if is_run:
            _delete_schwas(list(run))
    pieces: list[str] = []
    for item, nxt in itertools.zip_longest(out, out[1:]):
        if isinstance(item, _Syllable):
            coda = item.coda
            if coda.startswith("n") and isinstance(nxt, _Syllable) and nxt.consonant.startswith(_LABIALS):
                coda = "m" + coda[1:]
            pieces.append(item.consonant + item.vowel + coda)
        else:
            pieces.append(item)
    return "".join(pieces)


# --- the name key -----------------------------------------------------------------------------

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
        strict=True,
    )
)
_CYRILLIC["ъ"] = _CYRILLIC["ь"] = ""
_HAS_CYRILLIC = re.compile("[\u0400-\u04ff]")
_OTHER_SCRIPT_LETTER = regex.compile(r"[^\x00-\x7f](?<=[\p{L}\p{N}])")
_DIGRAPHS = (
    ("tch", "C"), ("chh", "C"), ("ch", "C"), ("sh", "S"), ("zh", "j"), ("ph", "f"), ("kh", "k"),
    ("gh", "g"), ("th", "t"), ("dh", "d"), ("bh", "b"), ("jh", "j"), ("ck", "k"), ("q", "k"),
    ("x", "ks"), ("w", "v"), ("c", "k"), ("z", "j"), ("C", "c"), ("S", "s"),
    ("ee", "i"), ("oo", "u"),
)  # fmt: skip
_DOUBLES = re.compile(r"(.)\1+")
_NON_KEY = re.compile(r"[^a-z0-9]+")
_VOWEL_LETTERS = re.compile(r"[aeiou]")


@lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """The loose phonetic key of one word, any script: equal keys read as the same name.

    Devanagari is romanised (:func:`romanize`), Cyrillic transliterated; then accents are
    stripped, case folded, and spellings folded: ch/chh/tch -> c, sh -> s, ph -> f, kh/gh/th/
    dh/bh/jh -> k/g/t/d/b/j, ck/q/c -> k, x -> ks, w -> v, z -> j, ee -> i, oo -> u, y -> i
    (except first), doubled letters (long vowels) single. "Kim Jong-un" and किम जोंग-उन give
    kim, jong, un. Words of other scripts keep their :func:`~verify.text.match_key`.
    """
    s = word
    if has_devanagari(s):
        s = romanize(s)
    if _HAS_CYRILLIC.search(s):
        s = "".join(_CYRILLIC.get(ch, ch) for ch in s.lower())
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    if not s.isascii() and _OTHER_SCRIPT_LETTER.search(s):
        return match_key(word)  # another script: no phonetic folding
    s = _NON_KEY.sub("", s)
    for a, b in _DIGRAPHS:
        s = s.replace(a, b)
    s = s[:1] + s[1:].replace("y", "i")
    return _DOUBLES.sub(r"\1", s)


def skeleton(key: str) -> str:
    """A name key without its vowels (keys of other scripts as they are): the page's index."""
    return _VOWEL_LETTERS.sub("", key) if key.isascii() else key


def similar(a: str, b: str) -> bool:
    """Whether two name keys with equal skeletons read as the same name: equal, or one edit
    apart when both have five letters or more, two edits when both have eight or more."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter < 5:
        return False
    limit = 2 if shorter >= 8 else 1
    return Levenshtein.distance(a, b, score_cutoff=limit) <= limit
