"""Who says a sentence: attribution frames matched in one sentence, sources sorted by the registry.

Generic over language packs: a pack's frames find a cue ("ने … कहा कि", "according to"), the
source phrase is read off one side of it up to a boundary word or punctuation, and the registry
decides whether the phrase names an outlet or a speaker.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .frames import SentenceContext, lowered
from .lang import PACKS, Frame, LanguagePack, PronounKind
from .registry import Registry

__all__ = ["Attribution", "actor", "attribute", "left_phrase", "right_phrase"]

_TOKEN = regex.compile(r"\S+")
_TOKEN_BACKWARDS = regex.compile(r"(?r)\S+")  # the same words, found from the end backwards
_CLOSES_PHRASE = frozenset(',;:!?।॥"“”‘’—–')
_OPENS_QUOTE = frozenset('"“‘«')
_EDGE_PUNCT = ".,;:!?।॥\"“”‘’'«»—–-"
_CORE_STRIP = _EDGE_PUNCT + "()[]"
_MAX_WORDS = 10
_MAX_WORDS_APPOSITIVE = 16  # "The Global Times, a tabloid run by the People's Daily, said"
_LOOKBACK = 400  # characters; a source phrase is a few words, never a paragraph
_UNNAMED_SOURCES = frozenset().union(*(p.unnamed_sources for p in PACKS.values()))


@dataclass(frozen=True, slots=True)
class Attribution:
    cue: str
    speaker: str | None = None
    outlet: str | None = None
    hearsay: bool = False
    pronoun: PronounKind | None = None  # the speaker is a pronoun still to resolve


def attribute(sentence: str, pack: LanguagePack, registry: Registry) -> Attribution | None:
    """The attribution of one sentence, or None when it speaks in the article's own voice.

    1. Every frame match whose cue lies outside quotation marks is a candidate.
    2. The earliest candidate with a usable source phrase wins (the main clause comes first in
       both Hindi and English wire copy; cues later on are usually reported speech).
    3. A "citing"/"के हवाले से" phrase elsewhere in the sentence names who the agent relays.
    4. The registry sorts phrases into outlet and speaker.
    """
    live = pack.live_frames(lowered(sentence))
    if live.isdisjoint(pack.frames):
        return None  # none of the pack's frames can match
    ctx = SentenceContext.of(sentence, pack, registry, live)
    # (where the cue starts, the frame's place in the pack, the frame, the match)
    candidates = [
        (m.start("cue"), order, frame, m)
        for order, frame in enumerate(pack.frames)
        for m in ctx.matches(frame)
    ]
    candidates.sort(key=lambda c: c[:2])
    for _, _, frame, m in candidates:
        found = _resolve(ctx, m, frame)
        if found is not None:
            return found
    return None


def _resolve(ctx: SentenceContext, m: regex.Match, frame: Frame) -> Attribution | None:
    """The attribution one frame match gives, or None if its source phrase is unusable."""
    groups = frame.pattern.groupindex
    verb = m.group("verb") if "verb" in groups else None
    cue = m.group("cue").strip()
    cue = " ".join((f"{cue} {verb.strip()}" if verb and cue else (verb or cue)).split())
    if frame.agent_side == "none":
        return Attribution(cue, hearsay=True)
    span = _phrase(ctx, m, frame)
    if span is None:
        return None
    agent = ctx.text_of(span)
    head = _core(agent.rsplit(None, 1)[-1])
    if head in ctx.pack.passive_auxiliaries or head in ctx.pack.non_source_heads:
        return None
    obj = m.group("obj") if "obj" in groups else None
    pronoun = ctx.pack.pronouns.get(agent.casefold())
    if pronoun:
        return Attribution(cue, outlet=_outlet_named(ctx, obj), pronoun=pronoun)
    cited, cite_cue = _cited(ctx, m.start("cue"))
    if cited and verb:
        cue = " ".join(f"{cite_cue} {verb}".split())
    speaker, outlet = _speaker_and_outlet(ctx, agent, cited)
    if outlet is None:
        outlet = _outlet_named(ctx, obj) or _channel_outlet(ctx)
    hearsay = outlet is None and speaker is not None and _is_unnamed(speaker)
    return Attribution(cue, speaker, outlet, hearsay)


def _speaker_and_outlet(ctx: SentenceContext, agent: str, cited: str | None) -> tuple[str | None, str | None]:
    """(speaker, outlet) of the source phrase ``agent``, who relays ``cited`` if not None: the
    registry tells outlets from speakers."""
    agent_outlet = ctx.registry.find(agent)
    cited_outlet = ctx.registry.find(cited) if cited else None
    if agent_outlet:  # "AFP, citing Peskov": the outlet relays the speaker it cites
        return (None if cited_outlet else cited), agent_outlet.canonical
    if cited_outlet:  # "Peskov, citing TASS": a speaker relays an outlet
        return agent, cited_outlet.canonical
    return agent, None


def _outlet_named(ctx: SentenceContext, phrase: str | None) -> str | None:
    """The canonical name of the outlet ``phrase`` names, if any."""
    entry = ctx.registry.find(phrase) if phrase else None
    return entry.canonical if entry else None


def _cited(ctx: SentenceContext, cue_start: int) -> tuple[str | None, str]:
    """Whom the agent of the cue at ``cue_start`` relays ("… के हवाले से", "citing …"), and that
    cue's text."""
    for frame in ctx.pack.citing:
        for c in ctx.matches(frame):
            if c.start("cue") == cue_start:
                continue
            span = _phrase(ctx, c, frame)
            if span:
                return ctx.text_of(span), c.group("cue")
    return None, ""


def _channel_outlet(ctx: SentenceContext) -> str | None:
    """An outlet the sentence names as its medium ("in a statement carried by Interfax")."""
    for frame in ctx.pack.channels:
        for c in ctx.matches(frame):
            span = _phrase(ctx, c, frame)
            entry = ctx.registry.find(ctx.text_of(span)) if span else None
            if entry:
                return entry.canonical
    return None


def _is_unnamed(phrase: str) -> bool:
    return any(w.strip(_CORE_STRIP).casefold() in _UNNAMED_SOURCES for w in phrase.split())


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


# --- Source phrases ---------------------------------------------------------------------------


def _phrase(ctx: SentenceContext, m: regex.Match, frame: Frame) -> tuple[int, int] | None:
    """The span of the source phrase of a frame match, on the side its frame says."""
    if frame.agent_side == "left":
        return left_phrase(ctx.text, m.start("cue"), ctx.pack)
    if frame.agent_side == "right":
        return right_phrase(ctx.text, m.end("cue"), ctx.pack)
    if frame.agent_side == "group":
        return m.span("agent")
    return None


def _core(token: str) -> str:
    return token.strip(_CORE_STRIP).casefold()


def left_phrase(s: str, end: int, pack: LanguagePack) -> tuple[int, int] | None:
    """The source phrase ending at ``end``: words back to a boundary word or punctuation.

    An appositive is kept whole ("Dmitry Peskov, the Kremlin spokesman, said"); leading
    connectives ("वहीं", "Meanwhile") are dropped.
    """
    picked: list[tuple[int, int, str]] = []  # (start, end, core) of each word, the last first
    commas = 0
    limit = _MAX_WORDS
    for m in _TOKEN_BACKWARDS.finditer(s, max(0, end - _LOOKBACK), end):
        a, b = m.span()
        tok = m.group()
        if tok[-1] in _CLOSES_PHRASE:
            if tok[-1] == "," and ((not picked and commas == 0) or commas == 1):
                commas += 1  # the apposition's own commas
                limit = _MAX_WORDS_APPOSITIVE
            else:
                break
        core = _core(tok)
        if not core or core in pack.boundary_words:
            break
        picked.append((a, b, core))
        if tok[0] in _OPENS_QUOTE or len(picked) >= limit:
            break
    if commas == 1 and picked and s[picked[0][1] - 1] == ",":
        # "…, Peskov, said" with no second comma: only the last word-group is the source
        del picked[1:]
    while picked and picked[-1][2] in pack.leading_words:
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
