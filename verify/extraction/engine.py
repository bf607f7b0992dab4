"""The extraction pipeline: segment, attribute each sentence, then resolve pronouns and inheritance.

The Django side relies only on :func:`extract` and the dataclasses in
:mod:`verify.extraction.types`; everything else here is free to change.
"""

from __future__ import annotations

import unicodedata

from .attribute import Attribution, actor, attribute
from .lang import PACKS, PronounKind
from .registry import Registry, default_registry
from .segment import Sentence, language_of, segment
from .types import ExtractedClaim, Extraction

_ORGANISATION_HEADS = frozenset().union(*(p.organisation_heads for p in PACKS.values()))


def detect_language(text: str) -> str:
    """'hi' when Devanagari letters outnumber Latin ones, else 'en'."""
    return language_of(text, "en")


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
    claims: list[ExtractedClaim] = []  # claims[i] is the claim of sentences[i]
    for sentence in sentences:
        body = text[sentence.start : sentence.end]
        found = None if sentence.caption else attribute(body, sentence.pack, registry)
        if found is not None:
            claims.append(_explicit(body, sentence, found, claims, sentences))
        else:
            claims.append(_unattributed(body, sentence, claims))
    return Extraction(text, language, claims, removed)


def _explicit(
    body: str, sentence: Sentence, found: Attribution, claims: list[ExtractedClaim], sentences: list[Sentence]
) -> ExtractedClaim:
    """The claim of a sentence with a source of its own; a pronoun speaker is resolved."""
    speaker, outlet, unresolved = found.speaker, found.outlet, False
    if found.pronoun:
        antecedent = _antecedent(claims, sentences, found.pronoun, sentence.paragraph)
        if antecedent is None:
            unresolved = True
        else:
            speaker = antecedent[0]
            outlet = outlet or antecedent[1]
    return ExtractedClaim(
        body, sentence.start, sentence.end, sentence.paragraph, "explicit", speaker, outlet, found.cue,
        hearsay=found.hearsay, speaker_unresolved=unresolved,
    )  # fmt: skip


def _unattributed(body: str, sentence: Sentence, claims: list[ExtractedClaim]) -> ExtractedClaim:
    """The claim of a sentence with no source of its own: it carries on the previous sentence of
    its paragraph, if that has a source; a caption never does."""
    prev = claims[-1] if claims else None
    if (
        sentence.caption
        or prev is None
        or prev.paragraph != sentence.paragraph
        or prev.caption
        or prev.attribution == "none"
    ):
        return ExtractedClaim(
            body, sentence.start, sentence.end, sentence.paragraph, caption=sentence.caption
        )
    root = prev.inherited_from if prev.attribution == "inherited" else len(claims) - 1
    return ExtractedClaim(
        body, sentence.start, sentence.end, sentence.paragraph, "inherited", prev.speaker, prev.outlet,
        inherited_from=root, hearsay=prev.hearsay, speaker_unresolved=prev.speaker_unresolved,
    )  # fmt: skip


def _is_person(speaker: str) -> bool:
    words = speaker.split()
    return bool(words) and words[-1].strip(".,()").casefold() not in _ORGANISATION_HEADS


def _previous_paragraph(claims: list[ExtractedClaim], paragraph: int) -> int:
    """The last paragraph before ``paragraph`` that is no caption, -1 if there is none."""
    return next((c.paragraph for c in reversed(claims) if c.paragraph != paragraph and not c.caption), -1)


def _antecedent(
    claims: list[ExtractedClaim], sentences: list[Sentence], kind: PronounKind, paragraph: int
) -> tuple[str | None, str | None] | None:
    """(speaker, outlet) a pronoun points at: the nearest earlier source in the same or previous paragraph.

    Sources are the speakers of attributed claims and the doers of unattributed ones. "he" and
    "उन्होंने" need a person, "it" takes any source, organisations and outlets included; a
    pronoun never points at unnamed "sources". Captions are skipped.
    """
    previous = _previous_paragraph(claims, paragraph)
    for claim, sentence in zip(reversed(claims), reversed(sentences[: len(claims)]), strict=True):
        if claim.caption:
            continue
        if claim.paragraph != paragraph and claim.paragraph != previous:
            break
        if claim.attribution == "none":
            doer = actor(claim.text, sentence.pack)
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
