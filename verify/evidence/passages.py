"""Passages and their score: where the claim's terms are on the page, and which windows of
sentences show them best.

Score (0-100, an int)
    Each distinct claim term has a weight (:data:`~verify.evidence.claim.WEIGHTS`: name 3,
    date 2, number 2). ``W`` is the sum over the claim's terms, except that guessed names count
    only if the page has them somewhere. ``coverage = sum(weight * credit for terms in the
    passage) / W``, credit 1, or :data:`PARTIAL_NAME_CREDIT` for a name found only in part
    ("Putin" for "Vladimir Putin"). ``score = round(min(100, 90 * coverage + bonus))`` where
    ``bonus`` (only with two or more distinct terms) is :data:`BONUS` when one occurrence of
    each found term fits in :data:`BONUS_NEAR` characters, falling linearly to 0 at
    :data:`BONUS_FAR`. Passages with no term are not returned.

Windows: one to :data:`MAX_WINDOW_SENTENCES` consecutive sentences of a paragraph whose first
and last sentences hold a term; ranked by score, then shorter, then earlier, and taken greedily
without overlap.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from verify.extraction import Registry

from .claim import NameSpec, Term, terms_with_specs
from .names import similar, skeleton
from .page import TIGHT_GAP, Page, Token, page_index

PARTIAL_NAME_CREDIT = 0.75
MAX_WINDOW_SENTENCES = 3
MAX_WINDOW_CHARS = 1500  # a window of several sentences is dropped past this length
BONUS = 10
BONUS_NEAR, BONUS_FAR = 100, 400  # characters

Hit = tuple[int, int, int, float]  # start, end, term index, credit


@dataclass(slots=True)
class Passage:
    """``text == page_text[start:end]``; ``highlights`` are (start, end) offsets into ``text``."""

    text: str
    start: int
    end: int
    score: int
    terms: list[Term] = field(default_factory=list)
    highlights: list[tuple[int, int]] = field(default_factory=list)


# --- where the terms are ----------------------------------------------------------------------


def _tight(text: str, a: Token, b: Token) -> bool:
    return TIGHT_GAP.fullmatch(text, a.end, b.start) is not None


def _matches(key: str, token: Token) -> bool:
    return bool(key) and bool(token.key) and skeleton(key) == skeleton(token.key) and similar(key, token.key)


def _candidates(page: Page, key: str) -> list[int]:
    """The indexes of the page's name tokens that read as ``key``."""
    out: list[int] = []
    for other, idx in page.by_skeleton.get(skeleton(key), {}).items():
        if similar(key, other):
            out.extend(idx)
    return out


def _find_name(page: Page, spec: NameSpec) -> list[tuple[int, int, float]]:
    """(start, end, credit) of each place the name is on the page.

    A token matching one word of the name (any word of three letters or more when the name may
    be found in part, else its first) is extended to the neighbouring tokens that match the
    neighbouring words, across :data:`~verify.evidence.page.TIGHT_GAP` only.
    """
    toks, text = page.tokens, page.text
    found: dict[tuple[int, int], float] = {}
    for words, latin in spec.exact:
        for i in page.by_exact.get(words[0], ()):
            span = toks[i : i + len(words)]
            if len(span) == len(words) and all(t.exact == w for t, w in zip(span, words, strict=True)):
                start, end = span[0].start, span[-1].end
                if not latin or text[start:end] == latin:
                    found[(start, end)] = 1.0
    for keys in spec.variants:
        n = len(keys)
        strong = [j for j, k in enumerate(keys) if len(k) >= 3] if spec.partial else [0]
        for j in strong:
            for p in _candidates(page, keys[j]):
                first, last = p, p  # the page tokens matching words lo..hi of the name
                lo, hi = j, j
                while (
                    lo > 0
                    and first > 0
                    and _tight(text, toks[first - 1], toks[first])
                    and _matches(keys[lo - 1], toks[first - 1])
                ):
                    lo, first = lo - 1, first - 1
                while (
                    hi < n - 1
                    and last + 1 < len(toks)
                    and _tight(text, toks[last], toks[last + 1])
                    and _matches(keys[hi + 1], toks[last + 1])
                ):
                    hi, last = hi + 1, last + 1
                full = lo == 0 and hi == n - 1
                if not full and not spec.partial:
                    continue
                start, end = toks[first].start, toks[last].end
                credit = 1.0 if full else PARTIAL_NAME_CREDIT
                found[(start, end)] = max(credit, found.get((start, end), 0.0))
    # drop spans inside longer ones
    out: list[tuple[int, int, float]] = []
    for (start, end), credit in sorted(found.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if out and start < out[-1][1] and end <= out[-1][1]:
            continue
        out.append((start, end, credit))
    return out


def _find_other(page: Page, term: Term) -> list[tuple[int, int, float]]:
    """(start, end, 1.0) of each place a number or date is on the page; a year and a four-digit
    number are the same."""
    keys = [term.key]
    if term.key[0] == "year":
        keys.append(("number", str(term.key[1])))
    elif term.key[0] == "number" and term.key[1].isdigit() and len(term.key[1]) == 4:
        keys.append(("year", int(term.key[1])))
    spans = sorted({s for k in keys for s in page.occurrences.get(k, ())})
    return [(a, b, 1.0) for a, b in spans]


# --- scoring ----------------------------------------------------------------------------------


def _bonus(occ: list[Hit]) -> float:
    """The proximity bonus: the shortest stretch holding one occurrence of each found term."""
    wanted = {o[2] for o in occ}
    if len(wanted) < 2:
        return 0.0
    occ = sorted(occ)
    best = None
    counts: dict[int, int] = {}
    left = 0
    for right, (_s, _e, t, _c) in enumerate(occ):
        counts[t] = counts.get(t, 0) + 1
        while len(counts) == len(wanted):
            width = max(o[1] for o in occ[left : right + 1]) - occ[left][0]
            best = width if best is None else min(best, width)
            lt = occ[left][2]
            counts[lt] -= 1
            if not counts[lt]:
                del counts[lt]
            left += 1
    if best is None:
        return 0.0
    return BONUS * max(0.0, min(1.0, (BONUS_FAR - best) / (BONUS_FAR - BONUS_NEAR)))


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _windows(
    sentences: list[tuple[int, int, int]], hits: list[Hit], weights: list[int], total: float
) -> list[tuple]:
    """(-score, length, start, end, hits, found term indexes) of each window of sentences that
    starts and ends with a sentence holding a term."""
    ends = [s[1] for s in sentences]
    per_sentence: dict[int, list[Hit]] = {}
    for hit in hits:
        k = bisect.bisect_left(ends, hit[1])
        if k < len(sentences) and sentences[k][0] <= hit[0]:
            per_sentence.setdefault(k, []).append(hit)
    out = []
    for k in per_sentence:
        for size in range(1, MAX_WINDOW_SENTENCES + 1):
            last = k + size - 1
            if last >= len(sentences) or sentences[last][2] != sentences[k][2]:
                break
            if last not in per_sentence:
                continue
            start, end = sentences[k][0], sentences[last][1]
            if size > 1 and end - start > MAX_WINDOW_CHARS:
                break
            occ = [h for s in range(k, last + 1) for h in per_sentence.get(s, ())]
            credit: dict[int, float] = {}
            for _a, _b, t, c in occ:
                credit[t] = max(c, credit.get(t, 0.0))
            coverage = sum(weights[t] * c for t, c in credit.items()) / total
            score = round(min(100.0, 90 * coverage + _bonus(occ)))
            out.append((-score, end - start, start, end, occ, sorted(credit)))
    return out


def match_evidence(
    claim_text: str,
    page_text: str,
    *,
    registry: Registry | None = None,
    names: Iterable[str] = (),
    limit: int = 5,
) -> list[Passage]:
    """The passages of ``page_text`` sharing the claim's names, numbers and dates, best first.

    ``names``: further names known for the claim (its speaker phrase, its outlet's canonical
    name). At most ``limit`` passages, which never overlap; ties go to the shorter, then the
    earlier passage. See :mod:`verify.evidence` for the terms and the score.
    """
    if limit <= 0 or not claim_text or not page_text or not page_text.strip():
        return []
    terms = terms_with_specs(claim_text, registry, names)
    if not terms:
        return []
    page = page_index(page_text)
    hits: list[Hit] = []
    total = 0.0
    for t, (term, spec) in enumerate(terms):
        spans = _find_name(page, spec) if spec is not None else _find_other(page, term)
        if spans or not term.guessed:
            total += term.weight
        hits.extend((a, b, t, c) for a, b, c in spans)
    if not hits or total <= 0:
        return []
    candidates = _windows(page.sentences, hits, [term.weight for term, _ in terms], total)
    candidates.sort(key=lambda c: c[:3])
    chosen: list[Passage] = []
    taken: list[tuple[int, int]] = []
    for neg, _length, start, end, occ, found in candidates:
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        chosen.append(
            Passage(
                text=page_text[start:end],
                start=start,
                end=end,
                score=-neg,
                terms=[terms[t][0] for t in found],
                highlights=_merge((a - start, b - start) for a, b, _t, _c in occ),
            )
        )
        if len(chosen) >= limit:
            break
    return chosen
