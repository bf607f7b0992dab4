"""Finding a pack's frames in one sentence: trigger words, quoted passages, frame matches.

A frame runs on a sentence only if the sentence holds one of its trigger words
(:meth:`~verify.extraction.lang.LanguagePack.live_frames`); a match whose cue lies inside
quotation marks is the quoted person's words, not the frame's, and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .ambiguity import NO_CONTEXT, ArticleContext
from .lang import Frame, LanguagePack
from .registry import Registry, SourceEntry, SourceKind

_QUOTE_MARKS = regex.compile('[“«”»"]')
_NUKTA = "\u093c"


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


def lowered(sentence: str) -> str:
    """``sentence`` as trigger words are looked for in it: casefolded, without nukta (triggers
    are written without it)."""
    return sentence.casefold().replace(_NUKTA, "")


@dataclass(frozen=True, slots=True)
class SentenceContext:
    """One sentence being attributed, and what every step of that reads: the pack it is read
    with, the registry that names outlets, the frames its trigger words wake
    (:meth:`~verify.extraction.lang.LanguagePack.live_frames`), its quoted passages and the
    article it is in (which reads names two registry entries share)."""

    text: str
    pack: LanguagePack
    registry: Registry
    live: frozenset[Frame]
    quotes: tuple[tuple[int, int], ...]
    article: ArticleContext = NO_CONTEXT
    # frame -> its matches, and other findings, worked out once per sentence: several candidates
    # of one sentence ask for the same citing and channel frames
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(
        cls,
        sentence: str,
        pack: LanguagePack,
        registry: Registry,
        live: frozenset[Frame],
        article: ArticleContext = NO_CONTEXT,
    ) -> SentenceContext:
        """The context of ``sentence``, whose live frames are ``live``."""
        return cls(sentence, pack, registry, live, tuple(quoted_spans(sentence)), article)

    def find(
        self, phrase: str | None, kind: SourceKind | None = "outlet", *, medium: bool = False
    ) -> SourceEntry | None:
        """The registry entry ``phrase`` names, read in this sentence's article."""
        return self.registry.find(phrase, kind, self.article, medium=medium) if phrase else None

    def quoted(self, pos: int) -> bool:
        """Whether ``pos`` lies inside quotation marks."""
        return any(a < pos < b for a, b in self.quotes)

    def matches(self, frame: Frame) -> list[regex.Match]:
        """The matches of ``frame`` whose cue is outside quotation marks; none if the sentence
        lacks the frame's trigger words."""
        if frame not in self.live:
            return []
        found = self.memo.get(frame)
        if found is None:
            found = [m for m in frame.pattern.finditer(self.text) if not self.quoted(m.start("cue"))]
            self.memo[frame] = found
        return found

    def text_of(self, span: tuple[int, int]) -> str:
        return self.text[span[0] : span[1]]
