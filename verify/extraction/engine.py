"""The extraction pipeline: segment, attribute each sentence, then resolve pronouns and inheritance.

The Django side relies only on :func:`extract` and the dataclasses in
:mod:`verify.extraction.types`; everything else here is free to change.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left

from .attribute import actor, attribute
from .frames import triggers
from .lang import PACKS, PronounKind
from .registry import Registry, default_registry
from .segment import _script, script_language, scripts, segment
from .types import ExtractedClaim, Extraction, builder

_ORGANISATION_HEADS = frozenset().union(*(p.organisation_heads for p in PACKS.values()))
# Positional constructors that give frozen instances without the frozen __init__'s per-field cost.
_claim = builder(ExtractedClaim)
_extraction = builder(Extraction)


def detect_language(text: str) -> str:
    """'hi' when Devanagari letters outnumber Latin ones, else 'en'."""
    return script_language(text, "en")


def extract(text: str, *, lang: str | None = None, registry: Registry | None = None) -> Extraction:
    """Split ``text`` (NFC-normalised first) into attributed claims with offsets into the normalised text.

    ``lang`` overrides language detection for the document; each paragraph and sentence is still
    read with the pack of its own script, so mixed Hindi/English text works. ``registry`` replaces
    the default outlet registry (newsroom additions).
    """
    text = unicodedata.normalize("NFC", text)
    registry = registry if registry is not None else default_registry()
    text_scripts = scripts(text)
    language = lang or _script(text, "en", *text_scripts[:2])[0]
    sentences, removed = segment(text, language, text_scripts)
    claims: list[ExtractedClaim] = []
    # per claim: the doer of an unattributed sentence, for pronouns; looked for only when a pronoun
    # asks, so until then the (body, pack) to look in
    actors: list = []
    prev_paragraph = -1  # the last paragraph before the current one that was not a caption
    current = -1
    prev = None  # the last claim
    finds: dict = {}  # registry look-ups of this call
    simple = text_scripts[2]  # ASCII and Devanagari only (None: not known; a sentence tells if asked)
    lives, dead_is_none = _lives(text, sentences, simple, text_scripts[1])
    lives = iter(lives)
    for start, end, paragraph, pack, caption in sentences:
        if paragraph != current:
            if prev is not None and not prev.caption:
                prev_paragraph = prev.paragraph
            current = paragraph
        body = text[start:end]
        if caption:
            prev = _claim(body, start, end, paragraph, "none", None, None, None, None, False, False, True)
            actors.append(None)
        else:
            live = next(lives)
            if live == 0 and dead_is_none:  # no frame has its trigger, and none runs without one
                found = None
            else:
                found = attribute(body, pack, registry, finds, None, simple, live)
            if found is not None:
                speaker, outlet, unresolved = found.speaker, found.outlet, False
                if found.pronoun:
                    antecedent = _antecedent(claims, actors, found.pronoun, paragraph, prev_paragraph)
                    if antecedent is None:
                        unresolved = True
                    else:
                        speaker = antecedent[0]
                        outlet = outlet or antecedent[1]
                prev = _claim(
                    body, start, end, paragraph, "explicit", speaker, outlet, found.cue, None, found.hearsay,
                    unresolved, False,
                )  # fmt: skip
                actors.append(None)
            else:
                # A sentence with no source of its own carries on the previous one of its paragraph, if any.
                if prev is None or prev.paragraph != paragraph or prev.caption or prev.attribution == "none":
                    prev = _claim(
                        body, start, end, paragraph, "none", None, None, None, None, False, False, False
                    )
                else:
                    root = prev.inherited_from if prev.attribution == "inherited" else len(claims) - 1
                    prev = _claim(
                        body, start, end, paragraph, "inherited", prev.speaker, prev.outlet, None, root,
                        prev.hearsay, prev.speaker_unresolved, False,
                    )  # fmt: skip
                actors.append((body, pack))
        claims.append(prev)
    return _extraction(text, language, claims, removed)


def _lives(
    text: str, sentences: list[tuple], simple: bool | None, latin: bool = True
) -> tuple[list[int | None], bool]:
    """The live frames (trigger bits) of each sentence that is no caption, None where not known,
    and whether a sentence with none attributes nothing (no frame of its pack runs without one).

    When all those sentences read with one pack, one scan of the text finds them all.
    (``simple``: the text is ASCII/Devanagari only, where ``lower`` is ``casefold``, and faster;
    with no ``latin`` letters either, there is nothing to fold.)
    """
    spans = []
    first = mixed = None
    for start, end, _, pack, caption in sentences:
        if not caption:
            spans.append((start, end))
            if first is None:
                first = pack
            elif pack is not first:
                mixed = True
    if first is None or mixed:
        return [None] * len(spans), False
    low = (text if not latin else text.lower()) if simple else text.casefold()
    if len(low) != len(text):  # some character folds to several: sentences' offsets do not carry over
        return [None] * len(spans), False
    if "\u093c" in low:  # triggers are written without nukta: drop it, and move the offsets
        nuktas, i = [], low.find("\u093c")
        while i != -1:
            nuktas.append(i)
            i = low.find("\u093c", i + 1)
        spans = [(a - bisect_left(nuktas, a), b - bisect_left(nuktas, b)) for a, b in spans]
        low = low.replace("\u093c", "")
    index = triggers(first)
    return index.live_each(low, spans), not index.always


def _is_person(speaker: str) -> bool:
    words = speaker.split()
    return bool(words) and words[-1].strip(".,()").casefold() not in _ORGANISATION_HEADS


def _antecedent(
    claims, actors, kind: PronounKind, paragraph: int, prev_paragraph: int
) -> tuple[str | None, str | None] | None:
    """(speaker, outlet) a pronoun points at: the nearest earlier source in the same or previous paragraph.

    Sources are the speakers of attributed claims and the doers of unattributed ones. "he" and
    "उन्होंने" need a person, "it" takes any source, organisations and outlets included; a
    pronoun never points at unnamed "sources".
    """
    for i in range(len(claims) - 1, -1, -1):
        claim = claims[i]
        if claim.paragraph != paragraph and claim.paragraph != prev_paragraph:
            if claim.caption:
                continue
            break
        if claim.attribution == "none":
            if claim.caption:
                continue
            doer = actors[i]
            if type(doer) is tuple:
                doer = actors[i] = actor(*doer)
            if doer and (kind != "person" or _is_person(doer)):
                return doer, None
            continue
        if claim.hearsay:
            continue
        if kind == "thing" and (claim.speaker or claim.outlet):
            return claim.speaker, claim.outlet
        if claim.speaker and (kind == "any" or _is_person(claim.speaker)):
            return claim.speaker, claim.outlet
    return None
