"""The extraction pipeline: segment, attribute each sentence, then resolve pronouns and inheritance.

The Django side relies only on :func:`extract` and the dataclasses in
:mod:`verify.extraction.types`; everything else here is free to change.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .ambiguity import ArticleContext
from .attribute import Attribution, actor, attribute
from .frames import quoted_spans
from .lang import PronounKind
from .registry import Registry, default_registry
from .segment import Sentence, language_of, segment, wire_credit
from .speakers import describe
from .types import ExtractedClaim, Extraction, SpeakerKind

# (speaker, outlet, speaker_role, speaker_kind) a pronoun points at
Source = tuple[str | None, str | None, str | None, SpeakerKind | None]


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
    article = ArticleContext(text)
    credit = wire_credit(removed, registry)  # the agency of the dateline or sign-off; no claim's outlet
    reading = _Reading(registry, article, credit)
    claims: list[ExtractedClaim] = []  # claims[i] is the claim of sentences[i]
    quotations: dict[tuple[int, int], tuple[Attribution | None, int]] = {}
    for sentence in sentences:
        body = text[sentence.start : sentence.end]
        if sentence.caption:
            found = None
        elif sentence.unit is None:
            found = attribute(body, sentence.pack, registry, article)
        else:
            found = _in_quotation(text, sentence, quotations, registry, article)
        if found is not None:
            claims.append(_explicit(body, sentence, found, claims, sentences, reading))
        else:
            claims.append(_unattributed(body, sentence, claims))
    return Extraction(text, language, claims, removed, wire_credit=credit)


def _in_quotation(
    text: str,
    sentence: Sentence,
    quotations: dict[tuple[int, int], tuple[Attribution | None, int]],
    registry: Registry,
    article: ArticleContext,
) -> Attribution | None:
    """The attribution a sentence of a quotation over several sentences takes in its own right.

    The quotation is read whole, once (``quotations`` remembers it per unit), so a cue inside
    the quote marks stays the quoted person's words. Its source is stated in the sentence that
    holds words outside the quote marks ("X ने कहा, “A।" — or "B,” X ने कहा।" at the end): that
    sentence and the ones before it name the source; the ones after it inherit it (None here:
    the engine's inheritance gives them the source of the sentence before)."""
    unit = sentence.unit
    assert unit is not None
    if unit not in quotations:
        whole = text[unit[0] : unit[1]]
        found = attribute(whole, sentence.pack, registry, article)
        quotations[unit] = (found, unit[0] + _outside_quotes(whole))
    found, stated_at = quotations[unit]
    return found if found is not None and sentence.start <= stated_at else None


def _outside_quotes(unit: str) -> int:
    """Where the first letter outside quotation marks lies in ``unit`` (its length if none)."""
    spans = quoted_spans(unit)
    for i, ch in enumerate(unit):
        if ch.isalpha() and not any(a < i < b for a, b in spans):
            return i
    return len(unit)


@dataclass(frozen=True, slots=True)
class _Reading:
    """What resolving a claim's source reads besides the claims so far: the registry, the
    article (for names two entries share) and its wire credit (the outlet "the agency" means
    when no outlet was named before)."""

    registry: Registry
    article: ArticleContext
    credit: str | None


def _explicit(
    body: str,
    sentence: Sentence,
    found: Attribution,
    claims: list[ExtractedClaim],
    sentences: list[Sentence],
    reading: _Reading,
) -> ExtractedClaim:
    """The claim of a sentence with a source of its own; a pronoun speaker and an outlet
    anaphor ("the agency") are resolved, the speaker's title is kept apart from the name."""
    speaker, outlet, unresolved = found.speaker, found.outlet, False
    role = kind = None
    if speaker is not None:
        who = describe(speaker, sentence.pack, reading.registry, reading.article)
        speaker, role, kind = who.name, who.role, who.kind
    if found.outlet_anaphor and outlet is None:
        outlet = _earlier_outlet(claims) or reading.credit
        if outlet is not None and found.outlet_anaphor == "agent":
            speaker = role = kind = None  # "एजेंसी ने बताया": the agency is the outlet
    if found.pronoun:
        antecedent = _antecedent(claims, sentences, found.pronoun, sentence.paragraph, reading)
        if antecedent is None:
            unresolved = True
        else:
            speaker, _, role, kind = antecedent
            outlet = outlet or antecedent[1]
    return ExtractedClaim(
        body, sentence.start, sentence.end, sentence.paragraph, "explicit", speaker, outlet, found.cue,
        hearsay=found.hearsay, speaker_unresolved=unresolved, speaker_role=role, speaker_kind=kind,
    )  # fmt: skip


def _earlier_outlet(claims: list[ExtractedClaim]) -> str | None:
    """The outlet of the nearest earlier claim that has one ("the agency" points back at it)."""
    return next((c.outlet for c in reversed(claims) if c.outlet and not c.caption), None)


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
        speaker_role=prev.speaker_role, speaker_kind=prev.speaker_kind,
    )  # fmt: skip


def _is_person(claim: ExtractedClaim) -> bool:
    """Whether "he" / "उन्होंने" may point at the speaker of ``claim``: a person or an unnamed
    one ("an analyst at the Gulf Policy Institute"), not an organisation."""
    return claim.speaker_kind != "organisation"


def _previous_paragraph(claims: list[ExtractedClaim], paragraph: int) -> int:
    """The last paragraph before ``paragraph`` that is no caption, -1 if there is none."""
    return next((c.paragraph for c in reversed(claims) if c.paragraph != paragraph and not c.caption), -1)


def _antecedent(
    claims: list[ExtractedClaim],
    sentences: list[Sentence],
    kind: PronounKind,
    paragraph: int,
    reading: _Reading,
) -> Source | None:
    """(speaker, outlet, role, kind) a pronoun points at: the nearest earlier source in the same
    or previous paragraph.

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
            who = describe(doer, sentence.pack, reading.registry, reading.article) if doer else None
            if who and (kind != "person" or who.kind != "organisation"):
                return who.name, None, who.role, who.kind
            continue
        if claim.hearsay:
            continue
        if (kind == "thing" and (claim.speaker or claim.outlet)) or (
            claim.speaker and (kind == "any" or _is_person(claim))
        ):
            return claim.speaker, claim.outlet, claim.speaker_role, claim.speaker_kind
    return None
