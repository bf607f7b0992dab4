"""From raw text to sentence spans: furniture lines, datelines, captions, sentence bounds, and
the wire credit of the removed lines.

Every span is an offset pair into the NFC text; nothing here rewrites text. Sentence bounds
come from sentencex (:func:`verify.text.sentence_bounds`); the joining rules on top of them
(abbreviations, open quotes) and the caption rules are the extractor's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import regex

from verify.text import has_devanagari, has_latin, script_language, sentence_bounds

from . import furniture
from .lang import PACKS, LanguagePack, pack_for
from .registry import Registry
from .types import RemovedLine

DATELINE_PARAGRAPHS = 3  # a dateline opens the story; further down "X, 5 मार्च (…)" is prose
DATELINE_MAX_CHARS = 120
BARE_DATELINE_WORDS = 2  # "नई दिल्ली।" alone on the first line
# Boilerplate and captions are short: a longer line is prose, whatever it starts with (a
# portal's promo footer runs to about 200 characters).
BOILERPLATE_MAX_CHARS = 240
# A headline: a line above the story's first paragraph, this short at most, that ends in no
# sentence mark ("बिहार: गंडक नदी पर पुल ढहा, विपक्ष ने सरकार को घेरा"); a story follows it.
HEADLINE_MAX_CHARS = 200
_SENTENCE_END = "।॥.!?"
CAPTION_MAX_CHARS = 300
CAPTION_MAX_WORDS = 20
_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines breaks at
_TRAILING_PUNCT = "।॥.!?\"”’'"
_HAS_WORD = regex.compile(r"[\p{L}\p{N}]")
_WORDS = regex.compile(r"\S+")
# Every furniture rule of the data file, whatever the pack: an English share bar in a Hindi story is furniture too.
_FURNITURE = furniture.Matcher(furniture.all_patterns())
# The reasons of the rules that can name an agency ("wire credit", "wire sign-off", "byline").
_CREDIT_REASONS = frozenset(r.reason for r in _FURNITURE.rules if "credit" in r.pattern.groupindex)
# Quote marks that close a quotation; sentencex may start the next sentence with the second of
# a doubled pair ("।’’", ".''"), which belongs to the sentence it closes.
_CLOSING_QUOTES = "”’»"
# Quote marks, for splitting a quotation into its sentences ("''" and "``" as pairs: a single
# "'" is an apostrophe far more often).
_QUOTE_MARK = regex.compile("[\"“”‘’«»]|''|``")
# A sentence mark inside a unit (followed by more of it): a quotation may hold two sentences.
_INNER_END = regex.compile(r"[।॥.!?][\"“”‘’«»']*\s")
# Opening and closing marks of a quotation, the doubled pairs first: "‘‘" holds two "‘".
_QUOTE_PAIRS = (("‘‘", "’’"), ("``", "''"), ("“", "”"), ("«", "»"))
# Words that start an English sentence and are no surname, so "on X. The ministry …" ends a
# sentence while "J. Smith" does not: an initial is followed by a name.
_NOT_A_NAME = frozenset(
    "the a an this that these those it its he she they we i his her their our in on at".split()
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence span of the text, its paragraph's number and the pack to read it with."""

    start: int
    end: int
    paragraph: int
    pack: LanguagePack
    caption: bool = False  # a photo caption (a whole paragraph, credit included)
    # A quotation that runs over several sentences ("X ने कहा, “A। B।”") is one claim per
    # sentence, read as one: ``unit`` is the span of the whole quotation, the same for each of
    # its sentences (None for a sentence on its own).
    unit: tuple[int, int] | None = None


def language_of(text: str, default: str) -> str:
    """'hi' when ``text`` has Devanagari letters only, 'en' when it has Latin ones only; with
    both, the script with more letters (:func:`verify.text.script_language`); else ``default``."""
    return _language(text, default, has_devanagari(text), has_latin(text))


def _language(text: str, default: str, dev: bool, lat: bool) -> str:
    """:func:`language_of` for a ``text`` known to have Devanagari letters (``dev``) and Latin
    ones (``lat``) or not."""
    if dev != lat:
        return "hi" if dev else "en"
    return script_language(text, default)


def segment(text: str, language: str) -> tuple[list[Sentence], list[RemovedLine]]:
    """Split NFC ``text`` into sentences and the lines dropped on the way.

    1. Each line is a paragraph; empty lines and page furniture (data/furniture.json; sign-offs
       only in the block that ends the article) go to ``removed`` with a reason.
    2. A dateline at the start of one of the first paragraphs is cut off (and reported), so its
       agency credit is not read as the source of the first sentence; a line that is only a
       dateline is removed whole. (:func:`wire_credit` reads the credit back from ``removed``.)
    3. sentencex splits the rest; splits after abbreviations or inside quotes are undone; a
       "sentence" with no letter or digit is removed ("no words").
    4. Paragraphs that are photo captions are marked so they neither inherit nor pass on sources.

    Above the story's first paragraph, a short line that ends in no sentence mark is its
    headline (removed, "headline"): portals paste it with the byline and the share bar.
    """
    sentences: list[Sentence] = []
    removed: list[RemovedLine] = []
    paragraph = 0
    lines = _lines(text)
    tail = _tail(text, lines)
    for n, (start, end) in enumerate(lines):
        if not text[start:end].strip():
            removed.append(RemovedLine(text[start:end], start, end, "empty line"))
            continue
        start, end = _strip_span(text, start, end)
        reason = tail[n] if n in tail else _boilerplate_reason(text[start:end])
        if reason:
            removed.append(RemovedLine(text[start:end], start, end, reason))
            continue
        if paragraph == 0 and _is_headline(text, start, end, lines[n + 1 :]):
            removed.append(RemovedLine(text[start:end], start, end, "headline"))
            continue
        if paragraph < DATELINE_PARAGRAPHS:
            cut = _dateline(text, start, end, bare=paragraph == 0)
            if cut == end - start:  # the line is a dateline and nothing else: no claim
                removed.append(RemovedLine(text[start:end], start, end, "dateline"))
                continue
            if cut:
                d_start, d_end = _strip_span(text, start, start + cut)
                removed.append(RemovedLine(text[d_start:d_end], d_start, d_end, "dateline"))
                start, _ = _strip_span(text, start + cut, end)
        found = _paragraph_sentences(text, start, end, paragraph, language, removed)
        if found:
            sentences.extend(found)
            paragraph += 1
    return sentences, removed


def _lines(text: str) -> list[tuple[int, int]]:
    """The span of each line of ``text``, its line break excluded."""
    spans, pos = [], 0
    for piece in text.splitlines(keepends=True):
        spans.append((pos, pos + len(piece.rstrip(_LINE_BREAKS))))
        pos += len(piece)
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` less the white space at either end of ``text[start:end]``."""
    piece = text[start:end]
    rest = piece.lstrip()
    start += len(piece) - len(rest)
    return start, start + len(rest.rstrip())


def _paragraph_sentences(
    text: str, start: int, end: int, paragraph: int, language: str, removed: list[RemovedLine]
) -> list[Sentence]:
    """The sentences of the paragraph ``text[start:end]``; "sentences" without words go to ``removed``."""
    para = text[start:end]
    dev, lat = has_devanagari(para), has_latin(para)
    pack = pack_for(_language(para, language, dev, lat))
    units = []
    for (a, b), pieces in _sentence_spans(para, start, pack):
        if _HAS_WORD.search(text, a, b):
            units.append(((a, b), pieces))
        else:
            # A "sentence" of no letter or digit (a run of dandas, zero-width or bidi controls)
            # is nothing a reviewer could verify: report it, do not make it a claim.
            removed.append(RemovedLine(text[a:b], a, b, "no words"))
    if not units:
        return []
    spans = [span for span, _ in units]
    if _is_caption(text, spans, pack):
        # one claim per caption, its credit ("(Photo: KCNA)") included
        return [Sentence(spans[0][0], spans[-1][1], paragraph, pack, caption=True)]
    sentences = []
    for unit, pieces in units:
        # a sentence in the other script (an English quote in a Hindi story) is read with its
        # own pack; otherwise each has the paragraph's script or none
        own = PACKS.get(language_of(text[unit[0] : unit[1]], pack.code), pack) if dev and lat else pack
        if not pieces:
            sentences.append(Sentence(unit[0], unit[1], paragraph, own))
        else:
            sentences.extend(Sentence(a, b, paragraph, own, unit=unit) for a, b in pieces)
    return sentences


# --- Boilerplate and datelines ----------------------------------------------------------------


def _boilerplate_reason(line: str, *, at_end: bool = False) -> str | None:
    """Why the stripped ``line`` is page furniture, if it is: the first rule of the packs that
    matches it whole ("end" rules, such as wire sign-offs, only ``at_end``)."""
    if len(line) > BOILERPLATE_MAX_CHARS:
        return None
    return _FURNITURE.reason(line, at_end=at_end)


def _tail(text: str, lines: list[tuple[int, int]]) -> dict[int, str | None]:
    """The block that ends the article with nothing but empty lines and furniture, as line
    index -> reason (None for an empty line). A sign-off such as "भाषा राजकुमार सुरेश" counts
    as furniture only there."""
    tail: dict[int, str | None] = {}
    for n in range(len(lines) - 1, -1, -1):
        line = text[lines[n][0] : lines[n][1]].strip()
        reason = _boilerplate_reason(line, at_end=True) if line else None
        if line and not reason:
            break
        tail[n] = reason
    return tail


def _is_headline(text: str, start: int, end: int, below: list[tuple[int, int]]) -> bool:
    """Whether the stripped line ``text[start:end]``, above the story's first paragraph, is its
    headline: short, ending in no sentence mark (closing quotes aside), no dateline, no photo
    caption, and with more text below it (a one-line paste is a sentence, not a headline)."""
    line = text[start:end]
    if len(line) > HEADLINE_MAX_CHARS or not any(text[a:b].strip() for a, b in below):
        return False
    if line.rstrip(_CLOSING_QUOTES + "'\"")[-1:] in _SENTENCE_END:
        return False
    if _dateline(text, start, end, bare=True):
        return False
    return not _has_photo_credit(text, start, end)


def _dateline(text: str, start: int, end: int, *, bare: bool) -> int:
    """Length of a dateline ("MOSCOW, Sept 13 (Reuters) -", "नई दिल्ली, 5 मार्च (पीटीआई)") at ``start``.

    A dateline that is the whole line counts without a story after it. A place with only its
    mark ("कीव।", "MOSCOW —") counts only ``bare`` (before the story's first paragraph), with
    at most two words, none a word of a sentence: "उन्होंने इनकार किया।" is no place, nor is a
    short sentence further down.
    """
    head = text[start : min(end, start + DATELINE_MAX_CHARS)]
    for pack in PACKS.values():
        m = pack.dateline.match(head) if pack.dateline is not None else None
        if not m:
            continue
        whole = m.end() == end - start
        if m.group("date") or m.group("agency"):
            if whole or m.end() < len(head):
                return m.end()
        elif whole and bare and m.group("sep"):
            words = m.group("place").casefold().split()
            if len(words) <= BARE_DATELINE_WORDS and not any(w in pack.boundary_words for w in words):
                return m.end()
    return 0


# --- Sentences --------------------------------------------------------------------------------


Span = tuple[int, int]


def _sentence_spans(para: str, offset: int, pack: LanguagePack) -> list[tuple[Span, tuple[Span, ...]]]:
    """Sentence spans of ``para`` (offsets into the text, ``para`` starting at ``offset``):
    sentencex's bounds, white space stripped, rejoined after abbreviations; a quotation over
    several sentences is one unit, returned with its sentences (none for a single sentence)."""
    units: list[list[int]] = []  # [start, end, starts of the quotation's later sentences...]
    for a, b in sentence_bounds(para, pack.sentencex_code):
        a, b = _strip_span(para, a, b)
        close = _leading_closers(para, a, b, units[-1][1]) if units else a
        if close > a:  # "…हैं।’’ फिर": the closing marks go back to the sentence they close
            units[-1][1] = close
            a, b = _strip_span(para, close, b)
        if a == b:
            continue
        joined = _continues(para, units[-1][0], units[-1][1], pack) if units else None
        if joined is None:
            units.append([a, b])
            continue
        if joined == "quote" and _HAS_WORD.search(para, a, b):
            units[-1].append(a)  # a new sentence of the quotation
        units[-1][1] = b
    quoting = _QUOTE_MARK.search(para) is not None
    out = []
    for start, end, *cuts in units:
        if (
            not cuts
            and quoting
            and _INNER_END.search(para, start, end)
            and _QUOTE_MARK.search(para, start, end)
        ):
            cuts = _quoted_sentences(para, start, end, pack)
        pieces: tuple[Span, ...] = ()
        if cuts:
            bounds = [start, *cuts, end]
            pieces = tuple((x + offset, _strip_span(para, x, y)[1] + offset) for x, y in pairwise(bounds))
        out.append(((start + offset, end + offset), pieces))
    return out


def _quoted_sentences(para: str, start: int, end: int, pack: LanguagePack) -> list[int]:
    """Where the later sentences of a quotation in ``para[start:end]`` start: sentencex keeps a
    quotation whole ("X ने कहा, “A। B।”"), so it splits the unit again with the quote marks
    read as spaces (the same length: offsets stay), abbreviations rejoined as before."""
    masked = _QUOTE_MARK.sub(lambda m: " " * len(m.group()), para[start:end])
    cuts: list[int] = []
    piece_start = None
    for a, b in sentence_bounds(masked, pack.sentencex_code):
        a, b = _strip_span(masked, a, b)
        if a == b:
            continue
        if (
            piece_start is not None
            and not _continues(masked, piece_start, a, pack)
            and _HAS_WORD.search(masked, a, b)
        ):
            cuts.append(start + a)
            piece_start = a
        elif piece_start is None:
            piece_start = a
    return cuts


def _leading_closers(para: str, a: int, b: int, prev_end: int) -> int:
    """Where the closing quote marks that open ``para[a:b]`` end (``a`` if there are none):
    curly closers ("’’", "”") never open a sentence; a straight "'" only after another one ("''")."""
    pos = a
    while pos < b and (para[pos] in _CLOSING_QUOTES or (para[pos] == "'" and para[pos - 1] == "'")):
        pos += 1
    if pos > a and a > 0 and para[prev_end - 1] in "।॥.!?'’”»":
        return pos
    return a


def _continues(para: str, p0: int, p1: int, pack: LanguagePack) -> str | None:
    """Why the next piece still belongs to ``para[p0:p1]``: "abbreviation" (an abbreviation or
    an initial: the same sentence) or "quote" (an open quotation: the next sentence of it);
    None when it does not."""
    chunk = para[p0:p1]
    last = chunk.rsplit(None, 1)[-1].casefold()
    if last in pack.abbreviations:
        return "abbreviation"  # "डॉ. सिंह", "Mr. Kim"
    if len(last) == 2 and last[1] == "." and last[0].isalpha():
        # "J. Smith", but "wrote on X. The ministry …"
        return "abbreviation" if _name_follows(para, p1) else None
    for opening, closing in _QUOTE_PAIRS:
        if opening in chunk and chunk.count(opening) > chunk.count(closing):
            return "quote"
    # An odd straight quote opens a passage only if the paragraph closes it later.
    return "quote" if chunk.count('"') % 2 == 1 and para.find('"', p1) != -1 else None


def _name_follows(para: str, p1: int) -> bool:
    """Whether the word after ``para[:p1]`` (which ends in an initial) can be a name: a capital
    letter, not a word that opens a sentence, or a script without capitals."""
    rest = para[p1:].split(None, 1)
    if not rest:
        return False
    word = rest[0]
    if word[0].isupper():
        return word.strip(".,;:'\"’”").casefold() not in _NOT_A_NAME
    return not word[0].islower()


# --- The wire credit --------------------------------------------------------------------------


def wire_credit(removed: list[RemovedLine], registry: Registry) -> str | None:
    """The outlet the story is credited to: the first credit among the removed datelines and
    furniture lines ("(भाषा)", "MOSCOW (Reuters) -", a sign-off "भाषा राजकुमार") that resolves
    to a registry outlet (:func:`_resolve_credit`); generic credits ("एजेंसी") do not."""
    for line in removed:
        if line.reason == "dateline":
            credit = _dateline_agency(line.text)
        else:
            credit = _FURNITURE.credit(line.text) if line.reason in _CREDIT_REASONS else None
        name = _resolve_credit(credit, registry) if credit else None
        if name:
            return name
    return None


def _resolve_credit(credit: str, registry: Registry) -> str | None:
    """The registry's canonical name for a wire credit ("भाषा" -> "PTI" by the credit-only
    spellings of the furniture data, "Reuters" by the registry), None for a generic or unknown one."""
    known, name = furniture.credit_spelling(credit)
    if known:
        return name
    entry = registry.find(credit, kind="outlet")
    return entry.canonical if entry else None


def _dateline_agency(line: str) -> str | None:
    """The agency in parentheses of a dateline ("भाषा" of "नई दिल्ली, 5 मार्च (भाषा)")."""
    for pack in PACKS.values():
        m = pack.dateline.match(line) if pack.dateline is not None else None
        if m and m.group("agency"):
            return m.group("agency").strip()
    return None


# --- Captions ---------------------------------------------------------------------------------


def _has_photo_credit(text: str, first: int, last: int) -> bool:
    """Whether ``text[first:last]`` holds a photo-credit marker of any pack ("(Photo: KCNA)",
    "(फोटो: एएनआई)", "REUTERS/Name", "File photo:" opening the text)."""
    return any(marker.search(text, first, last) for pack in PACKS.values() for marker in pack.captions)


def _is_caption(text: str, spans: list[tuple[int, int]], pack: LanguagePack) -> bool:
    """A photo caption: a credit marker of any pack, or a short verbless one-sentence paragraph
    ("… में।")."""
    first, last = spans[0][0], spans[-1][1]
    if last - first > CAPTION_MAX_CHARS:
        return False
    if _has_photo_credit(text, first, last):
        return True
    if len(spans) != 1 or not pack.caption_final_words:
        return False
    words = _WORDS.findall(text, first, last)
    return (
        2 < len(words) <= CAPTION_MAX_WORDS and words[-1].rstrip(_TRAILING_PUNCT) in pack.caption_final_words
    )
