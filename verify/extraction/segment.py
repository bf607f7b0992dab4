"""From raw text to sentence spans: boilerplate lines, datelines, captions, sentence bounds.

Every span is an offset pair into the NFC text; nothing here rewrites text. Sentence bounds
come from sentencex (:func:`verify.text.sentence_bounds`); the joining rules on top of them
(abbreviations, open quotes) and the caption rules are the extractor's own.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from verify.text import has_devanagari, has_latin, script_language, sentence_bounds

from .lang import PACKS, LanguagePack, pack_for
from .types import RemovedLine

DATELINE_PARAGRAPHS = 3  # a dateline opens the story; further down "X, 5 मार्च (…)" is prose
DATELINE_MAX_CHARS = 120
# Boilerplate and captions are short: a longer line is prose, whatever it starts with.
BOILERPLATE_MAX_CHARS = 160
CAPTION_MAX_CHARS = 300
CAPTION_MAX_WORDS = 20
_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines breaks at
_TRAILING_PUNCT = "।॥.!?\"”’'"
_HAS_WORD = regex.compile(r"[\p{L}\p{N}]")
_WORDS = regex.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence span of the text, its paragraph's number and the pack to read it with."""

    start: int
    end: int
    paragraph: int
    pack: LanguagePack
    caption: bool = False  # a photo caption (a whole paragraph, credit included)


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

    1. Each line is a paragraph; empty and boilerplate lines go to ``removed`` with a reason.
    2. A dateline at the start of one of the first paragraphs is cut off (and reported), so its
       agency credit is not read as the source of the first sentence.
    3. sentencex splits the rest; splits after abbreviations or inside quotes are undone; a
       "sentence" with no letter or digit is removed ("no words").
    4. Paragraphs that are photo captions are marked so they neither inherit nor pass on sources.
    """
    sentences: list[Sentence] = []
    removed: list[RemovedLine] = []
    paragraph = 0
    for start, end in _lines(text):
        if not text[start:end].strip():
            removed.append(RemovedLine(text[start:end], start, end, "empty line"))
            continue
        start, end = _strip_span(text, start, end)
        reason = _boilerplate_reason(text[start:end]) if end - start <= BOILERPLATE_MAX_CHARS else None
        if reason:
            removed.append(RemovedLine(text[start:end], start, end, reason))
            continue
        if paragraph < DATELINE_PARAGRAPHS:
            cut = _dateline(text, start, end)
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
    spans = []
    for a, b in _sentence_spans(para, start, pack):
        if _HAS_WORD.search(text, a, b):
            spans.append((a, b))
        else:
            # A "sentence" of no letter or digit (a run of dandas, zero-width or bidi controls)
            # is nothing a reviewer could verify: report it, do not make it a claim.
            removed.append(RemovedLine(text[a:b], a, b, "no words"))
    if not spans:
        return []
    if _is_caption(text, spans, pack):
        # one claim per caption, its credit ("(Photo: KCNA)") included
        return [Sentence(spans[0][0], spans[-1][1], paragraph, pack, caption=True)]
    if dev and lat:
        # a sentence in the other script (an English quote in a Hindi story) is read with its own pack
        return [
            Sentence(a, b, paragraph, PACKS.get(language_of(text[a:b], pack.code), pack)) for a, b in spans
        ]
    # each sentence has the paragraph's script or none, so reads with its pack
    return [Sentence(a, b, paragraph, pack) for a, b in spans]


# --- Boilerplate and datelines ----------------------------------------------------------------


def _boilerplate_reason(line: str) -> str | None:
    """Why the stripped ``line`` is boilerplate, if it is: the first pattern of the packs that
    matches it whole."""
    for pack in PACKS.values():
        for pattern, reason in pack.boilerplate:
            if pattern.match(line):
                return reason
    return None


def _dateline(text: str, start: int, end: int) -> int:
    """Length of a dateline ("MOSCOW, Sept 13 (Reuters) -", "नई दिल्ली, 5 मार्च (पीटीआई)") at ``start``."""
    head = text[start : min(end, start + DATELINE_MAX_CHARS)]
    for pack in PACKS.values():
        m = pack.dateline.match(head) if pack.dateline is not None else None
        if m and (m.group("date") or m.group("agency")) and m.end() < len(head):
            return m.end()
    return 0


# --- Sentences --------------------------------------------------------------------------------


def _sentence_spans(para: str, offset: int, pack: LanguagePack) -> list[tuple[int, int]]:
    """Sentence spans of ``para`` (offsets into the text, ``para`` starting at ``offset``):
    sentencex's bounds, white space stripped, rejoined after abbreviations and inside quotes."""
    spans: list[tuple[int, int]] = []
    for a, b in sentence_bounds(para, pack.sentencex_code):
        a, b = _strip_span(para, a, b)
        if a == b:
            continue
        if spans and _continues(para, *spans[-1], pack):
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return [(a + offset, b + offset) for a, b in spans]


def _continues(para: str, p0: int, p1: int, pack: LanguagePack) -> bool:
    """Whether the next sentence still belongs to ``para[p0:p1]`` (an abbreviation or an open quote)."""
    chunk = para[p0:p1]
    last = chunk.rsplit(None, 1)[-1].casefold()
    if last in pack.abbreviations or (len(last) == 2 and last[1] == "." and last[0].isalpha()):
        return True  # "डॉ. सिंह", "Mr. Kim", initials such as "J. Smith"
    if chunk.count("“") > chunk.count("”") or chunk.count("«") > chunk.count("»"):
        return True
    # An odd straight quote opens a passage only if the paragraph closes it later.
    return chunk.count('"') % 2 == 1 and para.find('"', p1) != -1


# --- Captions ---------------------------------------------------------------------------------


def _is_caption(text: str, spans: list[tuple[int, int]], pack: LanguagePack) -> bool:
    """A photo caption: a credit marker of any pack, or a short verbless one-sentence paragraph
    ("… में।")."""
    first, last = spans[0][0], spans[-1][1]
    if last - first > CAPTION_MAX_CHARS:
        return False
    if any(marker.search(text, first, last) for p in PACKS.values() for marker in p.captions):
        return True
    if len(spans) != 1 or not pack.caption_final_words:
        return False
    words = _WORDS.findall(text, first, last)
    return (
        2 < len(words) <= CAPTION_MAX_WORDS and words[-1].rstrip(_TRAILING_PUNCT) in pack.caption_final_words
    )
