"""The stored form of article text and its identity."""

from __future__ import annotations

import hashlib
import unicodedata


def normalise_text(text: str) -> str:
    """The stored form of an article body: NFC, with Windows/Mac line ends made ``\\n``."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def content_hash(body: str) -> str:
    """Identity of an article's text: sha256 of the normalised body without outer whitespace."""
    return hashlib.sha256(normalise_text(body).strip().encode("utf-8")).hexdigest()
