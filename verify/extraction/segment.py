"""From raw text to sentence spans: boilerplate lines, datelines, captions, sentence bounds.

Every span is an offset pair into the NFC text; nothing here rewrites text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex
import sentencex

from .lang import PACKS, LanguagePack, pack_for
from .types import RemovedLine

# Plain character classes: the standard library's engine scans these about twice as fast.
_DEVANAGARI = re.compile(r"[\u0900-\u097f\ua8e0-\ua8ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_FALLBACK_SPLIT = regex.compile(r"(?<=[.!?।॥][\"”’')\]]*)\s+")
# \S+ as the `regex` module reads it (Unicode White_Space), for the faster standard engine
_WORDS = re.compile("[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_TRAILING_PUNCT = "।॥.!?\"”’'"
DATELINE_PARAGRAPHS = 3
# Boilerplate and captions are short; longer lines are prose and skip those (costly) checks.
BOILERPLATE_MAX_CHARS = 160
CAPTION_MAX_CHARS = 300  # a dateline opens the story; further down "X, 5 मार्च (…)" is prose


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    pack: LanguagePack  # the pack to read the sentence with (its own script's)
    caption: bool = False


def script_language(text: str, default: str) -> str:
    """'hi' when Devanagari letters outnumber Latin ones, 'en' when Latin do, else ``default``."""
    return _script(text, default)[0]


def _script(text: str, default: str) -> tuple[str, bool]:
    """:func:`script_language`, and whether ``text`` has letters of both scripts."""
    has_dev, has_lat = _DEVANAGARI.search(text) is not None, _LATIN.search(text) is not None
    if has_dev != has_lat:  # one script only: no need to count (the common case, and cheap)
        return ("hi" if has_dev else "en"), False
    if not has_dev:
        return default, False
    sample = text[:20000]
    dev = len(sample) - len(_DEVANAGARI.sub("", sample))
    lat = len(sample) - len(_LATIN.sub("", sample))
    if dev == lat:
        return default, True
    return ("hi" if dev > lat else "en"), True


def _lines(text: str):
    """(start, end) of each line's content, line breaks excluded."""
    pos = 0
    for piece in text.splitlines(keepends=True):
        body = piece.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        yield pos, pos + len(body)
        pos += len(piece)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _boilerplate_pattern() -> tuple[regex.Pattern, list[tuple[str, str]]]:
    """Every pack's boilerplate patterns as one alternation, in pack order: one match per line.

    Each alternative is anchored at both ends, so the first that matches is the first pattern
    that matches the whole line, as when they are tried one by one.
    """
    parts, reasons = [], []
    for pack in PACKS.values():
        for pattern, reason in pack.boilerplate:
            name = f"b{len(parts)}"
            case = "i" if pattern.flags & regex.IGNORECASE else "-i"
            parts.append(f"(?P<{name}>(?{case}:{pattern.pattern}))")
            reasons.append((name, reason))
    return regex.compile("|".join(parts) or "(?!)"), reasons


_BOILERPLATE, _BOILERPLATE_REASONS = _boilerplate_pattern()


def _boilerplate_reason(line: str) -> str | None:
    m = _BOILERPLATE.match(line)
    if m is None:
        return None
    return next(reason for name, reason in _BOILERPLATE_REASONS if m.group(name) is not None)


def _dateline(text: str, start: int, end: int) -> int:
    """Length of a dateline ("MOSCOW, Sept 13 (Reuters) -", "नई दिल्ली, 5 मार्च (पीटीआई)") at ``start``."""
    head = text[start : min(end, start + 120)]
    for pack in PACKS.values():
        m = pack.dateline.match(head) if pack.dateline else None
        if m and (m.group("date") or m.group("agency")) and m.end() < len(head):
            return m.end()
    return 0


def _sentence_spans(text: str, start: int, end: int, pack: LanguagePack) -> list[tuple[int, int]]:
    para = text[start:end]
    try:
        bounds = [
            (b["start_index"], b["end_index"])
            for b in sentencex.get_sentence_boundaries(pack.sentencex_code, para)
        ]
        if not bounds or bounds[0][0] != 0 or bounds[-1][1] != len(para):
            raise ValueError("sentencex did not cover the paragraph")
    except Exception:  # the segmenter is a native extension: any failure falls back to punctuation
        bounds, pos = [], 0
        for m in _FALLBACK_SPLIT.finditer(para):
            bounds.append((pos, m.start()))
            pos = m.start()
        bounds.append((pos, len(para)))
    spans: list[tuple[int, int]] = []
    for a, b in bounds:
        a, b = _strip_span(text, start + a, start + b)
        if a == b:
            continue
        if spans and _continues(text, spans[-1], end, pack):
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def _continues(text: str, prev: tuple[int, int], para_end: int, pack: LanguagePack) -> bool:
    """Whether the next sentence still belongs to ``prev`` (an abbreviation or an open quote)."""
    chunk = text[prev[0] : prev[1]]
    last = chunk.rsplit(None, 1)[-1].casefold()
    if last in pack.abbreviations or (len(last) == 2 and last[1] == "." and last[0].isalpha()):
        return True  # "डॉ. सिंह", "Mr. Kim", initials such as "J. Smith"
    if chunk.count("“") > chunk.count("”") or chunk.count("«") > chunk.count("»"):
        return True
    # An odd straight quote opens a passage only if the paragraph closes it later.
    return chunk.count('"') % 2 == 1 and text.find('"', prev[1], para_end) != -1


def _is_caption(text: str, spans: list[tuple[int, int]], pack: LanguagePack) -> bool:
    """A photo caption: a credit marker, or a short verbless one-sentence paragraph ("… में।")."""
    first, last = spans[0][0], spans[-1][1]
    if last - first > CAPTION_MAX_CHARS:
        return False
    for p in PACKS.values():
        if p.caption is not None and _caption_match(text, first, last, p):
            return True
    if len(spans) != 1 or not pack.caption_final_words:
        return False
    # The last word, its end punctuation stripped, ends the span so stripped: a cheap test first.
    if not text[first:last].rstrip(_TRAILING_PUNCT).endswith(_final_words(pack)):
        return False
    words = _WORDS.findall(text, first, last)
    return 2 < len(words) <= 20 and words[-1].rstrip(_TRAILING_PUNCT) in pack.caption_final_words


_FINAL_WORDS: dict[int, tuple[LanguagePack, tuple[str, ...]]] = {}


def _final_words(pack: LanguagePack) -> tuple[str, ...]:
    """``pack.caption_final_words`` as a tuple for ``str.endswith``, built once per pack."""
    hit = _FINAL_WORDS.get(id(pack))
    if hit is None or hit[0] is not pack:
        hit = _FINAL_WORDS[id(pack)] = (pack, tuple(pack.caption_final_words))
    return hit[1]


def _caption_match(text: str, first: int, last: int, p: LanguagePack) -> bool:
    """``p.caption.search(text, first, last)``, tried only where a match can start."""
    caption = p.caption
    if not p.caption_starts:
        return caption.search(text, first, last) is not None
    for c in p.caption_search_if:
        if text.find(c, first, last) != -1:
            return caption.search(text, first, last) is not None
    if first == 0 and caption.match(text, 0, last):
        return True
    for c in p.caption_starts:
        i = text.find(c, first, last)
        while i != -1:
            if caption.match(text, i, last):
                return True
            i = text.find(c, i + 1, last)
    return False


def segment(text: str, language: str) -> tuple[list[Sentence], list[RemovedLine]]:
    """Split NFC ``text`` into sentences (with paragraph numbers) and the lines dropped on the way.

    1. Each line is a paragraph; empty and boilerplate lines go to ``removed`` with a reason.
    2. A dateline at the start of one of the first paragraphs is cut off (and reported), so its
       agency credit is not read as the source of the first sentence.
    3. sentencex splits the rest; splits after abbreviations or inside quotes are undone.
    4. Paragraphs that are photo captions are marked so they neither inherit nor pass on sources.
    """
    sentences: list[Sentence] = []
    removed: list[RemovedLine] = []
    paragraph = 0
    for line_start, line_end in _lines(text):
        start, end = _strip_span(text, line_start, line_end)
        if start == end:
            removed.append(RemovedLine(text[line_start:line_end], line_start, line_end, "empty line"))
            continue
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
        para = text[start:end]
        code, mixed = _script(para, language)
        pack = pack_for(code)
        spans = _sentence_spans(text, start, end, pack)
        if not spans:
            continue
        if _is_caption(text, spans, pack):
            # one claim per caption, its credit ("(Photo: KCNA)") included
            sentences.append(Sentence(spans[0][0], spans[-1][1], paragraph, pack, caption=True))
        elif mixed:
            # a sentence in the other script (an English quote in a Hindi story) is read with its own pack
            sentences.extend(
                Sentence(a, b, paragraph, PACKS.get(script_language(text[a:b], pack.code), pack))
                for a, b in spans
            )
        else:  # each sentence has the paragraph's script or none, so reads with its pack
            sentences.extend(Sentence(a, b, paragraph, pack) for a, b in spans)
        paragraph += 1
    return sentences, removed
