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
# A character that is not ASCII or Devanagari, or that _DECOMPOSES_TO_DROP: without one, an NFC
# text is its own NFD/NFC round trip and takes the fast path (one scan instead of two).
_NOT_PLAIN = re.compile(
    "[^\x00-\x7f\u0900-\u0928\u092a-\u0930\u0932\u0933\u0935-\u093b\u093d-\u0957\u0960-\u097f]"
)


def match_key(text: str) -> str:
    """A comparison key for names: equal keys mean "the same name spelled differently".

    NFD first so precomposed nukta letters (ऩ, ड़) lose their nukta too; then NFC, ZWJ/ZWNJ
    dropped, chandrabindu folded into anusvara, half nasals into anusvara, virama dropped,
    dashes read as spaces, case folded. Never use the key as displayed text: offsets are into
    the original.
    """
    return _match_key(text)[0]


def _nfc_without_drops(text: str) -> str:
    """``text`` through NFD, the drops, and NFC again (nukta letters lose their nukta)."""
    if unicodedata.is_normalized("NFC", text) and _DECOMPOSES_TO_DROP.search(text) is None:
        return text  # the round trip would give it back unchanged
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_DROP))


def _match_key(text: str) -> tuple[str, bool]:
    """:func:`match_key`, and whether the key is ASCII and Devanagari only."""
    s = _nfc_without_drops(text)
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
    if _NOT_PLAIN.search(text) is None and unicodedata.is_normalized("NFC", text):
        s = text  # (what _nfc_without_drops gives, and ASCII/Devanagari only)
    else:
        s = _nfc_without_drops(text)
        if _OTHER_SCRIPTS.search(s) is not None:
            key, simple = _match_key(text)
            return tuple((_TOKEN_FAST if simple else _TOKEN).findall(key))
    # The key's dashes and spaces only part words, as any non-word character does: on ASCII and
    # Devanagari text the words are those of the folded, casefolded text as it is.
    if "\u094d" in s:
        s = _HALF_NASAL_FAST.sub("\u0902", s).replace("\u094d", "")
    if "\u0901" in s:
        s = s.replace("\u0901", "\u0902")
    return tuple(_TOKEN_FAST.findall(s.casefold()))
