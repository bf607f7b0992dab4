"""Claim extraction: text in, attributed claims out. Pure Python; no Django imports here."""

from verify.text import match_key

from .engine import detect_language, extract
from .registry import Registry, SourceEntry, default_registry
from .types import ExtractedClaim, Extraction, RemovedLine

__all__ = [
    "ExtractedClaim",
    "Extraction",
    "Registry",
    "RemovedLine",
    "SourceEntry",
    "default_registry",
    "detect_language",
    "extract",
    "match_key",
]
