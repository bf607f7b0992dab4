"""From raw text to sentence spans: boilerplate lines, datelines, captions, sentence bounds.

Every span is an offset pair into the NFC text; nothing here rewrites text.
"""

from __future__ import annotations

import re

import regex
import sentencex

from .lang import PACKS, LanguagePack, pack_for
from .stdlib_patterns import stdlib_twin
from .types import RemovedLine, builder

# Plain character classes: the standard library's engine scans these about twice as fast.
_DEVANAGARI = re.compile(r"[\u0900-\u097f\ua8e0-\ua8ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# A Latin letter, or a character that is not printable ASCII, ASCII white space or Devanagari; one
# class (several ranges compile to a table, which the engine scans fastest).
_LATIN_OR_UNUSUAL = re.compile("[^\t\n\x0b\x0c\r\x20-\x40\x5b-\x60\x7b-\x7e\u0900-\u097f]")
_FALLBACK_SPLIT = regex.compile(r"(?<=[.!?।॥][\"”’')\]]*)\s+")
# \S+ as the `regex` module reads it (Unicode White_Space), for the faster standard engine
_WORDS = re.compile("[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_TRAILING_PUNCT = "।॥.!?\"”’'"
DATELINE_PARAGRAPHS = 3
# Boilerplate and captions are short; longer lines are prose and skip those (costly) checks.
BOILERPLATE_MAX_CHARS = 160
CAPTION_MAX_CHARS = 300  # a dateline opens the story; further down "X, 5 मार्च (…)" is prose
_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines breaks at
_removed = builder(RemovedLine)


def script_language(text: str, default: str) -> str:
    """'hi' when Devanagari letters outnumber Latin ones, 'en' when Latin do, else ``default``."""
    return _script(text, default)[0]


def scripts(text: str) -> tuple[bool, bool, bool | None]:
    """Whether ``text`` has Devanagari letters, whether it has Latin ones, and whether it is
    simple: printable ASCII, ASCII white space and Devanagari only (None: not known)."""
    m = _LATIN_OR_UNUSUAL.search(text)  # one scan tells both for a text with neither (Hindi copy)
    if m is None:
        return _DEVANAGARI.search(text) is not None, False, True
    return _DEVANAGARI.search(text) is not None, _LATIN.search(text, m.start()) is not None, None


def _script(text: str, default: str, dev: bool = True, lat: bool = True) -> tuple[str, bool]:
    """:func:`script_language`, and whether ``text`` has letters of both scripts.

    ``dev`` / ``lat`` False say that ``text`` (a part of a text without them) has no letters of
    that script, so they need not be looked for.
    """
    has_dev = dev and _DEVANAGARI.search(text) is not None
    has_lat = lat and _LATIN.search(text) is not None
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


_HAS_WORD = regex.compile(r"[\p{L}\p{N}]")


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


_BOILERPLATE_TWIN = stdlib_twin(_BOILERPLATE)
_TWINS: dict[int, tuple[regex.Pattern, re.Pattern | None]] = {}


def _twin(pattern: regex.Pattern) -> re.Pattern | None:
    """The standard-library twin of ``pattern`` (a pack's), built once per pattern."""
    hit = _TWINS.get(id(pattern))
    if hit is None or hit[0] is not pattern:
        hit = _TWINS[id(pattern)] = (pattern, stdlib_twin(pattern))
    return hit[1]


def _boilerplate_reason(line: str, simple: bool | None = None) -> str | None:
    """Why ``line`` is boilerplate, if it is (``simple``: the text is ASCII/Devanagari only)."""
    m = (_BOILERPLATE_TWIN if simple and _BOILERPLATE_TWIN is not None else _BOILERPLATE).match(line)
    if m is None:
        return None
    return next(reason for name, reason in _BOILERPLATE_REASONS if m.group(name) is not None)


def _dateline(text: str, start: int, end: int, simple: bool | None = None) -> int:
    """Length of a dateline ("MOSCOW, Sept 13 (Reuters) -", "नई दिल्ली, 5 मार्च (पीटीआई)") at ``start``."""
    head = text[start : min(end, start + 120)]
    for pack in PACKS.values():
        if pack.dateline is None:
            continue
        twin = _twin(pack.dateline) if simple else None
        m = (twin or pack.dateline).match(head)
        if m and (m.group("date") or m.group("agency")) and m.end() < len(head):
            return m.end()
    return 0


def _sentence_spans(para: str, offset: int, pack: LanguagePack) -> list[tuple[int, int]]:
    """Sentence spans (offsets into the text, ``para`` starting at ``offset``), whitespace stripped."""
    try:
        parts = sentencex.segment(pack.sentencex_code, para)
    except Exception:
        parts = None
    # Sentences that tile the paragraph have the bounds get_sentence_boundaries would report (at
    # the cost of a dict per sentence): the running sums of their lengths.
    if parts and "".join(parts) == para:
        bounds = []
        pos = 0
        for part in parts:
            end = pos + len(part)
            bounds.append((pos, end))
            pos = end
    else:
        bounds = _bounds(para, pack.sentencex_code)
    return _spans(para, offset, pack, bounds)


def _spans(
    para: str, offset: int, pack: LanguagePack, bounds: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Sentence spans from sentence bounds in ``para``: stripped, rejoined after abbreviations and
    inside quotes, moved by ``offset``."""
    spans: list[tuple[int, int]] = []
    quoted = '"' in para or "“" in para or "«" in para
    abbr_ends = _abbreviation_ends(pack)
    for a, b in bounds:
        while a < b and para[a].isspace():
            a += 1
        while b > a and para[b - 1].isspace():
            b -= 1
        if a == b:
            continue
        if spans:
            p0, p1 = spans[-1]
            ch = para[p1 - 1]
            if (quoted or ch in abbr_ends or ch.casefold() != ch) and _continues(para, p0, p1, pack):
                spans[-1] = (p0, b)
                continue
        spans.append((a, b))
    if offset:
        return [(a + offset, b + offset) for a, b in spans]
    return spans


def _bounds(para: str, code: str) -> list[tuple[int, int]]:
    """get_sentence_boundaries' bounds in ``para``, or bounds at end punctuation if it fails."""
    try:
        bounds = [(b["start_index"], b["end_index"]) for b in sentencex.get_sentence_boundaries(code, para)]
        if not bounds or bounds[0][0] != 0 or bounds[-1][1] != len(para):
            raise ValueError("sentencex did not cover the paragraph")
    except Exception:  # the segmenter is a native extension: any failure falls back to punctuation
        bounds, pos = [], 0
        for m in _FALLBACK_SPLIT.finditer(para):
            bounds.append((pos, m.start()))
            pos = m.start()
        bounds.append((pos, len(para)))
    return bounds


_ABBREVIATION_ENDS: dict[int, tuple[LanguagePack, frozenset[str]]] = {}


def _abbreviation_ends(pack: LanguagePack) -> frozenset[str]:
    """The last characters of ``pack``'s abbreviations, and "." (of initials), built once per pack."""
    hit = _ABBREVIATION_ENDS.get(id(pack))
    if hit is None or hit[0] is not pack:
        ends = frozenset(a[-1] for a in pack.abbreviations if a) | {"."}
        hit = _ABBREVIATION_ENDS[id(pack)] = (pack, ends)
    return hit[1]


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


def _is_caption(
    text: str, spans: list[tuple[int, int]], pack: LanguagePack, simple: bool | None = None
) -> bool:
    """A photo caption: a credit marker, or a short verbless one-sentence paragraph ("… में।")."""
    first, last = spans[0][0], spans[-1][1]
    if last - first > CAPTION_MAX_CHARS:
        return False
    # A credit marker starts at the text's start or at one of a few characters (see _caption_match).
    marked = first == 0 or _CAPTION_MARKS is None
    if not marked:
        for c in _CAPTION_MARKS:
            if text.find(c, first, last) != -1:
                marked = True
                break
    if marked:
        for p in PACKS.values():
            if p.caption is not None and _caption_match(text, first, last, p, simple):
                return True
    if len(spans) != 1 or not pack.caption_final_words:
        return False
    # The last word, its end punctuation stripped, ends the span so stripped: a cheap test first.
    if not text[first:last].rstrip(_TRAILING_PUNCT).endswith(_final_words(pack)):
        return False
    words = _WORDS.findall(text, first, last)
    return 2 < len(words) <= 20 and words[-1].rstrip(_TRAILING_PUNCT) in pack.caption_final_words


def _caption_marks() -> str | None:
    """The characters where some pack's caption match may start, or None if one may start anywhere."""
    chars = set()
    for p in PACKS.values():
        if p.caption is not None:
            if not p.caption_starts:
                return None
            chars.update(p.caption_starts, p.caption_search_if)
    return "".join(sorted(chars))


_CAPTION_MARKS = _caption_marks()


_FINAL_WORDS: dict[int, tuple[LanguagePack, tuple[str, ...]]] = {}


def _final_words(pack: LanguagePack) -> tuple[str, ...]:
    """``pack.caption_final_words`` as a tuple for ``str.endswith``, built once per pack."""
    hit = _FINAL_WORDS.get(id(pack))
    if hit is None or hit[0] is not pack:
        hit = _FINAL_WORDS[id(pack)] = (pack, tuple(pack.caption_final_words))
    return hit[1]


def _caption_match(text: str, first: int, last: int, p: LanguagePack, simple: bool | None = None) -> bool:
    """``p.caption.search(text, first, last)``, tried only where a match can start (``simple``: the
    text is ASCII/Devanagari only, so the pattern's standard-library twin may try)."""
    caption = (_twin(p.caption) if simple else None) or p.caption
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


def segment(
    text: str, language: str, text_scripts: tuple[bool, bool, bool | None] | None = None
) -> tuple[list[tuple], list[RemovedLine]]:
    """Split NFC ``text`` into sentences and the lines dropped on the way.

    A sentence is a tuple (start, end, paragraph number, pack to read it with, is a caption).

    1. Each line is a paragraph; empty and boilerplate lines go to ``removed`` with a reason.
    2. A dateline at the start of one of the first paragraphs is cut off (and reported), so its
       agency credit is not read as the source of the first sentence.
    3. sentencex splits the rest; splits after abbreviations or inside quotes are undone; a
       "sentence" with no letter or digit is removed ("no words").
    4. Paragraphs that are photo captions are marked so they neither inherit nor pass on sources.

    ``text_scripts`` is :func:`scripts` of ``text``, if the caller has it.
    """
    dev, lat, simple = text_scripts or scripts(text)
    sentences: list[tuple] = []
    removed: list[RemovedLine] = []
    paragraph = 0
    pos = 0
    for piece in text.splitlines(keepends=True):
        line_start = pos
        pos += len(piece)
        body = piece.rstrip(_LINE_BREAKS)  # the line's content, line breaks excluded
        para = body.strip()
        if not para:
            removed.append(_removed(body, line_start, line_start + len(body), "empty line"))
            continue
        start = line_start + len(body) - len(body.lstrip())
        end = start + len(para)
        reason = _boilerplate_reason(para, simple) if end - start <= BOILERPLATE_MAX_CHARS else None
        if reason:
            removed.append(_removed(para, start, end, reason))
            continue
        if paragraph < DATELINE_PARAGRAPHS:
            cut = _dateline(text, start, end, simple)
            if cut:
                d_start, d_end = _strip_span(text, start, start + cut)
                removed.append(_removed(text[d_start:d_end], d_start, d_end, "dateline"))
                start, _ = _strip_span(text, start + cut, end)
                para = text[start:end]
        code, mixed = _script(para, language, dev, lat)
        pack = pack_for(code)
        spans = _sentence_spans(para, start, pack)
        if not all(text[a].isalnum() or _HAS_WORD.search(text, a, b) for a, b in spans):
            # A "sentence" of no letter or digit (a run of dandas, zero-width or bidi controls)
            # is nothing a reviewer could verify: report it, do not make it a claim.
            for a, b in spans:
                if not _HAS_WORD.search(text, a, b):
                    removed.append(_removed(text[a:b], a, b, "no words"))
            spans = [(a, b) for a, b in spans if _HAS_WORD.search(text, a, b)]
        if not spans:
            continue
        if _is_caption(text, spans, pack, simple):
            # one claim per caption, its credit ("(Photo: KCNA)") included
            sentences.append((spans[0][0], spans[-1][1], paragraph, pack, True))
        elif mixed:
            # a sentence in the other script (an English quote in a Hindi story) is read with its own pack
            for a, b in spans:
                sentences.append(
                    (a, b, paragraph, PACKS.get(script_language(text[a:b], pack.code), pack), False)
                )
        else:  # each sentence has the paragraph's script or none, so reads with its pack
            for a, b in spans:
                sentences.append((a, b, paragraph, pack, False))
        paragraph += 1
    return sentences, removed
