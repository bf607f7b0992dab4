"""The wire credit: the agency of the dateline, a leading credit line or a sign-off, as the
registry's canonical name in ``Extraction.wire_credit``; never a claim's outlet."""

from __future__ import annotations

import pytest

from verify.extraction import SourceEntry, default_registry, extract

from .gold import ARTICLES, load_gold

STORY_HI = "सरकार ने कहा कि योजना जारी रहेगी।"
STORY_EN = "The government said the scheme would continue."


@pytest.mark.parametrize(
    ("text", "credit"),
    [
        (f"नई दिल्ली, 5 मार्च (भाषा) {STORY_HI}", "PTI"),
        (f"नई दिल्ली, 5 मार्च (पीटीआई) {STORY_HI}", "PTI"),
        (f"इस्लामाबाद, 5 मई (पीटीआई) {STORY_HI}", "PTI"),
        (f"लखनऊ, 3 मई (वार्ता) {STORY_HI}", "UNI"),
        (f"लखनऊ, 3 मई (यूनीवार्ता) {STORY_HI}", "UNI"),
        (f"नई दिल्ली, 12 अप्रैल (आईएएनएस)। {STORY_HI}", "IANS"),
        (f"(आईएएनएस)\n{STORY_HI}", "IANS"),
        (f"नई दिल्ली, 5 मार्च (भाषा)\n{STORY_HI}", "PTI"),
        (f"MOSCOW (Reuters) - {STORY_EN}", "Reuters"),
        (f"New Delhi, Dec 2 (PTI) {STORY_EN}", "PTI"),
        (f"नई दिल्ली, दो दिसंबर (भाषा) {STORY_HI}", "PTI"),
        (f"{STORY_EN}\nPTI RS NSA", "PTI"),
        (f"{STORY_HI}\nराज त्रिपाठी वार्ता", "UNI"),
        (f"WASHINGTON (AP) — {STORY_EN}", "AP"),
        (f"BEIJING, March 5 (Xinhua) -- {STORY_EN}", "Xinhua"),
        (f"By Reuters\n{STORY_EN}", "Reuters"),
        (f"IANS | Updated: Mar 5, 2026 10:15 IST\n{STORY_EN}", "IANS"),
        (f"{STORY_HI}\nभाषा राजकुमार", "PTI"),
        (f"{STORY_HI}\nभाषा अविनाश माधव\n\nटैग्स: योजना", "PTI"),
        (f"{STORY_HI}\n--आईएएनएस\nएसकेपी/एबीएम", "IANS"),
        (f"{STORY_HI}\n(भाषा)", "PTI"),
        (f"{STORY_EN}\n(With inputs from PTI)", "PTI"),
        (f"नई दिल्ली, 5 मार्च (एजेंसी) {STORY_HI}", None),
        (f"{STORY_HI}\nएजेंसी इनपुट के साथ", None),
        (f"पटना, 3 मईः {STORY_HI}", None),
        (f"नई दिल्ली, 5 मार्च (संवाददाता) {STORY_HI}", None),
        (STORY_HI, None),
    ],
)
def test_the_credit_is_the_registrys_outlet(text, credit):
    result = extract(text)
    assert result.wire_credit == credit
    assert result.as_dict()["wire_credit"] == credit


def test_a_generic_credit_gives_way_to_a_named_one():
    assert extract(f"नई दिल्ली, 5 मार्च (एजेंसी) {STORY_HI}\nभाषा राजकुमार").wire_credit == "PTI"


@pytest.mark.parametrize(
    "text",
    [f"नई दिल्ली, 5 मार्च (भाषा) {STORY_HI}\nबजट जल्द आएगा।", f"MOSCOW (Reuters) - {STORY_EN}\nPrices rose."],
)
def test_the_credit_is_no_claims_outlet(text):
    """The story's own voice stays unattributed: the review page shows "via <credit>"."""
    result = extract(text)
    assert result.wire_credit is not None
    assert all(c.outlet is None for c in result.claims)
    own = result.claims[-1]
    assert (own.attribution, own.speaker, own.outlet) == ("none", None, None)


def test_credit_only_spellings_are_no_aliases():
    """Credit-only spellings, "भाषा" (language) and "वार्ता" (talks), name an agency only as a credit."""
    registry = default_registry()
    assert registry.find("भाषा", kind="outlet") is None and registry.find("वार्ता", kind="outlet") is None
    claims = extract("मंत्री ने भाषा के सवाल पर कहा कि वार्ता जारी रहेगी।").claims
    assert claims[0].outlet is None


def test_the_credit_resolves_through_the_given_registry():
    text = f"KATHMANDU, March 5 (RSS) - {STORY_EN}"
    assert extract(text).wire_credit is None
    newsroom = default_registry().with_entries(SourceEntry("Rastriya Samachar Samiti", aliases=("RSS",)))
    assert extract(text, registry=newsroom).wire_credit == "Rastriya Samachar Samiti"


@pytest.mark.parametrize("gold", sorted(p for p in ARTICLES.glob("*-wire-*.gold.json")), ids=lambda p: p.stem)
def test_wire_articles_carry_their_credit(gold):
    data = load_gold(gold)
    result = extract((ARTICLES / data["article"]).read_text(encoding="utf-8"))
    assert result.wire_credit == data["wire_credit"]
    assert all(c.outlet is None for c in result.claims)
