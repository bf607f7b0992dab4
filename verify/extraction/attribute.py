"""Who says a sentence: attribution frames matched in one sentence, sources sorted by the registry.

Generic over language packs: a pack's frames find a cue ("ने … कहा कि", "according to"), the
source phrase is read off one side of it up to a boundary word or punctuation, and the registry
decides whether the phrase names an outlet or a speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import regex

from . import furniture
from .ambiguity import NO_CONTEXT, ArticleContext
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
    # The outlet is "the agency" / "एजेंसी", still to resolve to an outlet named earlier: "agent"
    # when that phrase is the source itself (``speaker`` holds it until it resolves), "medium"
    # when it is whom a speaker told ("ग्रामीणों ने एजेंसी को बताया").
    outlet_anaphor: Literal["agent", "medium"] | None = None


def attribute(
    sentence: str, pack: LanguagePack, registry: Registry, article: ArticleContext = NO_CONTEXT
) -> Attribution | None:
    """The attribution of one sentence, or None when it speaks in the article's own voice.

    1. Every frame match whose cue lies outside quotation marks is a candidate.
    2. The earliest candidate with a usable source phrase wins (the main clause comes first in
       both Hindi and English wire copy; cues later on are usually reported speech); agentless
       hedges ("बताई जा रही है") only when no candidate names a source.
    3. A "citing"/"के हवाले से" phrase elsewhere in the sentence names who the agent relays.
    4. The registry sorts phrases into outlet and speaker (``article`` reads shared names).
    5. A winner with a speaker but no outlet takes the outlet of a later outlet-only candidate
       ("Peskov said …, the Interfax news agency reported"), and the reverse ("रॉयटर्स के
       मुताबिक, मंत्रालय ने कहा कि …").
    """
    live = pack.live_frames(lowered(sentence))
    if live.isdisjoint(pack.frames):
        return None  # none of the pack's frames can match
    ctx = SentenceContext.of(sentence, pack, registry, live, article)
    # (hedge or not, where the cue starts, the frame's place in the pack, the frame, the match)
    candidates = [
        (frame.agent_side == "none", m.start("cue"), order, frame, m)
        for order, frame in enumerate(pack.frames)
        for m in ctx.matches(frame)
    ]
    candidates.sort(key=lambda c: c[:3])
    for i, (_, _, _, frame, m) in enumerate(candidates):
        found = _resolve(ctx, m, frame)
        if found is not None:
            return _completed(ctx, found, candidates[i + 1 :])
    return None


def _completed(ctx: SentenceContext, found: Attribution, rest: list) -> Attribution:
    """``found`` with the half of a two-source chain it lacks taken from a later candidate: an
    outlet for a speaker, a speaker (or pronoun) for an outlet."""
    wants_outlet = found.outlet is None and found.outlet_anaphor is None and found.speaker is not None
    wants_speaker = found.speaker is None and found.pronoun is None and found.outlet is not None
    if not (wants_outlet or wants_speaker):
        return found
    if wants_outlet and not wants_speaker and not _may_name_an_outlet(ctx):
        return found  # no later frame can give an outlet: no need to read their phrases
    for _, _, _, frame, m in rest:
        if frame.agent_side == "none":
            break  # hedges are sorted last
        other = _resolve(ctx, m, frame)
        if other is None:
            continue
        if wants_outlet and other.outlet and other.speaker is None and other.pronoun is None:
            return replace(found, outlet=other.outlet, hearsay=False)
        if wants_outlet and other.outlet_anaphor and other.speaker is None:
            return replace(found, outlet_anaphor="medium")
        if wants_speaker and other.outlet is None and (other.speaker or other.pronoun):
            return replace(found, speaker=other.speaker, pronoun=other.pronoun)
    return found


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
    said = " ".join((verb or "").split()).casefold()
    medium = frame.medium or any(said.startswith(v) for v in ctx.pack.medium_verbs)
    cited_pronoun = ctx.pack.pronouns.get(cited.casefold()) if cited else None
    if cited_pronoun:  # "एएफपी ने उनके हवाले से बताया": the outlet relays whom the pronoun means
        outlet = _outlet_named(ctx, agent, medium=True)
        anaphor = "medium" if outlet is None and _is_anaphor(ctx, agent) else None
        return Attribution(cue, outlet=outlet, pronoun=cited_pronoun, outlet_anaphor=anaphor)
    speaker, outlet = _speaker_and_outlet(ctx, agent, cited, medium)
    if outlet is None and speaker == agent and _is_anaphor(ctx, agent):
        # "एजेंसी ने बताया", "the newspaper said, citing officials"
        return Attribution(cue, cited or agent, outlet_anaphor="medium" if cited else "agent")
    anaphor = None
    if outlet is None:
        outlet = _outlet_named(ctx, obj, medium=True) or _quoted_credit(obj)
        channel, channel_anaphor = _channel_outlet(ctx)
        outlet = outlet or channel
        if outlet is None and (channel_anaphor or (obj and _is_anaphor(ctx, obj, within=True))):
            anaphor = "medium"
    hearsay = outlet is None and anaphor is None and speaker is not None and _is_unnamed(speaker)
    return Attribution(cue, speaker, outlet, hearsay, outlet_anaphor=anaphor)


def _speaker_and_outlet(
    ctx: SentenceContext, agent: str, cited: str | None, medium: bool = False
) -> tuple[str | None, str | None]:
    """(speaker, outlet) of the source phrase ``agent``, who relays ``cited`` if not None: the
    registry tells outlets from speakers; an outlet inside the phrase that relays its speaker
    ("तास द्वारा उद्धृत एक अधिकारी", "an analyst, quoted by Xinhua,") is cut out of it."""
    relayed = _relayed(ctx, agent)
    if relayed is not None:
        return relayed
    agent_outlet = ctx.find(agent, medium=medium)
    cited_outlet = ctx.find(cited, medium=True)
    if agent_outlet:  # "AFP, citing Peskov": the outlet relays the speaker it cites
        return (None if cited_outlet else cited), agent_outlet.canonical
    if cited_outlet:  # "Peskov, citing TASS": a speaker relays an outlet
        return agent, cited_outlet.canonical
    return agent, None


_QUOTED_WORD = regex.compile(r"[‘'\"“]([^’'\"”\s]{2,20})[’'\"”]")


def _quoted_credit(obj: str | None) -> str | None:
    """The agency a quoted credit word names as addressee ("‘भाषा’ से कहा": PTI's Hindi
    service; :func:`furniture.credit_spelling`): quoted, the common word is the credit."""
    m = _QUOTED_WORD.search(obj) if obj and len(obj) > 3 else None
    return furniture.credit_spelling(m.group(1))[1] if m else None


def _relayed(ctx: SentenceContext, agent: str) -> tuple[str, str] | None:
    """(speaker, outlet) when ``agent`` is a speaker quoted by an outlet, else None."""
    pattern = ctx.pack.relayed_by
    m = pattern.search(agent) if pattern else None
    entry = ctx.find(m.group("relay"), medium=True) if m else None
    if m is None or entry is None:
        return None
    rest = _trim(agent, 0, m.start()) if m.start() else _trim(agent, m.end(), len(agent))
    return (agent[rest[0] : rest[1]], entry.canonical) if rest else None


def _may_name_an_outlet(ctx: SentenceContext) -> bool:
    """Whether the sentence has a word an outlet could be named by: an outlet of the registry
    (a name an outlet shares counts, read as a medium) or an outlet anaphor ("the agency")."""
    if ctx.find(ctx.text, "outlet", medium=True) is not None:
        return True
    low = lowered(ctx.text)
    return any(head in low for head in _anaphor_heads(ctx.pack))


_ANAPHOR_HEADS: dict[str, tuple[str, ...]] = {}


def _anaphor_heads(pack: LanguagePack) -> tuple[str, ...]:
    """The last words of a pack's outlet anaphors ("एजेंसी", "newspaper"), made once."""
    if pack.code not in _ANAPHOR_HEADS:
        _ANAPHOR_HEADS[pack.code] = tuple({a.rsplit(None, 1)[-1] for a in pack.outlet_anaphors})
    return _ANAPHOR_HEADS[pack.code]


def _is_anaphor(ctx: SentenceContext, phrase: str, *, within: bool = False) -> bool:
    """Whether ``phrase`` points back at an outlet ("the agency", "समाचार एजेंसी को"); with
    ``within``, whether it has such a phrase closed by a particle ("एजेंसी से बात करते हुए")."""
    low = lowered(phrase)
    if not any(head in low for head in _anaphor_heads(ctx.pack)):
        return False  # the cheap test first: most source phrases have no such word
    words = [w for w in (_core(t) for t in low.split()) if w]
    particles = ctx.pack.anaphor_particles
    if within:
        return any(
            " ".join(words[i:j]) in ctx.pack.outlet_anaphors
            for i in range(len(words))
            for j in range(i + 1, min(len(words), i + 3) + 1)
            if (i == 0 or words[i - 1] in particles) and (j == len(words) or words[j] in particles)
        )
    while words and words[0] in particles:
        words.pop(0)
    while words and words[-1] in particles:
        words.pop()
    return bool(words) and " ".join(words) in ctx.pack.outlet_anaphors


def _outlet_named(ctx: SentenceContext, phrase: str | None, *, medium: bool = False) -> str | None:
    """The canonical name of the outlet ``phrase`` names, if any."""
    entry = ctx.find(phrase, medium=medium)
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


def _channel_outlet(ctx: SentenceContext) -> tuple[str | None, bool]:
    """An outlet the sentence names as its medium ("in a statement carried by Interfax"), and
    whether the medium is an anaphor instead ("एजेंसी से बातचीत में"); once per sentence."""
    if "channel" not in ctx.memo:
        ctx.memo["channel"] = _find_channel(ctx)
    return ctx.memo["channel"]


def _find_channel(ctx: SentenceContext) -> tuple[str | None, bool]:
    anaphor = False
    for frame in ctx.pack.channels:
        for c in ctx.matches(frame):
            span = _phrase(ctx, c, frame)
            phrase = ctx.text_of(span) if span else None
            entry = ctx.find(phrase, medium=True)
            if entry:
                return entry.canonical, False
            anaphor = anaphor or bool(phrase and _is_anaphor(ctx, phrase))
    return None, anaphor


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
    if pack.parenthetical is not None and _ends_with_comma(s, end):
        clause = pack.parenthetical.search(s, max(0, end - _LOOKBACK), end)
        end = clause.start() if clause else end  # "An official, who asked not to be named, said"
    picked: list[tuple[int, int, str]] = []  # (start, end, core) of each word, the last first
    commas = 0
    limit = _MAX_WORDS
    joined: int | None = None  # where a name-joining "and" was taken, while unconfirmed
    for m in _TOKEN_BACKWARDS.finditer(s, max(0, end - _LOOKBACK), end):
        a, b = m.span()
        tok = m.group()
        if tok[-1] in _CLOSES_PHRASE and not _quoted_word(tok):  # "‘डॉन’ अखबार" names a paper
            if tok[-1] == "," and ((not picked and commas == 0) or commas == 1):
                commas += 1  # the apposition's own commas
                limit = _MAX_WORDS_APPOSITIVE
            else:
                break
        core = _core(tok)
        if joined is not None and not tok[:1].isupper():
            del picked[joined:]  # "and" joined no name: the phrase began after it
            break
        joined = None
        if core in pack.name_joiners and picked and s[picked[-1][0]].isupper():
            joined = len(picked)  # "Ministry of Human Resources and Social Development", if
        elif not core or core in pack.boundary_words:  # a capitalised word comes before it
            break
        picked.append((a, b, core))
        if (tok[0] in _OPENS_QUOTE and not _quoted_word(tok)) or len(picked) >= limit:
            break
    if joined is not None:
        del picked[joined:]
    if commas == 1 and picked and s[picked[0][1] - 1] == ",":
        # "…, Peskov, said" with no second comma: only the last word-group is the source
        del picked[1:]
    while picked and picked[-1][2] in pack.leading_words:
        picked.pop()
    if not picked:
        return None
    return _trim(s, picked[-1][0], picked[0][1])


def _quoted_word(tok: str) -> bool:
    """A word in quote marks of its own ("‘डॉन’", "'Dawn'"): a name set off, not a clause's end."""
    return len(tok) > 2 and tok[0] in _OPENS_QUOTE and tok[-1] in "’”'\"" and tok[-2] not in _CLOSES_PHRASE


def _ends_with_comma(s: str, end: int) -> bool:
    """Whether the last non-space character before ``end`` is a comma."""
    i = end - 1
    while i >= 0 and s[i].isspace():
        i -= 1
    return i >= 0 and s[i] == ","


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
        if tok[-1] in _CLOSES_PHRASE or count >= _MAX_WORDS:
            break
        if tok[-1] == "." and tok.casefold() not in pack.abbreviations:
            break  # "said Capt. Denise Howard" goes on past the abbreviation
    if first is None:
        return None
    return _trim(s, first, last)


def _trim(s: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and s[a] in _EDGE_PUNCT:
        a += 1
    while b > a and s[b - 1] in _EDGE_PUNCT:
        b -= 1
    return (a, b) if a < b else None
