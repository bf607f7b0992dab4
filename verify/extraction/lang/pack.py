"""What a language pack is (:class:`LanguagePack`, :class:`Frame`) and the regex helpers the
packs are built with (:func:`lit`, :func:`alt`, :func:`word`, :func:`compile_frame`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import ahocorasick
import regex

from verify.text import NOT_AFTER, NOT_BEFORE

from ..furniture import Furniture

AgentSide = Literal["left", "right", "group", "none"]
PronounKind = Literal["person", "any", "thing"]


@dataclass(frozen=True, slots=True, eq=False)  # (eq=False: frames are told apart by identity)
class Frame:
    """One attribution construction.

    ``pattern`` must have a group ``cue``; it may have ``verb`` (joined to the cue for display),
    ``agent`` (when ``agent_side`` is "group" or "right") and ``obj`` (words where an outlet as
    addressee may appear: "told Reuters", "रॉयटर्स को बताया"). ``agent_side`` says where the
    source phrase is: "left" of the cue (scanned back to a boundary), "right" of it, captured in
    the ``agent`` group, or "none" (agentless hearsay).
    """

    name: str
    pattern: regex.Pattern
    agent_side: AgentSide
    hearsay: bool = False
    # Substrings (casefolded, no nukta) of which the sentence must contain one for the frame to be
    # worth running (none: it always runs); see :meth:`LanguagePack.live_frames`.
    triggers: tuple[str, ...] = ()
    # The source phrase is where the report appeared ("according to PTI"), not who acts in it:
    # a name two registry entries share is read as the outlet there.
    medium: bool = False


@dataclass(frozen=True, slots=True)
class LanguagePack:
    code: str
    sentencex_code: str
    frames: tuple[Frame, ...]
    # "O ने S के हवाले से" / "O reported, citing S": the cited phrase is the speaker behind O.
    citing: tuple[Frame, ...] = ()
    # Where an outlet appears as the medium rather than the source ("in a statement carried by
    # Interfax", "क्योडो को दिए इंटरव्यू में"): it becomes the outlet of a speaker's claim.
    channels: tuple[Frame, ...] = ()
    # Marks the doer of a sentence that is no attribution; a later pronoun may point at it.
    actor: Frame | None = None
    pronouns: dict[str, PronounKind] = field(default_factory=dict)  # casefolded subject pronouns
    honorifics: frozenset[str] = frozenset()
    # Words that end a sentence-looking token but not a sentence ("डॉ.", "Gen.").
    abbreviations: frozenset[str] = frozenset()
    boundary_words: frozenset[str] = frozenset()  # where a source phrase cannot extend past, leftwards
    right_boundary_words: frozenset[str] = frozenset()
    leading_words: frozenset[str] = frozenset()  # connectives stripped from the front of a source phrase
    passive_auxiliaries: frozenset[str] = frozenset()  # "was said": no agent on the left
    unnamed_sources: frozenset[str] = frozenset()  # "सूत्रों", "sources": hearsay unless an outlet vouches
    organisation_heads: frozenset[str] = frozenset()  # a phrase ending in one is no person
    non_source_heads: frozenset[str] = frozenset()  # "नियमों के अनुसार": conformity, not a source
    # Words that make a shared acronym a political actor ("PTI leader", "पीटीआई नेता").
    party_words: frozenset[str] = frozenset()
    # Titles kept apart from a speaker's name ("कृषि मंत्री", "Kremlin spokesman"); casefolded.
    role_words: frozenset[str] = frozenset()
    # Heads of an unnamed source ("अधिकारी", "officials", "analysts"): speaker_kind "anonymous".
    anonymous_heads: frozenset[str] = frozenset()
    # Words before a role word that still belong to the role ("senior", "के").
    role_links: frozenset[str] = frozenset()
    # Phrases that point back at an outlet ("the agency", "समाचार एजेंसी"); casefolded.
    outlet_anaphors: frozenset[str] = frozenset()
    # Words around an anaphor that are no part of it ("the", "को", "से").
    anaphor_particles: frozenset[str] = frozenset()
    # "तास द्वारा उद्धृत एक अधिकारी", "an analyst, quoted by Xinhua,": group ``relay`` is the outlet
    # that relays the speaker, the whole match is cut from the source phrase.
    relayed_by: regex.Pattern | None = None
    # Reporting verbs that make their subject a medium ("reported", "खबर दी"): a shared acronym
    # there is the outlet.
    medium_verbs: frozenset[str] = frozenset()
    # A relative clause between a source and its cue (", who asked not to be named,"), anchored
    # at the end: left out of the source phrase.
    parenthetical: regex.Pattern | None = None
    # Boundary words that may join two capitalised parts of one name ("Human Resources and
    # Social Development").
    name_joiners: frozenset[str] = frozenset()
    boilerplate: tuple[Furniture, ...] = ()  # page furniture rules, from data/furniture.json
    dateline: regex.Pattern | None = None  # groups: place, date, agency
    # Photo credit markers: a short paragraph where one of them is found is a caption.
    captions: tuple[regex.Pattern, ...] = ()
    caption_final_words: frozenset[str] = frozenset()  # verbless caption endings ("… में।")
    # Derived from the frames when the pack is made (see __post_init__).
    _untriggered: frozenset[Frame] = field(init=False, repr=False, compare=False)
    _trigger_words: ahocorasick.Automaton = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index the trigger words of the frames, citing and channel frames: one Aho-Corasick
        automaton (pyahocorasick) whose value for a word is the frames it wakes, so one pass
        over a sentence finds them all."""
        frames = (*self.frames, *self.citing, *self.channels)
        woken: dict[str, list[Frame]] = {}
        for frame in frames:
            for word in frame.triggers:
                woken.setdefault(word, []).append(frame)
        automaton = ahocorasick.Automaton()
        for word, by in woken.items():
            automaton.add_word(word, tuple(by))
        automaton.make_automaton()
        # (frozen: the derived fields are set once, here)
        object.__setattr__(self, "_untriggered", frozenset(f for f in frames if not f.triggers))
        object.__setattr__(self, "_trigger_words", automaton)

    def live_frames(self, low: str) -> frozenset[Frame]:
        """The frames (main, citing and channel) that can match a sentence whose casefolded,
        nukta-less text is ``low``: those with one of their trigger words in it, and those
        without trigger words. (Finding trigger words costs nanoseconds, a regex scan
        microseconds.)"""
        if self._trigger_words.kind != ahocorasick.AHOCORASICK:  # the frames have no trigger words
            return self._untriggered
        live = set(self._untriggered)
        for _, frames in self._trigger_words.iter(low):
            live.update(frames)
        return frozenset(live)


def _units(word: str) -> list[str]:
    """``word`` as regex pieces, one per letter, tolerant of Devanagari spelling variants."""
    out = []
    for ch in word:
        if ch in "\u0902\u0901":
            out.append("[\u0902\u0901]")
        elif ch == " ":
            out.append(r"\s+")
        elif ch == "\u093c":
            continue
        elif "\u0915" <= ch <= "\u0939":
            out.append(regex.escape(ch) + "\u093c?")
        else:
            out.append(regex.escape(ch))
    return out


def lit(word: str) -> str:
    """A regex for ``word`` tolerant of Devanagari spelling variants (nukta, nasal marks)."""
    return "".join(_units(word))


def alt(words) -> str:
    """A non-capturing alternation of whole words, longest first so prefixes lose.

    Words without upper-case letters become a trie ("कह(?:ा|ना|ते)"): the engine then tests one
    branch per letter instead of every word at every position. Branches of a trie start with
    different letters, so at most one can match; along one branch the longer word is tried
    first, as in a flat longest-first alternation. (Mixed-case words stay flat: under
    IGNORECASE, "Sep" and "sept" would share a first letter in two branches.)
    """
    words = sorted(set(words), key=len, reverse=True)
    if any(w != w.lower() for w in words):
        return "(?:" + "|".join(lit(w) for w in words) + ")"
    trie: dict = {}
    for w in words:
        node = trie
        for unit in _units(w):
            node = node.setdefault(unit, {})
        node[""] = {}
    return "(?:" + _trie(trie) + ")"


def _trie(node: dict) -> str:
    branches = [unit + _trie(sub) for unit, sub in node.items() if unit]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a word ends here: try the longer ones first, then stop
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else "(?:" + body + ")?"
    return body


def word(words) -> str:
    return NOT_AFTER + alt(words) + NOT_BEFORE


def compile_frame(
    name: str, pattern: str, agent_side: AgentSide, hearsay: bool = False, triggers=(), medium: bool = False
) -> Frame:
    return Frame(
        name,
        regex.compile(pattern, regex.IGNORECASE),
        agent_side,
        hearsay,
        tuple(t.casefold() for t in triggers),
        medium,
    )
