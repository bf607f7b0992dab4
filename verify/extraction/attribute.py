"""Who says a sentence: attribution frames matched in one sentence, sources sorted by the registry.

Generic over language packs: a pack's frames find a cue ("ने … कहा कि", "according to"), the
source phrase is read off one side of it up to a boundary word or punctuation, and the registry
decides whether the phrase names an outlet or a speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from .lang import PACKS, Frame, LanguagePack, PronounKind
from .registry import Registry

# The `regex` module's \s (Unicode White_Space) spelled out for the faster standard engine, whose
# \s would also take U+001C-U+001F.
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_TOKEN = re.compile(f"[^{WHITE_SPACE}]+")
_CLOSES_PHRASE = frozenset(',;:!?।॥"“”‘’—–')
_OPENS_QUOTE = frozenset('"“‘«')
_EDGE_PUNCT = ".,;:!?।॥\"“”‘’'«»—–-"
_MAX_WORDS = 10
_MAX_WORDS_APPOSITIVE = 16  # "The Global Times, a tabloid run by the People's Daily, said"
_LOOKBACK = 400  # characters; a source phrase is a few words, never a paragraph
_QUOTE_MARKS = re.compile('[“«”»"]')
# Letters, marks and digits (as the frames' case-insensitive lookarounds read them) among the
# Devanagari and ASCII characters: a scouted anchor next to one of these is inside a word.
_WORDISH = frozenset(
    ch
    for ch in map(chr, [*range(0x80), *range(0x900, 0x980)])
    if regex.match(r"[\p{L}\p{M}\p{N}]", ch, regex.IGNORECASE)
)


@dataclass(frozen=True, slots=True)
class Attribution:
    cue: str
    speaker: str | None = None
    outlet: str | None = None
    hearsay: bool = False
    pronoun: PronounKind | None = None  # the speaker is a pronoun still to resolve


def quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks; cues there are the quoted person's words, not the frame."""
    spans, opened = [], None
    for m in _QUOTE_MARKS.finditer(sentence):
        i, ch = m.start(), m.group()
        if ch in "“«":
            opened = i if opened is None else opened
        elif ch in "”»":
            if opened is not None:
                spans.append((opened, i))
                opened = None
        elif opened is None:
            opened = i
        else:
            spans.append((opened, i))
            opened = None
    return spans


_CORE_STRIP = _EDGE_PUNCT + "()[]"


def _core(token: str) -> str:
    return token.strip(_CORE_STRIP).casefold()


def left_phrase(s: str, end: int, pack: LanguagePack) -> tuple[int, int] | None:
    """The source phrase ending at ``end``: words back to a boundary word or punctuation.

    An appositive is kept whole ("Dmitry Peskov, the Kremlin spokesman, said"); leading
    connectives ("वहीं", "Meanwhile") are dropped.
    """
    picked: list[tuple[int, int]] = []
    commas = 0
    boundary = pack.boundary_words
    # tokens from the end backwards: scan the reversed window, so only the words used are found
    for m in _TOKEN.finditer(s[max(0, end - _LOOKBACK) : end][::-1]):
        a, b = end - m.end(), end - m.start()
        tok = s[a:b]
        if tok[-1] in _CLOSES_PHRASE:
            if tok[-1] == "," and ((not picked and commas == 0) or commas == 1):
                commas += 1  # the apposition's own commas
            else:
                break
        core = tok.strip(_CORE_STRIP).casefold()
        if not core or core in boundary:
            break
        picked.append((a, b))
        if tok[0] in _OPENS_QUOTE or len(picked) >= (_MAX_WORDS_APPOSITIVE if commas else _MAX_WORDS):
            break
    if commas == 1 and picked and s[picked[0][1] - 1] == ",":
        # "…, Peskov, said" with no second comma: only the last word-group is the source
        picked = picked[:1]
    while picked and _core(s[picked[-1][0] : picked[-1][1]]) in pack.leading_words:
        picked.pop()
    if not picked:
        return None
    return _trim(s, picked[-1][0], picked[0][1])


def right_phrase(s: str, start: int, pack: LanguagePack) -> tuple[int, int] | None:
    """The source phrase starting at ``start``: words up to a boundary word or punctuation."""
    first = last = None
    count = 0
    for m in _TOKEN.finditer(s, start, min(len(s), start + _LOOKBACK)):
        tok = m.group()
        core = _core(tok)
        if not core or core in pack.right_boundary_words:
            break
        first = m.start() if first is None else first
        last = m.end()
        count += 1
        if tok[-1] in _CLOSES_PHRASE or tok[-1] == "." or count >= _MAX_WORDS:
            break
    if first is None:
        return None
    return _trim(s, first, last)


def _trim(s: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and s[a] in _EDGE_PUNCT:
        a += 1
    while b > a and s[b - 1] in _EDGE_PUNCT:
        b -= 1
    return (a, b) if a < b else None


@dataclass(frozen=True, slots=True)
class _Triggers:
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
    # (order, frame, bit) of the pack's frames, citing and channel frames; bit 0 = no triggers, always runs
    frames: tuple[tuple[int, Frame, int], ...]
    citing: tuple[tuple[int, Frame, int], ...]
    channels: tuple[tuple[int, Frame, int], ...]
    always: bool  # some main frame has no triggers

    def live(self, low: str) -> int:
        """The frames with a trigger in ``low`` (casefolded, no nukta), as bits."""
        found = 0
        for hit in set(self.scan.findall(low)):
            found |= self.sure[hit]
            for trigger, frames in self.unsure[hit]:
                if frames & ~found and trigger in low:
                    found |= frames
        return found


def _trie_pattern(words) -> str:
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body  # greedy: the longest trigger wins

    return build(trie)


_TRIGGERS: dict[int, tuple[LanguagePack, _Triggers]] = {}


def _triggers(pack: LanguagePack) -> _Triggers:
    """The trigger index of ``pack``, built on first use."""
    hit = _TRIGGERS.get(id(pack))
    if hit is not None and hit[0] is pack:
        return hit[1]
    groups = (pack.frames, pack.citing, pack.channels)
    planned, bit = [], 1
    for group in groups:
        rows = []
        for order, frame in enumerate(group):
            rows.append((order, frame, bit if frame.triggers else 0))
            bit <<= 1
        planned.append(tuple(rows))
    by_trigger: dict[str, int] = {}
    for rows in planned:
        for _, frame, b in rows:
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
    index = _Triggers(
        re.compile(_trie_pattern(by_trigger) or "(?!)"),
        sure,
        unsure,
        *planned,
        always=not all(f.triggers for f in pack.frames),
    )
    _TRIGGERS[id(pack)] = (pack, index)
    return index


def _matches(rows: tuple[tuple[int, Frame, int], ...], sentence: str, live: int):
    """Matches of the frames in ``rows`` in ``sentence``, skipping frames whose triggers are absent."""
    for order, frame, bit in rows:
        if bit and not live & bit:
            continue
        for m in frame.pattern.finditer(sentence) if frame.reach is None else _scouted(frame, sentence):
            yield order, frame, m


def _scouted(frame: Frame, sentence: str):
    """``frame.pattern.finditer(sentence)``, trying the pattern only where its scout finds a start.

    A start is the anchor as a whole word (no letter, mark or digit on either side, as the
    pattern's own lookarounds demand) with a ``reach`` match before the next stop character.
    The first reach match and stop character after a point are found once and reused for every
    later anchor before them, so the scout reads the sentence about once.
    """
    anchor, reach, stops = frame.anchor, frame.reach, frame.stops
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
        m = frame.pattern.match(sentence, start)
        if m is not None:
            yield m
            pos = max(m.end(), pos)


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < pos < b for a, b in spans)


def _phrase(s: str, m: regex.Match, frame: Frame, pack: LanguagePack) -> tuple[int, int] | None:
    if frame.agent_side == "left":
        return left_phrase(s, m.start("cue"), pack)
    if frame.agent_side == "right":
        return right_phrase(s, m.end("cue"), pack)
    if frame.agent_side == "group":
        return m.span("agent")
    return None


def _cue_text(m: regex.Match) -> str:
    verb = m.groupdict().get("verb")
    cue = m.group("cue").strip()
    text = f"{cue} {verb.strip()}" if verb and cue else (verb or cue)
    return " ".join(text.split())


def _is_unnamed(phrase: str) -> bool:
    words = {_core(w) for w in phrase.split()}
    return any(words & p.unnamed_sources for p in PACKS.values())


def attribute(sentence: str, pack: LanguagePack, registry: Registry) -> Attribution | None:
    """The attribution of one sentence, or None when it speaks in the article's own voice.

    1. Every frame match whose cue lies outside quotation marks is a candidate.
    2. The earliest candidate with a usable source phrase wins (the main clause comes first in
       both Hindi and English wire copy; cues later on are usually reported speech).
    3. A "citing"/"के हवाले से" phrase elsewhere in the sentence names who the agent relays.
    4. The registry sorts phrases into outlet and speaker.
    """
    index = _triggers(pack)
    live = index.live(sentence.casefold().replace("\u093c", ""))  # triggers are written without nukta
    if not live and not index.always:
        return None
    quotes = quoted_spans(sentence) if '"' in sentence or "“" in sentence or "«" in sentence else []
    candidates = [
        (m.start("cue"), order, frame, m) for order, frame, m in _matches(index.frames, sentence, live)
    ]
    if quotes:
        candidates = [c for c in candidates if not _in_spans(c[0], quotes)]
    if len(candidates) > 1:
        candidates.sort(key=lambda c: (c[0], c[1]))
    for _, _, frame, m in candidates:
        found = _resolve(sentence, m, frame, pack, registry, quotes, live, index)
        if found is not None:
            return found
    return None


def _resolve(sentence, m, frame, pack, registry, quotes, live, index) -> Attribution | None:
    cue = _cue_text(m)
    if frame.agent_side == "none":
        return Attribution(cue=cue, hearsay=True)
    span = _phrase(sentence, m, frame, pack)
    if span is None:
        return None
    agent = sentence[span[0] : span[1]]
    words = agent.split()
    head = _core(words[-1])
    if head in pack.passive_auxiliaries or head in pack.non_source_heads:
        return None
    pronoun = pack.pronouns.get(agent.casefold())
    if pronoun:
        return Attribution(cue=cue, pronoun=pronoun, outlet=_obj_outlet(m, registry))
    cited, cite_cue = _cited(sentence, m, pack, quotes, live, index)
    if cited and m.groupdict().get("verb"):
        cue = " ".join(f"{cite_cue} {m.group('verb')}".split())
    outlet_entry = registry.find(agent)
    speaker: str | None = agent
    outlet = outlet_entry.canonical if outlet_entry else None
    if outlet_entry:
        speaker = None
    if cited:
        cited_outlet = registry.find(cited)
        if outlet_entry:
            speaker = None if cited_outlet else cited
        elif cited_outlet:
            outlet = cited_outlet.canonical
    if outlet is None:
        outlet = _obj_outlet(m, registry) or _channel_outlet(sentence, pack, registry, quotes, live, index)
    hearsay = outlet is None and speaker is not None and _is_unnamed(speaker)
    return Attribution(cue=cue, speaker=speaker, outlet=outlet, hearsay=hearsay)


def _obj_outlet(m: regex.Match, registry: Registry) -> str | None:
    obj = m.groupdict().get("obj")
    entry = registry.find(obj) if obj else None
    return entry.canonical if entry else None


def _channel_outlet(sentence: str, pack: LanguagePack, registry: Registry, quotes, live, index) -> str | None:
    for _, frame, c in _matches(index.channels, sentence, live):
        span = None if _in_spans(c.start("cue"), quotes) else _phrase(sentence, c, frame, pack)
        entry = registry.find(sentence[span[0] : span[1]]) if span else None
        if entry:
            return entry.canonical
    return None


def actor(sentence: str, pack: LanguagePack) -> str | None:
    """The doer of a sentence that attributes nothing ("सरमा ने … सर्वेक्षण किया"), if the pack marks one."""
    if pack.actor is None or not any(t in sentence for t in pack.actor.triggers):
        return None
    m = pack.actor.pattern.search(sentence)
    span = left_phrase(sentence, m.start("cue"), pack) if m else None
    if span is None:
        return None
    phrase = sentence[span[0] : span[1]]
    return None if phrase.casefold() in pack.pronouns else phrase


def _cited(sentence: str, m: regex.Match, pack: LanguagePack, quotes, live, index) -> tuple[str | None, str]:
    """Whom the agent relays ("… के हवाले से", "citing …"), and that cue's text."""
    for _, frame, c in _matches(index.citing, sentence, live):
        if c.start("cue") == m.start("cue") or _in_spans(c.start("cue"), quotes):
            continue
        span = _phrase(sentence, c, frame, pack)
        if span:
            return sentence[span[0] : span[1]], c.group("cue")
    return None, ""
