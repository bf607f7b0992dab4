"""Language packs: everything language-specific the engine knows, as data.

A pack holds lexicons (reporting verbs, pronouns, honorifics, boundary words), boilerplate and
dateline patterns, and the attribution frames built from them. The engine in
:mod:`verify.extraction.attribute` is generic over packs, so adding a language means adding a
module here that builds a :class:`LanguagePack` (with the helpers of :mod:`.pack`) and listing
it in :data:`PACKS`.
"""

from __future__ import annotations

from . import en, hi
from .pack import AgentSide, Frame, LanguagePack, PronounKind

__all__ = ["PACKS", "AgentSide", "Frame", "LanguagePack", "PronounKind", "pack_for"]

PACKS: dict[str, LanguagePack] = {p.code: p for p in (hi.PACK, en.PACK)}


def pack_for(code: str) -> LanguagePack:
    """The pack for a language code, English when there is none."""
    return PACKS.get(code) or PACKS["en"]
