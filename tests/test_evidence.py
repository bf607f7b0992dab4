"""The evidence matcher (verify.evidence) end to end: pure Python, no database.

Name keys and romanisation: tests/test_evidence_names.py; dates and numbers:
tests/test_evidence_grammar.py."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify.evidence import Passage, claim_terms, match_evidence
from verify.extraction import Registry, SourceEntry, default_registry

PAGES = Path(__file__).with_name("evidence_pages")
SEED = Path(__file__).resolve().parent.parent / "verify" / "demo" / "article-hi-kim-putin.txt"
TASS = (PAGES / "tass-en-peskov.txt").read_text(encoding="utf-8")
HI_PAGE = (PAGES / "hi-page.txt").read_text(encoding="utf-8")


def seed_sentence(fragment: str) -> str:
    """The seed article's sentence holding ``fragment`` (sentences end with "।")."""
    text = SEED.read_text(encoding="utf-8")
    for line in text.splitlines():
        for sentence in line.split("।"):
            if fragment in sentence:
                return sentence.strip() + "।"
    raise AssertionError(f"no seed sentence with {fragment!r}")


def marked(p: Passage) -> list[str]:
    return [p.text[a:b] for a, b in p.highlights]


def check_offsets(page: str, passages: list[Passage]) -> None:
    for p in passages:
        assert 0 <= p.start < p.end <= len(page)
        assert page[p.start : p.end] == p.text
        assert p.terms, "a passage shares at least one term"
        assert 0 <= p.score <= 100
        previous_end = 0
        for a, b in p.highlights:
            assert previous_end <= a < b <= len(p.text)
            previous_end = b
    for x, y in itertools.pairwise(passages):
        assert x.score >= y.score
    spans = sorted((p.start, p.end) for p in passages)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start, "passages never overlap"


# --- the acceptance test -------------------------------------------------------------


def test_hindi_claim_naming_peskov_and_13_september_finds_them_in_english_tass_story():
    claim = "पेस्कोव ने कहा कि 13 सितंबर को वोस्तोचनी कॉस्मोड्रोम में बातचीत पांच घंटे से अधिक चली।"
    passages = match_evidence(claim, TASS, limit=10)
    check_offsets(TASS, passages)
    best = passages[0]
    assert "Peskov said" in best.text and "September 13" in best.text
    assert {"Peskov", "September 13", "Vostochny", "Cosmodrome", "five"} <= set(marked(best))
    assert {t.text for t in best.terms} >= {"पेस्कोव", "13 सितंबर", "पांच"}
    # the distractors share fewer terms: the other September 13 sentence, Peskov elsewhere
    others = {p.text: p.score for p in passages[1:]}
    assert all(score < best.score for score in others.values())
    assert any(t.startswith("On September 13") for t in others)


def test_seed_first_sentence_finds_the_tass_lead():
    claim = seed_sentence("उच्चतम गुणवत्ता की राइफल")
    assert claim.startswith("14 सितंबर को एएफपी")
    passages = match_evidence(claim, TASS)
    check_offsets(TASS, passages)
    best = passages[0]
    assert best.text.startswith("VLADIVOSTOK, September 14. /TASS/. Russian President Vladimir Putin")
    shown = marked(best)
    assert "September 14" in shown
    assert any("Peskov" in s for s in shown)
    assert {"Putin", "Kim", "Kremlin"} <= set(shown) | {w for s in shown for w in s.split()}
    kinds = {t.kind for t in best.terms}
    assert kinds == {"name", "date"}
    assert best.score > passages[1].score
    assert best.score >= 75


def test_seed_peskov_appreciation_sentence_finds_the_peskov_paragraph():
    claim = seed_sentence("बहुत सराहना करता है")
    assert "पेस्कोव" in claim
    passages = match_evidence(claim, TASS)
    check_offsets(TASS, passages)
    best = passages[0]
    assert best.text.startswith("Peskov said on September 14 that Moscow highly appreciates")
    assert {"Peskov", "Pyongyang"} <= set(marked(best))
    # the Peskov-only distractor ranks lower
    distractor = next(p for p in passages if p.text.startswith("Peskov declined"))
    assert distractor.score < best.score
    assert [t.text for t in distractor.terms] == ["पेस्कोव"]


# --- English claim, Hindi page; the other direction of the registry ---------------------------


def test_english_claim_finds_devanagari_names_and_dates_in_hindi_page():
    claim = "Kremlin spokesman Dmitry Peskov said on September 14 that Putin gave Kim Jong Un a rifle."
    passages = match_evidence(claim, HI_PAGE)
    check_offsets(HI_PAGE, passages)
    best = passages[0]
    assert best.text.startswith("मास्को, १४ सितंबर। क्रेमलिन के प्रवक्ता दिमित्री पेस्कोव")
    shown = marked(best)
    assert {"१४ सितंबर", "दिमित्री पेस्कोव", "पुतिन", "किम जोंग-उन", "क्रेमलिन"} <= set(shown)
    assert best.score >= 90


def test_english_claim_with_registry_alias_only_finds_hindi_spelling():
    passages = match_evidence("Peskov said Russia highly appreciates the visit.", HI_PAGE)
    assert passages
    assert all("पेस्कोव" in marked(p) or "दिमित्री पेस्कोव" in marked(p) for p in passages)
    assert passages[0].text.startswith("पेस्कोव ने कहा")  # the shorter passage wins the tie


def test_transliterated_names_months_and_devanagari_digits():
    p = match_evidence("Foreign Minister Sergei Lavrov will visit Pyongyang in October.", HI_PAGE)[0]
    assert p.text.startswith("रूसी विदेश मंत्री सर्गेई लावरोव")
    assert marked(p) == ["सर्गेई लावरोव", "अक्टूबर", "प्योंगयांग"]
    assert p.score == 100
    p = match_evidence("About 1,500 people work at the Vostochny cosmodrome, built from 2012.", HI_PAGE)[0]
    assert set(marked(p)) == {"वोस्तोचनी", "२०१२", "१,५००"}


def test_names_argument_adds_the_speaker_and_outlet():
    claim = "उन्होंने कहा कि रूस इस यात्रा की सराहना करता है।"
    without = match_evidence(claim, TASS)
    assert not any("Peskov" in " ".join(marked(p)) for p in without[:1])
    with_names = match_evidence(claim, TASS, names=["क्रेमलिन के प्रवक्ता दिमित्री पेस्कोव", "TASS"])
    assert with_names and any("Peskov" in s for s in marked(with_names[0]))
    assert {t.key for t in claim_terms(claim, names=["Dmitry Peskov", "TASS"])} >= {
        ("name", "Dmitry Peskov"),
        ("name", "TASS"),
    }


def test_custom_registry_entry_matches_across_scripts():
    registry = default_registry().with_entries(
        SourceEntry("Maria Zakharova", kind="person", aliases=("Zakharova", "मारिया ज़खारोवा", "ज़ाखारोवा"))
    )
    page = "Foreign Ministry spokeswoman Maria Zakharova commented on the visit.\n\nOther news."
    passages = match_evidence("ज़ाखारोवा ने यात्रा पर टिप्पणी की।", page, registry=registry)
    assert marked(passages[0]) == ["Maria Zakharova"]
    empty = Registry(())
    assert match_evidence("टीएएसएस ने बताया।", "TASS reported it.", registry=empty) == []
    assert match_evidence("टीएएसएस ने बताया।", "TASS reported it.")[0].terms[0].key == ("name", "TASS")


# --- names in claims ----------------------------------------------------------------------------


def test_names_from_claims_and_stop_words():
    keys = {t.key for t in claim_terms("राष्ट्रपति व्लादिमीर पुतिन ने कहा कि किम जोंग-उन व्लादिवोस्तोक जाएंगे।")}
    assert {("name", "vladimir"), ("name", "putin"), ("name", "kim"), ("name", "jong", "un")} <= keys
    assert ("name", "vladivostok") in keys
    assert not {k for k in keys if k[1:] in {("ne",), ("kaha",), ("ki",), ("rastrapati",)}}
    english = {
        t.text: t
        for t in claim_terms("President Vladimir Putin met Kim Jong-un in Vladivostok on Wednesday.")
    }
    assert set(english) == {"Vladimir Putin", "Kim Jong-un", "Vladivostok"}


# --- results ------------------------------------------------------------------------------------


def test_no_shared_term_gives_nothing():
    assert match_evidence("पुतिन ने किम से मुलाकात की।", "The weather in Paris was mild today.") == []
    assert match_evidence("", TASS) == []
    assert match_evidence("पुतिन", "") == []
    assert match_evidence("और कहा कि", TASS) == []  # only stop words
    assert match_evidence("Putin", TASS, limit=0) == []


def test_ordering_and_limit():
    claim = seed_sentence("उच्चतम गुणवत्ता की राइफल")
    everything = match_evidence(claim, TASS, limit=50)
    assert len(everything) > 5
    scores = [p.score for p in everything]
    assert scores == sorted(scores, reverse=True)
    assert match_evidence(claim, TASS, limit=2) == everything[:2]
    check_offsets(TASS, everything)


def test_passages_stay_within_a_paragraph_and_windows_are_small():
    for p in match_evidence(seed_sentence("उच्चतम गुणवत्ता की राइफल"), TASS, limit=50):
        assert "\n" not in p.text
        assert p.text.count(". ") <= 4


def test_score_prefers_full_names_and_close_terms():
    page = "Putin spoke.\n\nVladimir Putin spoke.\n\nOn September 14 Vladimir Putin spoke."
    passages = match_evidence("Vladimir Putin spoke on September 14.", page)
    assert [p.text for p in passages] == [
        "On September 14 Vladimir Putin spoke.",
        "Vladimir Putin spoke.",
        "Putin spoke.",
    ]
    assert passages[0].score == 100
    assert passages[1].score < passages[0].score
    assert passages[2].score < passages[1].score


def test_big_page():
    page = ("\n\n".join([TASS, HI_PAGE]) + "\n\n") * 70
    assert len(page) > 200_000
    passages = match_evidence(seed_sentence("उच्चतम गुणवत्ता की राइफल"), page, limit=10)
    assert len(passages) == 10
    check_offsets(page, passages)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    claim=st.text(max_size=80),
    page=st.text(max_size=400),
    limit=st.integers(min_value=-1, max_value=6),
)
def test_never_raises_on_arbitrary_text(claim, page, limit):
    passages = match_evidence(claim, page, limit=limit)
    assert len(passages) <= max(limit, 0)
    check_offsets(page, passages)


_PIECES = st.sampled_from(
    ["पुतिन", "किम", "जोंग-उन", "13 सितंबर", "September 13", "Putin", "Kim Jong Un", "१,५००", "1500",
     "Sept. 13", ". ", "। ", "\n", "\n\n", " ", "पेस्कोव", "Peskov", "\u200d", "क़", "ि", "्", "-", "May 5"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(claim=st.lists(_PIECES, max_size=12).map("".join), page=st.lists(_PIECES, max_size=40).map("".join))
def test_never_raises_on_name_like_text(claim, page):
    check_offsets(page, match_evidence(claim, page, limit=10))


# --- the package -------------------------------------------------------------------------------


def test_the_matcher_imports_no_django():
    check = "import verify.evidence, sys; assert not any(m.split('.')[0] == 'django' for m in sys.modules)"
    subprocess.run([sys.executable, "-c", check], check=True, cwd=Path(__file__).resolve().parent.parent)
