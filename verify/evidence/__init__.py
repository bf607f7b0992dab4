"""Evidence matcher: the passages of a source page that share a claim's names, numbers and dates.

A reviewer checks one claim (a sentence of a Hindi or English article) against a fetched page
(its main text). :func:`match_evidence` lists the page's passages (one to three sentences of one
paragraph) that share terms with the claim, best first, with the shared spans as offsets so a
template can wrap them in ``<mark>``. It ranks; the reviewer decides. Pure Python, no Django.

The modules:

* :mod:`~verify.evidence.words`: stop words and titles (never names), number words, months.
* :mod:`~verify.evidence.names`: :func:`romanize` (Devanagari to Latin), :func:`name_key` (a
  loose phonetic key of any spelling) and when two keys read as the same name.
* :mod:`~verify.evidence.grammar`: dates and numbers in both languages.
* :mod:`~verify.evidence.claim`: the terms of a claim (:func:`claim_terms`, :class:`Term`).
* :mod:`~verify.evidence.page`: the page's tokens, numbers, dates and sentences, indexed once.
* :mod:`~verify.evidence.passages`: where the terms are, the windows of sentences, the score
  (:func:`match_evidence`, :class:`Passage`).

Script detection, sentence bounds and the match key are the shared rules of :mod:`verify.text`.
"""

from .claim import WEIGHTS, Term, claim_terms
from .names import name_key, romanize
from .passages import Passage, match_evidence

__all__ = ["WEIGHTS", "Passage", "Term", "claim_terms", "match_evidence", "name_key", "romanize"]
