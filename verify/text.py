"""Text rules shared by the extractor, the evidence matcher and the pages: script detection,
sentence bounds (sentencex) and the match key for names. Pure Python, no Django.

Python's ``re`` counts Devanagari vowel signs as non-word characters, so ``\\b`` would split
``कहा`` from its matra; everything here uses the ``regex`` module with explicit letter classes
(but for the two script ranges, which have no word classes in them).
"""

from __future__ import annotations

import re
import unicodedata

import regex
import sentencex

# --- Word boundaries --------------------------------------------------------------------------

WORD = r"[\p{L}\p{M}\p{N}]"
NOT_AFTER = r"(?<![\p{L}\p{M}\p{N}])"  # a word starts here
NOT_BEFORE = r"(?![\p{L}\p{M}\p{N}])"  # a word ends here

# --- Scripts ----------------------------------------------------------------------------------

# Plain code-point ranges, no word classes: the standard library's ``re`` reads them exactly
# as ``regex`` does and scans a paragraph for them twice as fast (this runs on every one).
_DEVANAGARI = re.compile(r"[\u0900-\u097f\ua8e0-\ua8ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def has_devanagari(text: str) -> bool:
    """Whether ``text`` holds a Devanagari character."""
    return _DEVANAGARI.search(text) is not None


def has_latin(text: str) -> bool:
    """Whether ``text`` holds a Latin letter."""
    return _LATIN.search(text) is not None


def script_language(text: str, default: str = "en", *, sample: int = 20000) -> str:
    """'hi' when Devanagari letters outnumber Latin ones (in the first ``sample`` characters),
    'en' when Latin ones do, else ``default``."""
    part = text[:sample]
    dev = len(_DEVANAGARI.findall(part))
    lat = len(_LATIN.findall(part))
    if dev > lat:
        return "hi"
    if lat > dev:
        return "en"
    return default


def is_mixed(text: str) -> bool:
    """Whether ``text`` has letters of both scripts."""
    return has_devanagari(text) and has_latin(text)


# --- Sentences --------------------------------------------------------------------------------

_FALLBACK_SPLIT = regex.compile(r"(?<=[.!?।॥][\"”’')\]]*)\s+")


def sentence_bounds(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence bounds tiling ``text`` (the first starts at 0, the last ends at ``len(text)``),
    from sentencex for ``lang``; on any failure of that native segmenter, bounds after sentence
    punctuation followed by white space."""
    try:
        bounds = [(b["start_index"], b["end_index"]) for b in sentencex.get_sentence_boundaries(lang, text)]
        if not bounds or bounds[0][0] != 0 or bounds[-1][1] != len(text):
            raise ValueError("sentencex did not cover the text")
        if any(a > b or b > len(text) for a, b in bounds):
            raise ValueError("sentencex gave bounds outside the text")
    except Exception:  # a native extension: any failure falls back to punctuation
        bounds, pos = [], 0
        for m in _FALLBACK_SPLIT.finditer(text):
            bounds.append((pos, m.start()))
            pos = m.start()
        bounds.append((pos, len(text)))
    return bounds


# --- The match key ----------------------------------------------------------------------------

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")
# Nukta, ZWNJ, ZWJ, soft hyphen, word joiner, BOM: spelling noise, never part of a name.
_DROP = dict.fromkeys(map(ord, "\u093c\u200c\u200d\u00ad\u2060\ufeff"))
# A nasal consonant with virama before a consonant is written interchangeably with anusvara
# (हिन्दी / हिंदी); fold it before the virama itself is dropped (पेस्कोव / पेसकोव).
_HALF_NASAL = regex.compile(r"[ङञणनम]\u094d(?=[\u0915-\u0939])")
_DASHES = regex.compile(r"[\p{Pd}_]+")
_SPACES = regex.compile(r"\s+")


def match_key(text: str) -> str:
    """A comparison key for names: equal keys mean "the same name spelled differently".

    NFD first so precomposed nukta letters (ऩ, ड़) lose their nukta too; then NFC, ZWJ/ZWNJ
    dropped, chandrabindu folded into anusvara, half nasals into anusvara, virama dropped,
    dashes read as spaces, case folded. Never use the key as displayed text: offsets are into
    the original.
    """
    s = unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_DROP))
    s = _HALF_NASAL.sub("\u0902", s).replace("\u094d", "")
    s = s.replace("\u0901", "\u0902")
    s = _DASHES.sub(" ", s)
    return _SPACES.sub(" ", s).strip().casefold()


def key_tokens(text: str) -> tuple[str, ...]:
    """The words of ``match_key(text)``, punctuation dropped."""
    return tuple(_TOKEN.findall(match_key(text)))
