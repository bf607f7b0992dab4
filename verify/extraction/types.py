"""The extractor's output: plain dataclasses with character offsets into the NFC text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Attribution = Literal["explicit", "inherited", "none"]
# What speaks: a named person, an organisation (government, ministry, party, company), or an
# anonymous source ("एक अधिकारी", "सूत्रों", "people familiar with the matter").
SpeakerKind = Literal["person", "organisation", "anonymous"]


@dataclass(frozen=True, slots=True)
class ExtractedClaim:
    """One sentence of the article with its attribution; ``text == Extraction.text[start:end]``."""

    text: str
    start: int
    end: int
    paragraph: int
    attribution: Attribution = "none"
    speaker: str | None = None
    outlet: str | None = None  # the registry's canonical name, e.g. "AFP"
    cue: str | None = None
    inherited_from: int | None = None  # index into Extraction.claims
    hearsay: bool = False  # agentless hearsay ("बताया जा रहा है", "reportedly")
    speaker_unresolved: bool = False  # a pronoun with no earlier person to resolve to
    caption: bool = False  # a photo caption: kept as a claim, never a source for its neighbours
    speaker_role: str | None = None  # the title kept apart from the name ("कृषि मंत्री")
    speaker_kind: SpeakerKind | None = None  # None when there is no speaker

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "paragraph": self.paragraph,
            "speaker": self.speaker,
            "outlet": self.outlet,
            "cue": self.cue,
            "attribution": self.attribution,
            "inherited_from": self.inherited_from,
            "hearsay": self.hearsay,
            "speaker_unresolved": self.speaker_unresolved,
            "caption": self.caption,
            "speaker_role": self.speaker_role,
            "speaker_kind": self.speaker_kind,
        }


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line dropped as page boilerplate, with why."""

    text: str
    start: int
    end: int
    reason: str

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the extractor found in one text (``text`` is the NFC-normalised input)."""

    text: str
    language: str
    claims: list[ExtractedClaim] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    # The agency credited in the dateline ("(भाषा)", "MOSCOW (Reuters) -"): the registry's
    # canonical name, or None when the story has no credit or the registry does not know it.
    wire_credit: str | None = None

    def as_dict(self) -> dict:
        return {
            "language": self.language,
            "wire_credit": self.wire_credit,
            "claims": [c.as_dict() for c in self.claims],
            "removed": [r.as_dict() for r in self.removed],
        }
