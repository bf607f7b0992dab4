"""Name matching that survives Devanagari spelling variants, and the word-boundary classes.

Python's ``re`` counts Devanagari vowel signs as non-word characters, so ``\\b`` would split
``कहा`` from its matra; everything here uses the ``regex`` module with explicit letter classes.
"""

from __future__ import annotations

import re
import unicodedata

import regex

WORD = r"[\p{L}\p{M}\p{N}]"
NOT_AFTER = r"(?<![\p{L}\p{M}\p{N}])"  # a word starts here
NOT_BEFORE = r"(?![\p{L}\p{M}\p{N}])"  # a word ends here

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_DROP = dict.fromkeys(map(ord, "\u093c\u200c\u200d\u00ad\u2060\ufeff"))
# A nasal consonant with virama before a consonant is written interchangeably with anusvara
# (हिन्दी / हिंदी); fold it before the virama itself is dropped (पेस्कोव / पेसकोव).
_HALF_NASAL = regex.compile(r"[ङञणनम]\u094d(?=[\u0915-\u0939])")
# Characters whose canonical decomposition holds one of _DROP: only with one of these present does
# the NFD/NFC round trip change an NFC string.
_DECOMPOSES_TO_DROP = re.compile("[\u00ad\u0929\u0931\u0934\u093c\u0958-\u095f\u200c\u200d\u2060\ufeff]")
_DASHES = regex.compile(r"[\p{Pd}_]+")
_SPACES = regex.compile(r"\s+")
# Text of ASCII and Devanagari only (most names) takes standard-library patterns, faster, that
# agree with the ones above on such text: of those characters only "-" is a dash (Pd), only
# these six are White_Space, and the letters, marks and digits are listed as `regex` reads them.
_OTHER_SCRIPTS = re.compile("[^\x00-\x7f\u0900-\u097f]")
_HALF_NASAL_FAST = re.compile("[ङञणनम]\u094d(?=[\u0915-\u0939])")
_DASHES_FAST = re.compile("[-_]+")
_SPACES_FAST = re.compile("[\t\n\x0b\x0c\r ]+")
_WORD_CHARS = "".join(
    re.escape(ch)
    for ch in map(chr, [*range(0x80), *range(0x900, 0x980)])
    if regex.match(r"[\p{L}\p{M}\p{N}]", ch)
)
_TOKEN_FAST = re.compile(f"[{_WORD_CHARS}]+")


def match_key(text: str) -> str:
    """A comparison key for names: equal keys mean "the same name spelled differently".

    NFD first so precomposed nukta letters (ऩ, ड़) lose their nukta too; then NFC, ZWJ/ZWNJ
    dropped, chandrabindu folded into anusvara, half nasals into anusvara, virama dropped,
    dashes read as spaces, case folded. Never use the key as displayed text: offsets are into
    the original.
    """
    return _match_key(text)[0]


def _match_key(text: str) -> tuple[str, bool]:
    """:func:`match_key`, and whether the key is ASCII and Devanagari only."""
    if unicodedata.is_normalized("NFC", text) and _DECOMPOSES_TO_DROP.search(text) is None:
        s = text  # the round trip below would give it back unchanged
    else:
        s = unicodedata.normalize("NFD", text).translate(_DROP)
        s = unicodedata.normalize("NFC", s)
    # (NFC, the drops and the folds below keep ASCII and Devanagari text so; casefold keeps ASCII)
    if _OTHER_SCRIPTS.search(s) is None:
        if "\u094d" in s:
            s = _HALF_NASAL_FAST.sub("\u0902", s).replace("\u094d", "")
        s = s.replace("\u0901", "\u0902")
        s = _DASHES_FAST.sub(" ", s)
        return _SPACES_FAST.sub(" ", s).strip().casefold(), True
    if "\u094d" in s:
        s = _HALF_NASAL.sub("\u0902", s).replace("\u094d", "")
    s = s.replace("\u0901", "\u0902")
    s = _DASHES.sub(" ", s)
    return _SPACES.sub(" ", s).strip().casefold(), False


def key_tokens(text: str) -> tuple[str, ...]:
    """The words of ``match_key(text)``, punctuation dropped."""
    key, simple = _match_key(text)
    return tuple((_TOKEN_FAST if simple else _TOKEN).findall(key))
