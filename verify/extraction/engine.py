"""The extraction pipeline: segment, attribute each sentence, then resolve pronouns and inheritance.

The Django side relies only on :func:`extract` and the dataclasses in
:mod:`verify.extraction.types`; everything else here is free to change.
"""

from __future__ import annotations

import unicodedata

from .attribute import Attribution, actor, attribute
from .lang import PACKS, PronounKind
from .registry import Registry, default_registry
from .segment import script_language, segment
from .types import ExtractedClaim, Extraction

_ORGANISATION_HEADS = frozenset().union(*(p.organisation_heads for p in PACKS.values()))


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
    language = lang or detect_language(text)
    sentences, removed = segment(text, language)
    claims: list[ExtractedClaim] = []
    actors: list[str | None] = []  # per claim: the doer of an unattributed sentence, for pronouns
    prev_paragraph = -1  # the last paragraph before the current one that was not a caption
    current = -1
    for sent in sentences:
        if sent.paragraph != current:
            if claims and not claims[-1].caption:
                prev_paragraph = claims[-1].paragraph
            current = sent.paragraph
        body = text[sent.start : sent.end]
        base = dict(text=body, start=sent.start, end=sent.end, paragraph=sent.paragraph)
        if sent.caption:
            claims.append(ExtractedClaim(**base, caption=True))
            actors.append(None)
            continue
        pack = sent.pack
        found = attribute(body, pack, registry)
        if found is not None:
            claims.append(_explicit(base, found, claims, actors, {sent.paragraph, prev_paragraph}))
            actors.append(None)
        else:
            claims.append(_inherited(base, claims))
            actors.append(actor(body, pack))
    return Extraction(text=text, language=language, claims=claims, removed=removed)


def _explicit(base: dict, found: Attribution, claims, actors, paragraphs: set[int]) -> ExtractedClaim:
    speaker, outlet, unresolved = found.speaker, found.outlet, False
    if found.pronoun:
        antecedent = _antecedent(claims, actors, found.pronoun, paragraphs)
        if antecedent is None:
            unresolved = True
        else:
            speaker = antecedent[0]
            outlet = outlet or antecedent[1]
    return ExtractedClaim(
        **base,
        attribution="explicit",
        speaker=speaker,
        outlet=outlet,
        cue=found.cue,
        hearsay=found.hearsay,
        speaker_unresolved=unresolved,
    )


def _inherited(base: dict, claims: list[ExtractedClaim]) -> ExtractedClaim:
    """A sentence with no source of its own carries on the previous one of its paragraph, if any."""
    if not claims:
        return ExtractedClaim(**base)
    prev = claims[-1]
    if prev.paragraph != base["paragraph"] or prev.caption or prev.attribution == "none":
        return ExtractedClaim(**base)
    root = prev.inherited_from if prev.attribution == "inherited" else len(claims) - 1
    return ExtractedClaim(
        **base,
        attribution="inherited",
        speaker=prev.speaker,
        outlet=prev.outlet,
        inherited_from=root,
        hearsay=prev.hearsay,
        speaker_unresolved=prev.speaker_unresolved,
    )


def _is_person(speaker: str) -> bool:
    words = speaker.split()
    return bool(words) and words[-1].strip(".,()").casefold() not in _ORGANISATION_HEADS


def _antecedent(
    claims, actors, kind: PronounKind, paragraphs: set[int]
) -> tuple[str | None, str | None] | None:
    """(speaker, outlet) a pronoun points at: the nearest earlier source in the same or previous paragraph.

    Sources are the speakers of attributed claims and the doers of unattributed ones. "he" and
    "उन्होंने" need a person, "it" takes any source, organisations and outlets included; a
    pronoun never points at unnamed "sources".
    """
    for claim, doer in zip(reversed(claims), reversed(actors), strict=True):
        if claim.paragraph not in paragraphs:
            if claim.caption:
                continue
            break
        if claim.attribution == "none":
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
