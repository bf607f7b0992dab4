"""Finding a pack's frames in a sentence: the per-pack trigger index, scouting, shared matches.

Built once per pack and reused by every sentence: a trigger scan says which frames can match at
all, costly frames are tried only where a cheap scout finds a start, and on ASCII/Devanagari
text the scouted tries run on standard-library twins of the patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex

from .lang import Frame, LanguagePack
from .stdlib_patterns import OTHER_SCRIPTS, stdlib_twin, without_leading_lookbehind

# Letters, marks and digits (as the frames' case-insensitive lookarounds read them) among the
# Devanagari and ASCII characters: a scouted anchor next to one of these is inside a word.
_WORDISH = frozenset(
    ch
    for ch in map(chr, [*range(0x80), *range(0x900, 0x980)])
    if regex.match(r"[\p{L}\p{M}\p{N}]", ch, regex.IGNORECASE)
)

# A frame as the index holds it: (order in its group, frame, trigger bit, standard-library twin of
# its pattern for ASCII/Devanagari sentences (for a frame that is not scouted, the twin without its
# opening lookbehind), order of the main frame with the very same pattern (citing frames only),
# both None when there is none).
Row = tuple[int, Frame, int, "re.Pattern | None", "int | None"]


@dataclass(frozen=True, slots=True)
class Triggers:
    """All trigger words of a pack's frames, found in one regex pass per sentence.

    The pass is a standard-library regex over a trie of the triggers (an alternation of 60
    words tests every word at every position; a trie tests about one). It reports
    non-overlapping hits, each the longest trigger starting there: every trigger inside a hit
    is certainly present, and one that would start inside a hit and run past its end is looked
    for directly. Frames are bits of an int, so a sentence's live frames are one int.
    """

    scan: re.Pattern
    sure: dict[str, int]  # hit -> frames with a trigger inside it
    unsure: dict[str, tuple[tuple[str, int], ...]]  # hit -> (trigger overlapping its end, frames)
    # rows of the pack's frames, citing and channel frames; bit 0 = no triggers, always runs
    frames: tuple[Row, ...]
    citing: tuple[Row, ...]
    channels: tuple[Row, ...]
    always: bool  # some main frame has no triggers
    _live_rows: dict = field(default_factory=dict)  # live bits -> the main frames' rows they run

    def live_rows(self, live: int) -> tuple[Row, ...]:
        """The rows of ``frames`` that run when the frames of ``live`` have their triggers."""
        rows = self._live_rows.get(live)
        if rows is None:
            rows = tuple(row for row in self.frames if not row[2] or live & row[2])
            if len(self._live_rows) < 4096:  # (sentences have few trigger combinations)
                self._live_rows[live] = rows
        return rows

    def live(self, low: str) -> int:
        """The frames with a trigger in ``low`` (casefolded, no nukta), as bits."""
        found = 0
        unsure = self.unsure
        for hit in set(self.scan.findall(low)):
            found |= self.sure[hit]
            if unsure[hit]:
                for trigger, frames in unsure[hit]:
                    if frames & ~found and trigger in low:
                        found |= frames
        return found

    def live_each(self, low: str, spans: list[tuple[int, int]]) -> list[int | None]:
        """:meth:`live` of each span of ``low`` (casefolded, no nukta).

        Each span is scanned alone (``findall`` with bounds reads the span as if cut out): the
        gaps between spans (captions, removed lines) are never read, and hits need no sorting
        into spans.
        """
        out: list[int | None] = []
        findall = self.scan.findall
        sure, unsure = self.sure, self.unsure
        for a, b in spans:
            found = 0
            hits = findall(low, a, b)
            if hits:
                for hit in hits:
                    found |= sure[hit]
                for hit in hits:
                    if unsure[hit]:
                        part = low[a:b]
                        for trigger, frames in unsure[hit]:
                            if frames & ~found and trigger in part:
                                found |= frames
            out.append(found)
        return out


# Letters by how often they start a trigger's position in Hindi and English news copy (most first).
_COMMON = "कसनरतमहलबपदजयवगअआइउएओखचटडथधफशषघछझठढणञङईऊऐऔ etaoinsrhldcumfpgwybvkxjqz"


def _trie_pattern(words) -> str:
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        # Branches start with different characters, so their order never changes a match; the
        # engine tries them in turn, so the letters most common in running text go first.
        ranked = sorted(node.items(), key=lambda item: (_COMMON.find(item[0]) % (len(_COMMON) + 1), item[0]))
        branches = [re.escape(ch) + build(sub) for ch, sub in ranked if ch]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body  # greedy: the longest trigger wins

    return build(trie)


_INDEXES: dict[int, tuple[LanguagePack, Triggers]] = {}


def _same_matches(a: Frame, b: Frame) -> bool:
    """Whether frames ``a`` and ``b`` find the very same matches in any sentence."""
    return (
        a.pattern.pattern == b.pattern.pattern
        and a.pattern.flags == b.pattern.flags
        and (a.anchor, a.stops) == (b.anchor, b.stops)
        and (a.reach is None) == (b.reach is None)
        and (a.reach is None or (a.reach.pattern, a.reach.flags) == (b.reach.pattern, b.reach.flags))
    )


def triggers(pack: LanguagePack) -> Triggers:
    """The trigger index of ``pack``, built on first use."""
    hit = _INDEXES.get(id(pack))
    if hit is not None and hit[0] is pack:
        return hit[1]
    groups = (pack.frames, pack.citing, pack.channels)
    planned, bit = [], 1
    for g, group in enumerate(groups):
        rows = []
        for order, frame in enumerate(group):
            fast = stdlib_twin(frame.pattern)
            if fast is not None and frame.reach is None:
                fast = without_leading_lookbehind(fast)
            twin = None
            if g == 1:  # a citing frame that is also a main frame ("के हवाले से") shares its matches
                twin = next((o for o, f in enumerate(pack.frames) if _same_matches(f, frame)), None)
            rows.append((order, frame, bit if frame.triggers else 0, fast, twin))
            bit <<= 1
        planned.append(tuple(rows))
    by_trigger: dict[str, int] = {}
    for rows in planned:
        for _, frame, b, _, _ in rows:
            for t in frame.triggers:
                by_trigger[t] = by_trigger.get(t, 0) | b
    sure: dict[str, int] = {}
    unsure: dict[str, tuple[tuple[str, int], ...]] = {}
    for h in by_trigger:
        sure[h] = 0
        for t, fs in by_trigger.items():
            if t in h:
                sure[h] |= fs
        unsure[h] = tuple(
            (t, fs)
            for t, fs in by_trigger.items()
            if t not in h and any(t.startswith(h[k:]) for k in range(1, len(h)))
        )
    index = Triggers(
        re.compile(_trie_pattern(by_trigger) or "(?!)"),
        sure,
        unsure,
        *planned,
        always=not all(f.triggers for f in pack.frames),
    )
    _INDEXES[id(pack)] = (pack, index)
    return index


def find_all(row: Row, sentence: str, simple: bool | None = None) -> list:
    """All matches of the frame of ``row`` in ``sentence``.

    ``simple`` says whether the sentence is ASCII/Devanagari only (None: not known yet; see
    :data:`~verify.extraction.stdlib_patterns.OTHER_SCRIPTS`).
    """
    frame = row[1]
    if frame.reach is None:
        if simple and row[3] is not None:
            return _search_all(row[3], frame, sentence)
        return list(frame.pattern.finditer(sentence))
    return list(_scouted(frame, sentence, row[3], simple))


def _search_all(core: re.Pattern, frame: Frame, sentence: str) -> list:
    """``frame.pattern.finditer(sentence)`` on an ASCII/Devanagari sentence, by ``core``, the
    pattern's twin less its opening "no word character before": a match of ``core`` after a word
    character is no match, and the search goes on from the next position."""
    out = []
    pos, n = 0, len(sentence)
    while pos <= n:
        m = core.search(sentence, pos)
        if m is None:
            break
        start, end = m.span()
        if start and sentence[start - 1] in _WORDISH:
            pos = start + 1
            continue
        if end == start:  # empty matches follow finditer's own rules: leave them to it
            return list(frame.pattern.finditer(sentence))
        out.append(m)
        pos = end
    return out


def _scouted(frame: Frame, sentence: str, twin: re.Pattern | None = None, simple: bool | None = None):
    """``frame.pattern.finditer(sentence)``, trying the pattern only where its scout finds a start.

    A start is the anchor as a whole word (no letter, mark or digit on either side, as the
    pattern's own lookarounds demand) with a ``reach`` match before the next stop character.
    The first reach match and stop character after a point are found once and reused for every
    later anchor before them, so the scout reads the sentence about once. ``twin``, the
    pattern's standard-library twin, makes the tries if the sentence is ASCII/Devanagari only
    (``simple``; None: look if it comes to a try).
    """
    anchor, reach, stops = frame.anchor, frame.reach, frame.stops
    match = None
    n = len(sentence)
    pos = 0
    reached = stop = -1  # the first reach match / stop character at or after the last anchor's end
    while (start := sentence.find(anchor, pos)) != -1:
        after = start + len(anchor)
        pos = start + 1
        if (start and sentence[start - 1] in _WORDISH) or (after < n and sentence[after] in _WORDISH):
            continue
        if reached < after:
            r = reach.search(sentence, after)
            if r is None:
                return  # no later anchor can reach one either
            reached = r.start()
        if stop < after:
            stop = n
            for ch in stops:
                i = sentence.find(ch, after, stop)
                if i != -1:
                    stop = i
        if reached >= stop:
            continue
        if match is None:
            if twin is not None and simple is None:
                simple = OTHER_SCRIPTS.search(sentence) is None
            match = twin.match if twin is not None and simple else frame.pattern.match
        m = match(sentence, start)
        if m is not None:
            yield m
            pos = max(m.end(), pos)
