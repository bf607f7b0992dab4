"""Who says a sentence: attribution frames matched in one sentence, sources sorted by the registry.

Generic over language packs: a pack's frames find a cue ("ने … कहा कि", "according to"), the
source phrase is read off one side of it up to a boundary word or punctuation, and the registry
decides whether the phrase names an outlet or a speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import itemgetter

import regex

from .frames import _scouted, find_all, triggers
from .lang import PACKS, Frame, LanguagePack, PronounKind
from .registry import Registry
from .types import builder

__all__ = ["Attribution", "_scouted", "actor", "attribute", "left_phrase", "quoted_spans", "right_phrase"]

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


@dataclass(frozen=True, slots=True)
class Attribution:
    cue: str
    speaker: str | None = None
    outlet: str | None = None
    hearsay: bool = False
    pronoun: PronounKind | None = None  # the speaker is a pronoun still to resolve


_attribution = builder(Attribution)


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


def left_phrase(s: str, end: int, pack: LanguagePack, simple: bool | None = None) -> tuple[int, int] | None:
    """The source phrase ending at ``end``: words back to a boundary word or punctuation.

    An appositive is kept whole ("Dmitry Peskov, the Kremlin spokesman, said"); leading
    connectives ("वहीं", "Meanwhile") are dropped. ``simple``: ``s`` is ASCII/Devanagari only.
    """
    if simple:
        return _left_phrase_simple(s, end, pack)
    picked: list[tuple[int, int, str]] = []  # (start, end, core) of each word, the last first
    commas = 0
    boundary = pack.boundary_words
    limit = _MAX_WORDS
    # tokens from the end backwards: scan the reversed window, so only the words used are found
    for m in _TOKEN.finditer(s[max(0, end - _LOOKBACK) : end][::-1]):
        i, j = m.span()
        a, b = end - j, end - i
        tok = s[a:b]
        if tok[-1] in _CLOSES_PHRASE:
            if tok[-1] == "," and ((not picked and commas == 0) or commas == 1):
                commas += 1  # the apposition's own commas
                limit = _MAX_WORDS_APPOSITIVE
            else:
                break
        core = tok.strip(_CORE_STRIP).casefold()
        if not core or core in boundary:
            break
        picked.append((a, b, core))
        if tok[0] in _OPENS_QUOTE or len(picked) >= limit:
            break
    if not picked:
        return None
    if commas == 1 and s[picked[0][1] - 1] == ",":
        # "…, Peskov, said" with no second comma: only the last word-group is the source
        del picked[1:]
    leading = pack.leading_words
    while picked and picked[-1][2] in leading:
        picked.pop()
    if not picked:
        return None
    return _trim(s, picked[-1][0], picked[0][1])


def _left_phrase_simple(s: str, end: int, pack: LanguagePack) -> tuple[int, int] | None:
    """:func:`left_phrase` for an ASCII/Devanagari ``s``, where ``str.split`` finds the same words.

    (Python's white space and the `regex` module's differ only in U+001C-U+001F, which such
    text has not.) The words come from one ``rsplit``; only the first word kept is located.
    """
    base = max(0, end - _LOOKBACK)
    window = s[base:end]
    # at most _MAX_WORDS_APPOSITIVE words are looked at, so a longer rest stays unsplit, unread
    words = window.rsplit(None, _MAX_WORDS_APPOSITIVE)
    picked: list[tuple[str, str]] = []  # (word, core), the last first
    commas = 0
    boundary = pack.boundary_words
    limit = _MAX_WORDS
    for tok in reversed(words):
        if tok[-1] in _CLOSES_PHRASE:
            if tok[-1] == "," and ((not picked and commas == 0) or commas == 1):
                commas += 1  # the apposition's own commas
                limit = _MAX_WORDS_APPOSITIVE
            else:
                break
        core = tok.strip(_CORE_STRIP).casefold()
        if not core or core in boundary:
            break
        picked.append((tok, core))
        if tok[0] in _OPENS_QUOTE or len(picked) >= limit:
            break
    if not picked:
        return None
    if commas == 1 and picked[0][0][-1] == ",":
        del picked[1:]  # "…, Peskov, said" with no second comma: only the last word-group
    leading = pack.leading_words
    while picked and picked[-1][1] in leading:
        picked.pop()
    if not picked:
        return None
    last = len(window.rstrip())  # the end of the last word
    pos = last
    for tok, _ in picked:  # each word is the last occurrence of itself before the next one
        pos = window.rfind(tok, 0, pos)
    return _trim(s, base + pos, base + last)


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


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < pos < b for a, b in spans)


def _phrase(s: str, m: regex.Match, frame: Frame, pack: LanguagePack, simple=None) -> tuple[int, int] | None:
    if frame.agent_side == "left":
        if simple:
            return _left_phrase_simple(s, m.start("cue"), pack)
        return left_phrase(s, m.start("cue"), pack)
    if frame.agent_side == "right":
        return right_phrase(s, m.end("cue"), pack)
    if frame.agent_side == "group":
        return m.span("agent")
    return None


def _is_unnamed(phrase: str) -> bool:
    unnamed = _unnamed_sources()
    return any(w.strip(_CORE_STRIP).casefold() in unnamed for w in phrase.split())


_UNNAMED: list = [None, frozenset()]  # (the packs' unnamed_sources it was built from, their union)


def _unnamed_sources() -> frozenset[str]:
    """Every pack's ``unnamed_sources`` in one set, rebuilt only if the packs' sets change."""
    key = tuple(p.unnamed_sources for p in PACKS.values())
    if _UNNAMED[0] != key:
        _UNNAMED[:] = [key, frozenset().union(*key)]
    return _UNNAMED[1]


def attribute(
    sentence: str,
    pack: LanguagePack,
    registry: Registry,
    finds: dict | None = None,
    low: str | None = None,
    simple: bool | None = None,
    live: int | None = None,
) -> Attribution | None:
    """The attribution of one sentence, or None when it speaks in the article's own voice.

    1. Every frame match whose cue lies outside quotation marks is a candidate.
    2. The earliest candidate with a usable source phrase wins (the main clause comes first in
       both Hindi and English wire copy; cues later on are usually reported speech).
    3. A "citing"/"के हवाले से" phrase elsewhere in the sentence names who the agent relays.
    4. The registry sorts phrases into outlet and speaker.

    ``finds`` caches registry look-ups across the sentences of one text. ``low`` is
    ``sentence.casefold()``, ``simple`` whether the sentence is ASCII/Devanagari only and
    ``live`` its frames with triggers (see :meth:`~verify.extraction.frames.Triggers.live`), if
    the caller knows.
    """
    index = triggers(pack)
    if live is None:
        if low is None:
            low = sentence.casefold()
        if "\u093c" in low:
            low = low.replace("\u093c", "")  # triggers are written without nukta
        live = index.live(low)
    if not live and not index.always:
        return None
    quotes = None  # spans in quotation marks, found once a frame matches
    found: dict[int, list] = {}  # main frame order -> its matches, for citing frames that share them
    candidates = []
    for row in index.live_rows(live):
        ms = found[row[0]] = find_all(row, sentence, simple)
        if ms and quotes is None:
            quotes = quoted_spans(sentence) if '"' in sentence or "“" in sentence or "«" in sentence else []
        for m in ms:
            cue = m.start("cue")
            if not quotes or not _in_spans(cue, quotes):
                candidates.append((cue, row[0], row[1], m))
    if len(candidates) > 1:
        candidates.sort(key=_BY_CUE_THEN_ORDER)
    if finds is None:
        finds = {}
    for _, _, frame, m in candidates:
        got = _resolve(sentence, m, frame, pack, registry, quotes, live, index, finds, found, simple)
        if got is not None:
            return got
    return None


_MISSING = object()
_BY_CUE_THEN_ORDER = itemgetter(0, 1)


def _find(registry: Registry, phrase: str, finds: dict):
    """``registry.find(phrase)``, remembered in ``finds``."""
    entry = finds.get(phrase, _MISSING)
    if entry is _MISSING:
        entry = finds[phrase] = registry.find(phrase)
    return entry


def _resolve(
    sentence, m, frame, pack, registry, quotes, live, index, finds, found, simple
) -> Attribution | None:
    groups = frame.pattern.groupindex
    verb = m.group("verb") if "verb" in groups else None
    cue = m.group("cue").strip()
    cue = " ".join((f"{cue} {verb.strip()}" if verb and cue else (verb or cue)).split())
    if frame.agent_side == "none":
        return _attribution(cue, None, None, True, None)
    span = _phrase(sentence, m, frame, pack, simple)
    if span is None:
        return None
    agent = sentence[span[0] : span[1]]
    head = _core(agent.rsplit(None, 1)[-1])
    if head in pack.passive_auxiliaries or head in pack.non_source_heads:
        return None
    obj = m.group("obj") if "obj" in groups else None
    pronoun = pack.pronouns.get(agent.casefold())
    if pronoun:
        return _attribution(cue, None, _obj_outlet(obj, registry, finds), False, pronoun)
    cited, cite_cue = _cited(sentence, m, pack, quotes, live, index, found, simple)
    if cited and verb:
        cue = " ".join(f"{cite_cue} {verb}".split())
    outlet_entry = _find(registry, agent, finds)
    speaker: str | None = agent
    outlet = outlet_entry.canonical if outlet_entry else None
    if outlet_entry:
        speaker = None
    if cited:
        cited_outlet = _find(registry, cited, finds)
        if outlet_entry:
            speaker = None if cited_outlet else cited
        elif cited_outlet:
            outlet = cited_outlet.canonical
    if outlet is None:
        outlet = _obj_outlet(obj, registry, finds) or _channel_outlet(
            sentence, pack, registry, quotes, live, index, finds, simple
        )
    hearsay = outlet is None and speaker is not None and _is_unnamed(speaker)
    return _attribution(cue, speaker, outlet, hearsay, None)


def _obj_outlet(obj: str | None, registry: Registry, finds: dict) -> str | None:
    entry = _find(registry, obj, finds) if obj else None
    return entry.canonical if entry else None


def _channel_outlet(sentence, pack, registry, quotes, live, index, finds, simple) -> str | None:
    for row in index.channels:
        if row[2] and not live & row[2]:
            continue
        for c in find_all(row, sentence, simple):
            span = None if _in_spans(c.start("cue"), quotes) else _phrase(sentence, c, row[1], pack, simple)
            entry = _find(registry, sentence[span[0] : span[1]], finds) if span else None
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


def _cited(sentence, m, pack, quotes, live, index, found, simple) -> tuple[str | None, str]:
    """Whom the agent relays ("… के हवाले से", "citing …"), and that cue's text."""
    for row in index.citing:
        if row[2] and not live & row[2]:
            continue
        twin = row[4]
        ms = found[twin] if twin is not None and twin in found else find_all(row, sentence, simple)
        for c in ms:
            if c.start("cue") == m.start("cue") or _in_spans(c.start("cue"), quotes):
                continue
            span = _phrase(sentence, c, row[1], pack, simple)
            if span:
                return sentence[span[0] : span[1]], c.group("cue")
    return None, ""
