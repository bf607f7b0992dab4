"""Evidence matcher: the passages of a source page that share a claim's names, numbers and dates.

A reviewer checks one claim (a sentence of a Hindi or English article) against a fetched page
(its main text). :func:`match_evidence` lists the page's passages (one to three sentences of one
paragraph) that share terms with the claim, best first, with the shared spans as offsets so a
template can wrap them in ``<mark>``. It ranks; the reviewer decides. Pure Python, no Django.

Terms of the claim
    * names: registry aliases (every alias of the entry then counts, in any script: पेस्कोव finds
      "Peskov" and "Dmitry Peskov"), capitalised Latin words (runs such as "Kim Jong Un", titles
      like "President" dropped), and Devanagari words that are not on :data:`HINDI_STOP` (they
      may be names; most are not, see the score). Names compare by :func:`name_key`, a loose
      phonetic key of a Latin spelling; Devanagari is first romanised by :func:`romanize`.
    * numbers: Arabic or Devanagari digits, thousands separators (1,500 / 1,00,000) dropped;
      number words two..twelve and twenty in English and Hindi ("पांच" / "five" -> 5).
    * dates: day and month in English or Hindi ("13 सितंबर", "सितंबर 13", "Sept. 13",
      "13th of September", "2023-09-13"), read as (day, month); a month alone, or a year alone.

Score (0-100, an int)
    Each distinct claim term has a weight: name 3, date 2, number 2. ``W`` is the sum over the
    claim's terms, except that guessed names (a Devanagari word read as a name, or a capitalised
    word opening an English sentence) count only if the page has them somewhere: most such
    words are ordinary words, and an English page never shares them.
    ``coverage = sum(weight * credit for terms in the passage) / W``, credit 1, or 0.75 for a
    name found only in part ("Putin" for "Vladimir Putin").
    ``score = round(min(100, 90 * coverage + bonus))`` where ``bonus`` (only with two or more
    distinct terms) is 10 when one occurrence of each found term fits in 100 characters, falling
    linearly to 0 at 400. Passages with no term are not returned.

Matching names: two tokens match when their :func:`name_key` are equal, or when their consonant
skeletons (the key without vowels) are equal, both keys have five letters or more and they
differ by one edit (two from eight letters): "Sergei" / सर्गेई ("sargei"), "Dmitry" / दिमित्री.
On the page, a Latin token can start a name only when capitalised; Devanagari tokens on
:data:`HINDI_STOP` never are names. Registry aliases whose name key has three letters or fewer
("AP", "DD", "TASS", तास) match only exactly (equal :func:`match_key`, and in Latin the same
case). A multi-word name other than a registry alias may be found in part (any of its words
of three letters or more, extended to the neighbouring words that match).

Passages: each line of the page is a paragraph, split into sentences by sentencex (falling
back to punctuation); pieces under 30 characters ("VLADIVOSTOK, September 14.", "/TASS/.") join
the next sentence. A passage is a window of one to three consecutive sentences of a paragraph
whose first and last sentences hold a term; windows are ranked by score, then shorter, then
earlier, and taken greedily without overlap. Page analysis is cached for the last 8 pages, so
matching several claims against one page tokenises it once.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import regex
import sentencex

from verify.extraction.matching import match_key
from verify.extraction.registry import Registry, default_registry

TermKind = Literal["name", "number", "date"]

WEIGHTS: dict[str, int] = {"name": 3, "date": 2, "number": 2}
PARTIAL_NAME_CREDIT = 0.75
MAX_WINDOW_SENTENCES = 3
# Shorter pieces ("VLADIVOSTOK, September 14.", "/TASS/.") join the next sentence of their line.
MIN_SENTENCE_CHARS = 30
MAX_WINDOW_CHARS = 1500  # a window of several sentences is dropped past this length
BONUS = 10
BONUS_NEAR, BONUS_FAR = 100, 400  # characters


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


@dataclass(slots=True)
class Passage:
    """``text == page_text[start:end]``; ``highlights`` are (start, end) offsets into ``text``."""

    text: str
    start: int
    end: int
    score: int
    terms: list[Term] = field(default_factory=list)
    highlights: list[tuple[int, int]] = field(default_factory=list)


# --- word lists -------------------------------------------------------------------------------

# Frequent Hindi function words, verbs, pronouns, titles and generic nouns: never read as names.
HINDI_STOP_WORDS = """
का के की को में से ने पर और या व एवं है हैं था थे थी थीं हो होगा होगी होंगे होने हुआ हुए हुई होता होती होते
गया गए गई गयी कि जो जिस जिसे जिसके जिसकी जिन्हें जिन्होंने यह वह ये वे इस उस इन उन इसे उसे इन्हें उन्हें इसके उसके
इनके उनके इसकी उसकी इनकी उनकी इसका उसका इनका उनका उन्होंने इन्होंने उसने इसने भी तो ही तक साथ लिए लिये बाद पहले
अब जब तब यहां यहाँ वहां वहाँ वहीं यहीं जहां कहां क्या क्यों कैसे कौन अपने अपनी अपना अपनों कहा कहे कहते कहती कहता
कहना बताया बताते बताती बताता किया किए किये की कर करने करता करते करती करना करेंगे करेगा करेगी कराया रहा रहे रही
रहें रहेगा रहेंगे रखना रखेगा दिया दिए दी दिये देने देना लिया ले दे देते नहीं न ना बहुत सभी सब कई कुछ अन्य आदि
द्वारा अनुसार हवाले मुताबिक बकौल दौरान बीच बारे लेकर वाले वाली वाला वालों एक दोनों पहला पहली दूसरा दूसरी दूसरे
ओर तरफ तरह रूप जैसे जैसा जैसी ऐसे ऐसा ऐसी फिर लेकिन परंतु किंतु मगर बल्कि क्योंकि इसलिए अगर यदि तथा सकता सकते सकती
चाहिए गये हुये जाएगा जाएगी जाएंगे जाने जाता जाती जाते जा सके मिला मिली मिले बना बनी बने अधिक ज्यादा कम सबसे
श्री श्रीमती सुश्री डॉ डॉक्टर राष्ट्रपति प्रधानमंत्री मंत्री मुख्यमंत्री विदेश रक्षा नेता नेताओं प्रवक्ता अध्यक्ष सचिव
सरकार अधिकारी अधिकारियों समाचार एजेंसी रिपोर्ट बयान खबर ख़बर सूत्रों सूत्र दिन साल वर्ष महीने समय बार बात लोग लोगों
घंटे घंटों मिनट आज कल सोमवार मंगलवार बुधवार गुरुवार बृहस्पतिवार शुक्रवार शनिवार रविवार स्थित शामिल जारी उम्मीद
इसके अलावा अलावा तहत प्रति ओर से
"""
ENGLISH_STOP_WORDS = """
a an the and or but nor in on at to of for from by with as into onto over under about after before during
since until while when where what which who whom whose why how that this these those there here he she it
they we i you me him her his its their our your us them is are was were be been being has have had do does
did will would shall should can could may might must not no yes so if then than also both all any some many
much more most other such only even just still yet however meanwhile earlier later according said says told
asked one today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr
president prime minister foreign defence defense secretary spokesman spokeswoman spokesperson leader chairman
chancellor king queen sir lord comrade general gen senator governor mayor ambassador deputy vice chief head
official officials photo file read see update updated
"""
# Words of a capitalised run that are titles, not part of the name ("President Vladimir Putin").
ENGLISH_TITLES = frozenset(
    "president prime minister foreign defence defense secretary spokesman spokeswoman spokesperson "
    "leader chairman chancellor king queen sir lord comrade general gen senator governor mayor "
    "ambassador deputy vice chief mr mrs ms dr".split()
)

NUMBER_WORDS: dict[str, int] = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
    "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5, "छह": 6, "छः": 6, "छह्": 6, "सात": 7,
    "आठ": 8, "नौ": 9, "दस": 10, "ग्यारह": 11, "बारह": 12, "बीस": 20,
}  # fmt: skip
EN_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
HI_MONTHS: dict[str, int] = {
    "जनवरी": 1, "फरवरी": 2, "फ़रवरी": 2, "मार्च": 3, "अप्रैल": 4, "अप्रेल": 4, "मई": 5, "जून": 6,
    "जुलाई": 7, "अगस्त": 8, "सितंबर": 9, "सितम्बर": 9, "अक्टूबर": 10, "अक्तूबर": 10,
    "नवंबर": 11, "नवम्बर": 11, "दिसंबर": 12, "दिसम्बर": 12,
}  # fmt: skip

HINDI_STOP: frozenset[str] = frozenset(match_key(w) for w in HINDI_STOP_WORDS.split())
ENGLISH_STOP: frozenset[str] = frozenset(ENGLISH_STOP_WORDS.split())
_NUMBER_WORD_KEYS = {match_key(w): n for w, n in NUMBER_WORDS.items()}
_HI_MONTH_KEYS = {match_key(w): n for w, n in HI_MONTHS.items()}
# Never read as names: those words, months and number words.
_NOT_NAME_HI = HINDI_STOP | set(_HI_MONTH_KEYS) | {k for k in _NUMBER_WORD_KEYS if not k.isascii()}
_NOT_NAME_EN = ENGLISH_STOP | set(EN_MONTHS) | {k for k in NUMBER_WORDS if k.isascii()}

# --- romanisation and the name key -----------------------------------------------------------

_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j",
    "झ": "jh", "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t",
    "थ": "th", "द": "d", "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh",
    "म": "m", "य": "y", "र": "r", "ल": "l", "ळ": "l", "व": "v", "श": "sh", "ष": "sh",
    "स": "s", "ह": "h",
}  # fmt: skip
_NUKTA_FORMS = {
    "क": "k",
    "ख": "kh",
    "ग": "g",
    "ज": "z",
    "ड": "r",
    "ढ": "rh",
    "फ": "f",
    "य": "y",
    "न": "n",
    "र": "r",
}
_VOWELS = {
    "अ": "a", "आ": "aa", "इ": "i", "ई": "ii", "उ": "u", "ऊ": "uu", "ऋ": "ri", "ॠ": "ri", "ऌ": "li",
    "ए": "e", "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o", "ऍ": "e", "ऎ": "e", "ऒ": "o",
}  # fmt: skip
_MATRAS = {
    "ा": "aa", "ि": "i", "ी": "ii", "ु": "u", "ू": "uu", "ृ": "ri", "ॄ": "ri", "े": "e", "ै": "ai",
    "ो": "o", "ौ": "au", "ॉ": "o", "ॅ": "e", "ॆ": "e", "ॊ": "o",
}  # fmt: skip
_LABIALS = ("p", "b", "m", "f")
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
        strict=True,
    )
)
_CYRILLIC["ъ"] = _CYRILLIC["ь"] = ""


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
    s = unicodedata.normalize("NFD", word)
    # units: [consonant, vowel, coda, letter]; vowel None = the inherent "a", "" = none (virama)
    units: list[list] = []
    out: list[object] = []  # units and pass-through strings, in order
    for ch in s:
        last = units[-1] if units and out and out[-1] is units[-1] else None
        if ch in _CONSONANTS:
            unit = [_CONSONANTS[ch], None, "", ch]
            units.append(unit)
            out.append(unit)
        elif ch == "\u093c":  # nukta
            if last is not None and last[1] is None and last[2] == "":
                last[0] = _NUKTA_FORMS.get(last[3], last[0])
        elif ch in _MATRAS:
            if last is not None and last[1] is None and last[0]:
                last[1] = _MATRAS[ch]
            else:
                unit = ["", _MATRAS[ch], "", ""]
                units.append(unit)
                out.append(unit)
        elif ch == "\u094d":  # virama
            if last is not None and last[1] is None:
                last[1] = ""
        elif ch in _VOWELS:
            unit = ["", _VOWELS[ch], "", ""]
            units.append(unit)
            out.append(unit)
        elif ch in "\u0901\u0902":  # chandrabindu, anusvara
            if last is not None:
                last[2] += "n"
            else:
                unit = ["", "", "n", ""]
                units.append(unit)
                out.append(unit)
        elif ch == "\u0903":  # visarga
            if last is not None:
                last[2] += "h"
        elif "\u0966" <= ch <= "\u096f":
            out.append(str(ord(ch) - 0x966))
        elif ch in "\u200c\u200d\u00ad\u2060\ufeff":
            continue
        else:
            out.append(ch)
    # schwa deletion, on each run of consecutive units
    runs: list[list[list]] = []
    prev_unit = False
    for item in out:
        if isinstance(item, list):
            if not prev_unit:
                runs.append([])
            runs[-1].append(item)
            prev_unit = True
        else:
            prev_unit = False
    for run in runs:
        n = len(run)
        deleted = [False] * n
        last = run[-1]
        if n > 1 and last[0] and last[1] is None and not last[2] and run[-2][1] != "":
            deleted[-1] = True
        for i in range(n - 2, 0, -1):
            u, before, after = run[i], run[i - 1], run[i + 1]
            if u[0] and u[1] is None and not u[2] and before[1] != "" and not deleted[i - 1]:
                if after[0] and (after[1] or (after[1] is None and not deleted[i + 1])):
                    deleted[i] = True
        for i, u in enumerate(run):
            if u[1] is None:
                u[1] = "" if deleted[i] else "a"
    pieces: list[str] = []
    for i, item in enumerate(out):
        if isinstance(item, list):
            coda = item[2]
            if coda.startswith("n") and i + 1 < len(out):
                nxt = out[i + 1]
                if isinstance(nxt, list) and nxt[0].startswith(_LABIALS):
                    coda = "m" + coda[1:]
            pieces.append(item[0] + item[1] + coda)
        else:
            pieces.append(item)
    return "".join(pieces)


_DIGRAPHS = (
    ("tch", "C"), ("chh", "C"), ("ch", "C"), ("sh", "S"), ("zh", "j"), ("ph", "f"), ("kh", "k"),
    ("gh", "g"), ("th", "t"), ("dh", "d"), ("bh", "b"), ("jh", "j"), ("ck", "k"), ("q", "k"),
    ("x", "ks"), ("w", "v"), ("c", "k"), ("z", "j"), ("C", "c"), ("S", "s"),
    ("ee", "i"), ("oo", "u"),
)  # fmt: skip
_DOUBLES = re.compile(r"(.)\1+")
_NON_KEY = re.compile(r"[^a-z0-9]+")
_VOWEL_LETTERS = re.compile(r"[aeiou]")
_DEVANAGARI = re.compile("[\u0900-\u097f]")
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")


@lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """The loose phonetic key of one word, any script: equal keys read as the same name.

    Devanagari is romanised (:func:`romanize`), Cyrillic transliterated; then accents are
    stripped, case folded, and spellings folded: ch/chh/tch -> c, sh -> s, ph -> f, kh/gh/th/
    dh/bh/jh -> k/g/t/d/b/j, ck/q/c -> k, x -> ks, w -> v, z -> j, ee -> i, oo -> u, y -> i
    (except first), doubled letters (long vowels) single. "Kim Jong-un" and किम जोंग-उन give
    kim, jong, un. Words of other scripts keep their :func:`match_key`.
    """
    s = word
    if _DEVANAGARI.search(s):
        s = romanize(s)
    if _CYRILLIC_RE.search(s):
        s = "".join(_CYRILLIC.get(ch, ch) for ch in s.lower())
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    if not s.isascii() and regex.search(r"[^\x00-\x7f](?<=[\p{L}\p{N}])", s):
        return match_key(word)  # another script: no phonetic folding
    s = _NON_KEY.sub("", s)
    for a, b in _DIGRAPHS:
        s = s.replace(a, b)
    s = s[:1] + s[1:].replace("y", "i")
    return _DOUBLES.sub(r"\1", s)


def _skeleton(key: str) -> str:
    return _VOWEL_LETTERS.sub("", key) if key.isascii() else key


def _within(a: str, b: str, limit: int) -> bool:
    """Whether the edit distance of ``a`` and ``b`` is at most ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return False
        prev = cur
    return prev[-1] <= limit


@lru_cache(maxsize=65536)
def _similar(a: str, b: str) -> bool:
    """Name keys that read as the same name (their skeletons are already known to be equal)."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter >= 8:
        return _within(a, b, 2)
    return shorter >= 5 and _within(a, b, 1)


# --- tokens, numbers and dates ----------------------------------------------------------------

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}\u200c\u200d\u00ad\u2060]+")
_TIGHT_GAP = re.compile(r"[ \t\u00a0\-\u2010\u2011\u2012\u2013\u2014]{0,3}")
_JOIN = set("-\u2010\u2011")
_DIG = "[0-9\u0966-\u096f]"
_WB_BEFORE = r"(?<![\p{L}\p{M}\p{N}])"
_WB_AFTER = r"(?![\p{L}\p{M}\p{N}])"
_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def _alt(words: Iterable[str]) -> str:
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
    rf"{_WB_BEFORE}(?<![.,]{_DIG})(?:"
    rf"(?P<iy>{_YEAR})-(?P<im>{_DIG}{{2}})-(?P<id>{_DIG}{{2}}){_WB_AFTER}"
    rf"|(?P<ad>{_DAY})(?:\s+of)?(?:\s+|\s*-\s*)(?P<am>{_MON})(?:(?:\.?,?\s+|-)(?P<ay>{_YEAR}){_WB_AFTER})?"
    rf"|(?P<bm>{_MON})\.?,?\s+(?P<bd>{_DAY}){_WB_AFTER}(?!\s*[:.]\s*{_DIG})(?:,?\s+(?P<by>{_YEAR}){_WB_AFTER})?"
    rf"|(?P<cm>{_MON}),?\s+(?P<cy>{_YEAR}){_WB_AFTER}"
    rf"|(?P<dm>{_EN_MON_ALONE}|{_HI_MON})"
    rf"|(?P<ey>{_YEAR}){_WB_AFTER}(?![.,]{_DIG})"
    ")"
)
_NUMBER = regex.compile(
    rf"{_WB_BEFORE}(?<![.,]{_DIG})(?P<n>{_DIG}{{1,3}}(?:,{_DIG}{{2,3}})+(?:\.{_DIG}+)?|{_DIG}+(?:\.{_DIG}+)?)"
    rf"(?:st|nd|rd|th)?{_WB_AFTER}(?![.,]{_DIG})"
)


def _month(text: str) -> int:
    t = text.rstrip(".").lower()
    return EN_MONTHS.get(t) or _HI_MONTH_KEYS.get(match_key(text), 0)


def _int(text: str) -> int:
    return int(regex.sub(r"\D", "", text.translate(_DIGITS))[:4] or 0)


def _number_value(text: str) -> str:
    s = text.translate(_DIGITS).replace(",", "")
    whole, _, frac = s.partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def _scan_dates(text: str) -> list[tuple[int, int, tuple, tuple | None]]:
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


def _scan_numbers(text: str, dates: list) -> list[tuple[int, int, str]]:
    starts = [d[0] for d in dates]
    out = []
    for m in _NUMBER.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and dates[i][1] > m.start():
            continue  # part of a date
        out.append((m.start("n"), m.end("n"), _number_value(m.group("n"))))
    return out


# --- the page ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    key: str  # name_key
    exact: str  # match_key
    candidate: bool  # may be (part of) a name


@dataclass(slots=True)
class _Page:
    text: str
    tokens: list[_Token]
    by_skeleton: dict[str, dict[str, list[int]]]  # skeleton -> name key -> token indexes
    by_exact: dict[str, list[int]]
    occurrences: dict[tuple, list[tuple[int, int]]]  # number/date keys -> spans
    sentences: list[tuple[int, int, int]]  # start, end, paragraph


def _is_devanagari(word: str) -> bool:
    return _DEVANAGARI.search(word) is not None


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    keys: dict[str, tuple[str, str, bool]] = {}
    prev_end, prev_candidate = -10, False
    for m in _TOKEN.finditer(text):
        word = m.group()
        info = keys.get(word)
        if info is None:
            exact = match_key(word)
            if _is_devanagari(word):
                ok = exact not in _NOT_NAME_HI
            elif word[0].isdigit():
                ok = False
            else:
                ok = word[0].isupper() or not word[0].islower()
            info = keys[word] = (name_key(word), exact, ok)
        candidate = info[2]
        if not candidate and prev_candidate and text[prev_end : m.start()] in _JOIN and not word[0].isdigit():
            candidate = True  # "Jong-un": the part after a hyphen
        out.append(_Token(m.start(), m.end(), info[0], info[1], candidate))
        prev_end, prev_candidate = m.end(), candidate
    return out


def _sentences(text: str) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    pos = 0
    for paragraph, line in enumerate(text.splitlines(keepends=True)):
        start, end = pos, pos + len(line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"))
        pos += len(line)
        body = text[start:end]
        if not body.strip():
            continue
        sample = body[:2000]
        lang = "hi" if len(_DEVANAGARI.findall(sample)) > len(re.findall("[A-Za-z]", sample)) else "en"
        try:
            bounds = [
                (b["start_index"], b["end_index"]) for b in sentencex.get_sentence_boundaries(lang, body)
            ]
            if not bounds or bounds[0][0] != 0 or bounds[-1][1] != len(body):
                raise ValueError("sentencex did not cover the line")
            if any(a > b or b > len(body) for a, b in bounds):
                raise ValueError("bad bounds")
        except Exception:  # a native extension: any failure falls back to punctuation
            bounds, p = [], 0
            for m in regex.finditer(r"(?<=[.!?।॥][\"”’')\]]*)\s+", body):
                bounds.append((p, m.start()))
                p = m.start()
            bounds.append((p, len(body)))
        spans: list[tuple[int, int]] = []
        joins = False
        for a, b in bounds:
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
        out.extend((a, b, paragraph) for a, b in spans)
    return out


@lru_cache(maxsize=8)
def _page(text: str) -> _Page:
    tokens = _tokens(text)
    by_skeleton: dict[str, dict[str, list[int]]] = {}
    by_exact: dict[str, list[int]] = {}
    for i, t in enumerate(tokens):
        by_exact.setdefault(t.exact, []).append(i)
        if t.candidate and t.key:
            by_skeleton.setdefault(_skeleton(t.key), {}).setdefault(t.key, []).append(i)
    occurrences: dict[tuple, list[tuple[int, int]]] = {}
    dates = _scan_dates(text)
    for start, end, key, year in dates:
        occurrences.setdefault(key, []).append((start, end))
        if key[0] == "date":
            occurrences.setdefault(("month", key[2]), []).append((start, end))
        if year:
            occurrences.setdefault(year, []).append((start, end))
    for start, end, value in _scan_numbers(text, dates):
        occurrences.setdefault(("number", value), []).append((start, end))
    for t in tokens:
        word = text[t.start : t.end]
        n = NUMBER_WORDS.get(word.lower()) if word.isascii() else _NUMBER_WORD_KEYS.get(t.exact)
        if n is not None:
            occurrences.setdefault(("number", str(n)), []).append((t.start, t.end))
    return _Page(text, tokens, by_skeleton, by_exact, occurrences, _sentences(text))


# --- the claim --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _NameSpec:
    variants: tuple[tuple[str, ...], ...]  # name keys of each spelling
    exact: tuple[tuple[tuple[str, ...], str], ...]  # (match_key words, Latin text or "") of short aliases
    partial: bool


def _registry_index(registry: Registry) -> dict[str, list[tuple[tuple[str, ...], object]]]:
    """First word (match key) of each alias -> (alias words, entry), longest first; cached."""
    hit = _REGISTRY_INDEXES.get(id(registry))
    if hit is None or hit[0] is not registry:
        hit = _REGISTRY_INDEXES[id(registry)] = (registry, _build_index(registry))
    return hit[1]


_REGISTRY_INDEXES: dict[int, tuple[Registry, dict]] = {}


def _build_index(registry: Registry) -> dict[str, list[tuple[tuple[str, ...], object]]]:
    if len(_REGISTRY_INDEXES) > 16:
        _REGISTRY_INDEXES.clear()
    index: dict[str, list[tuple[tuple[str, ...], object]]] = {}
    for entry in reversed(registry.entries):
        for name in (entry.canonical, *entry.aliases):
            words = tuple(match_key(w) for w in _TOKEN.findall(name))
            if words:
                index.setdefault(words[0], []).append((words, entry))
    for options in index.values():
        options.sort(key=lambda item: -len(item[0]))
    return index


def _entry_spec(entry) -> _NameSpec:
    variants, exact = [], []
    for name in (entry.canonical, *entry.aliases):
        words = _TOKEN.findall(name)
        keys = tuple(name_key(w) for w in words)
        if not words:
            continue
        if len("".join(keys)) <= 3 or not all(keys):
            exact.append((tuple(match_key(w) for w in words), name if name.isascii() else ""))
        else:
            variants.append(keys)
    return _NameSpec(tuple(dict.fromkeys(variants)), tuple(dict.fromkeys(exact)), partial=False)


def _claim_terms(
    text: str, registry: Registry, *, names_only: bool = False
) -> list[tuple[Term, _NameSpec | None]]:
    """The terms of ``text`` with, for names, how to find them."""
    out: list[tuple[Term, _NameSpec | None]] = []
    taken: list[tuple[int, int]] = []
    if not names_only:
        dates = _scan_dates(text)
        for start, end, key, _year in dates:
            out.append((Term("date", text[start:end], key, WEIGHTS["date"]), None))
            taken.append((start, end))
        for start, end, value in _scan_numbers(text, dates):
            out.append((Term("number", text[start:end], ("number", value), WEIGHTS["number"]), None))
            taken.append((start, end))
    tokens = list(_TOKEN.finditer(text))
    exact = [match_key(m.group()) for m in tokens]
    used = [any(a <= m.start() < b for a, b in taken) for m in tokens]
    if not names_only:
        for i, m in enumerate(tokens):
            word = m.group()
            n = NUMBER_WORDS.get(word.lower()) if word.isascii() else _NUMBER_WORD_KEYS.get(exact[i])
            if n is not None and not used[i]:
                out.append((Term("number", word, ("number", str(n)), WEIGHTS["number"]), None))
                used[i] = True
    # registry aliases, earliest then longest
    index = _registry_index(registry)
    i = 0
    while i < len(tokens):
        hit = None
        for words, entry in index.get(exact[i], ()):
            if tuple(exact[i : i + len(words)]) == words and not any(used[i : i + len(words)]):
                surface = text[tokens[i].start() : tokens[i + len(words) - 1].end()]
                if len(surface) <= 3 and surface.isascii() and surface != surface.upper():
                    continue  # "ap", "dd": short aliases only as written (in capitals)
                hit = (words, entry, surface)
                break
        if hit is None:
            i += 1
            continue
        words, entry, surface = hit
        out.append((Term("name", surface, ("name", entry.canonical), WEIGHTS["name"]), _entry_spec(entry)))
        for j in range(i, i + len(words)):
            used[j] = True
        i += len(words)
    # capitalised Latin runs and Devanagari words
    i = 0
    while i < len(tokens):
        m, word = tokens[i], tokens[i].group()
        if used[i] or not regex.search(r"\p{L}", word):
            i += 1
            continue
        if _is_devanagari(word):
            j = i + 1  # hyphen-joined parts stay together: जोंग-उन
            while (
                j < len(tokens)
                and not used[j]
                and text[tokens[j - 1].end() : tokens[j].start()] in _JOIN
                and _is_devanagari(tokens[j].group())
            ):
                j += 1
            parts = [t.group() for t in tokens[i:j]]
            if any(exact[k] not in _NOT_NAME_HI for k in range(i, j)):
                keys = tuple(name_key(p) for p in parts)
                if len("".join(keys)) >= 3:
                    surface = text[m.start() : tokens[j - 1].end()]
                    spec = _NameSpec((keys,), (), partial=True)
                    out.append((Term("name", surface, ("name", *keys), WEIGHTS["name"], guessed=True), spec))
            i = j
            continue
        if not (word[0].isupper() and word.isalpha()) or word.lower() in _NOT_NAME_EN:
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and not used[j]:
            gap = text[tokens[j - 1].end() : tokens[j].start()]
            nxt = tokens[j].group()
            if gap in _JOIN and nxt.isalpha() and not _is_devanagari(nxt):
                j += 1
            elif (
                _TIGHT_GAP.fullmatch(gap)
                and gap
                and nxt[0].isupper()
                and nxt.isalpha()
                and nxt.lower() not in ENGLISH_TITLES
                and nxt.lower() not in _NOT_NAME_EN
            ):
                j += 1
            else:
                break
        parts = [t.group() for t in tokens[i:j]]
        keys = tuple(name_key(p) for p in parts)
        if keys and len("".join(keys)) >= 3:
            before = text[max(0, m.start() - 3) : m.start()].strip(" \"'“‘(")
            opening = j == i + 1 and (not before or before[-1:] in ".!?।:")
            surface = text[m.start() : tokens[j - 1].end()]
            spec = _NameSpec((keys,), (), partial=len(keys) > 1)
            out.append((Term("name", surface, ("name", *keys), WEIGHTS["name"], guessed=opening), spec))
        i = j
    return out


def claim_terms(
    claim_text: str, *, registry: Registry | None = None, names: Iterable[str] = ()
) -> list[Term]:
    """The distinct terms :func:`match_evidence` looks for, in claim order (``names`` last)."""
    return [t for t, _ in _all_terms(claim_text, registry, names)]


def _all_terms(claim_text: str, registry: Registry | None, names: Iterable[str]):
    registry = registry if registry is not None else default_registry()
    found = _claim_terms(claim_text, registry)
    for name in names:
        if name:
            found.extend(_claim_terms(name, registry, names_only=True))
    seen: dict[tuple, int] = {}
    out: list[tuple[Term, _NameSpec | None]] = []
    for term, spec in found:
        if term.key in seen:
            k = seen[term.key]
            if out[k][0].guessed and not term.guessed:  # a sure name beats a guess
                out[k] = (term, spec)
            continue
        seen[term.key] = len(out)
        out.append((term, spec))
    return out


# --- matching ---------------------------------------------------------------------------------


def _tight(text: str, a: _Token, b: _Token) -> bool:
    return _TIGHT_GAP.fullmatch(text, a.end, b.start) is not None


def _candidates(page: _Page, key: str) -> list[int]:
    out: list[int] = []
    for other, idx in page.by_skeleton.get(_skeleton(key), {}).items():
        if _similar(key, other):
            out.extend(idx)
    return out


def _find_name(page: _Page, spec: _NameSpec) -> list[tuple[int, int, float]]:
    """(start, end, credit) of each place the name is on the page."""
    toks, text = page.tokens, page.text
    found: dict[tuple[int, int], float] = {}
    for words, latin in spec.exact:
        for i in page.by_exact.get(words[0], ()):
            span = toks[i : i + len(words)]
            if len(span) == len(words) and all(t.exact == w for t, w in zip(span, words, strict=True)):
                start, end = span[0].start, span[-1].end
                if not latin or text[start:end] == latin:
                    found[(start, end)] = 1.0
    for keys in spec.variants:
        n = len(keys)
        strong = [j for j, k in enumerate(keys) if len(k) >= 3] if spec.partial else [0]
        for j in strong:
            for p in _candidates(page, keys[j]):
                lo, hi = j, j  # claim word range matched, pages tokens p - (j - lo) ...
                while (
                    lo > 0
                    and p - (j - lo) > 0
                    and _tight(text, toks[p - (j - lo) - 1], toks[p - (j - lo)])
                    and _matches(keys[lo - 1], toks[p - (j - lo) - 1])
                ):
                    lo -= 1
                while (
                    hi < n - 1
                    and p + (hi - j) + 1 < len(toks)
                    and _tight(text, toks[p + (hi - j)], toks[p + (hi - j) + 1])
                    and _matches(keys[hi + 1], toks[p + (hi - j) + 1])
                ):
                    hi += 1
                full = lo == 0 and hi == n - 1
                if not full and not spec.partial:
                    continue
                start, end = toks[p - (j - lo)].start, toks[p + (hi - j)].end
                credit = 1.0 if full else PARTIAL_NAME_CREDIT
                found[(start, end)] = max(credit, found.get((start, end), 0.0))
    # drop spans inside longer ones
    spans = sorted(found.items(), key=lambda kv: (kv[0][0], -kv[0][1]))
    out: list[tuple[int, int, float]] = []
    for (start, end), credit in spans:
        if out and start < out[-1][1]:
            if end <= out[-1][1]:
                continue
        out.append((start, end, credit))
    return out


def _matches(key: str, token: _Token) -> bool:
    return (
        bool(key) and bool(token.key) and _skeleton(key) == _skeleton(token.key) and _similar(key, token.key)
    )


def _find_other(page: _Page, term: Term) -> list[tuple[int, int, float]]:
    keys = [term.key]
    if term.key[0] == "year":
        keys.append(("number", str(term.key[1])))
    elif term.key[0] == "number" and term.key[1].isdigit() and len(term.key[1]) == 4:
        keys.append(("year", int(term.key[1])))
    spans = sorted({s for k in keys for s in page.occurrences.get(k, ())})
    return [(a, b, 1.0) for a, b in spans]


def _bonus(occ: list[tuple[int, int, int, float]]) -> float:
    """The proximity bonus: the shortest stretch holding one occurrence of each found term."""
    wanted = {o[2] for o in occ}
    if len(wanted) < 2:
        return 0.0
    occ = sorted(occ)
    best = None
    counts: dict[int, int] = {}
    left = 0
    for right, (_s, _e, t, _c) in enumerate(occ):
        counts[t] = counts.get(t, 0) + 1
        while len(counts) == len(wanted):
            width = max(o[1] for o in occ[left : right + 1]) - occ[left][0]
            best = width if best is None else min(best, width)
            lt = occ[left][2]
            counts[lt] -= 1
            if not counts[lt]:
                del counts[lt]
            left += 1
    if best is None:
        return 0.0
    return BONUS * max(0.0, min(1.0, (BONUS_FAR - best) / (BONUS_FAR - BONUS_NEAR)))


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def match_evidence(
    claim_text: str,
    page_text: str,
    *,
    registry: Registry | None = None,
    names: Iterable[str] = (),
    limit: int = 5,
) -> list[Passage]:
    """The passages of ``page_text`` sharing the claim's names, numbers and dates, best first.

    ``names``: further names known for the claim (its speaker phrase, its outlet's canonical
    name). At most ``limit`` passages, which never overlap; ties go to the shorter, then the
    earlier passage. See the module docstring for the terms and the score.
    """
    if limit <= 0 or not claim_text or not page_text or not page_text.strip():
        return []
    terms = _all_terms(claim_text, registry, names)
    if not terms:
        return []
    page = _page(page_text)
    hits: list[tuple[int, int, int, float]] = []  # start, end, term index, credit
    total = 0.0
    for t, (term, spec) in enumerate(terms):
        spans = _find_name(page, spec) if spec is not None else _find_other(page, term)
        if spans or not term.guessed:
            total += term.weight
        hits.extend((a, b, t, c) for a, b, c in spans)
    if not hits or total <= 0:
        return []
    sentences = page.sentences
    ends = [s[1] for s in sentences]
    per_sentence: dict[int, list[tuple[int, int, int, float]]] = {}
    for hit in hits:
        k = bisect.bisect_left(ends, hit[1])
        if k < len(sentences) and sentences[k][0] <= hit[0]:
            per_sentence.setdefault(k, []).append(hit)
    candidates = []
    for k in per_sentence:
        for size in range(1, MAX_WINDOW_SENTENCES + 1):
            last = k + size - 1
            if last >= len(sentences) or sentences[last][2] != sentences[k][2]:
                break
            if last not in per_sentence:
                continue
            start, end = sentences[k][0], sentences[last][1]
            if size > 1 and end - start > MAX_WINDOW_CHARS:
                break
            occ = [h for s in range(k, last + 1) for h in per_sentence.get(s, ())]
            credit: dict[int, float] = {}
            for _a, _b, t, c in occ:
                credit[t] = max(c, credit.get(t, 0.0))
            coverage = sum(terms[t][0].weight * c for t, c in credit.items()) / total
            score = round(min(100.0, 90 * coverage + _bonus(occ)))
            candidates.append((-score, end - start, start, end, occ, sorted(credit)))
    candidates.sort(key=lambda c: c[:3])
    chosen: list[Passage] = []
    taken: list[tuple[int, int]] = []
    for neg, _length, start, end, occ, found in candidates:
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        chosen.append(
            Passage(
                text=page_text[start:end],
                start=start,
                end=end,
                score=-neg,
                terms=[terms[t][0] for t in found],
                highlights=_merge((a - start, b - start) for a, b, _t, _c in occ),
            )
        )
        if len(chosen) >= limit:
            break
    return chosen
