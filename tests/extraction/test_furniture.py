"""Page furniture as data (verify/extraction/data/furniture.json): every rule's example is
removed with its reason, and prose that starts like furniture is kept."""

from __future__ import annotations

import json

import pytest

from verify.extraction import extract, furniture
from verify.extraction.lang import PACKS

RULES = furniture.all_patterns()
PROSE = {
    "hi": "सरकार ने सोमवार को कहा कि योजना जारी रहेगी।",
    "en": "The government said on Monday that the scheme would continue.",
}
FIELDS = {"name", "language", "family", "where", "regex", "reason", "example"}


def _article(rule: furniture.Furniture) -> str:
    """The rule's example inside a story: between two prose lines, or as the last line for an
    "end" rule (a sign-off only counts where the story ends)."""
    prose = PROSE["hi" if rule.language == "hi" else "en"]
    if rule.where == "end":
        return f"{prose}\n{prose}\n{rule.example}\n"
    return f"{prose}\n{rule.example}\n{prose}\n"


def test_the_data_file_is_well_formed():
    data = json.loads(furniture.DATA_FILE.read_text(encoding="utf-8"))
    names = [item["name"] for item in data["patterns"]]
    assert len(names) == len(set(names)) == len(RULES)
    for item in data["patterns"]:
        assert FIELDS <= set(item), item["name"]
        assert item["language"] in {"hi", "en", "any"} and item["where"] in {"line", "end"}
        assert item["family"] and item["reason"] and item["example"].strip() == item["example"]
    families = {item["family"] for item in data["patterns"]}
    assert {"portal", "pti-bhasha", "reuters", "ap", "ians"} <= families


def test_the_packs_take_their_furniture_from_the_data():
    for code, pack in PACKS.items():
        assert pack.boilerplate == furniture.patterns(code)
        assert all(rule.language in (code, "any") for rule in pack.boilerplate)


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_example_is_removed_with_its_reason(rule):
    assert rule.pattern.match(furniture.fold(rule.example)), "the rule does not match its own example"
    result = extract(_article(rule))
    removed = [r for r in result.removed if r.text == rule.example]
    assert removed, f"{rule.example!r} was not removed"
    assert removed[0].reason == rule.reason
    assert result.text[removed[0].start : removed[0].end] == rule.example
    assert not any(rule.example in c.text or c.text in rule.example for c in result.claims)
    assert len(result.claims) == 2  # both prose lines survive


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by the ministry showed the deficit narrowed in March.",
        "Tags on the bags were checked by customs officers, the airport said.",
        "Published reports said five people were killed.",
        "Updated figures showed exports rose 5% in February.",
        "By the end of the year, the bank said, rates would fall.",
        "Copyright laws were changed in 2026, the minister said.",
        "Follow-up talks will be held in Geneva, officials said.",
        "Continue reading the report, the minister told lawmakers.",
        "Editing by hand is slow, the publisher said.",
        "Sign up rates for the scheme fell sharply last year, the ministry said.",
        "मंत्री ने कहा कि उत्पादों पर नए टैग्स लगाए जाएंगे।",
        "टैग्स को लेकर व्यापारियों ने शिकायत की है।",
        "लेखक सलमान रुश्दी ने कहा कि वह भारत आएंगे।",
        "भाषा विवाद पर सरकार ने कहा कि बातचीत होगी।",
        "कंपनी ने कहा कि फेसबुक पर उसे फॉलो करने वालों की संख्या बढ़ी है।",
        "यह खबर सही नहीं है, मंत्रालय ने कहा।",
        "अपडेटेड आंकड़ों के मुताबिक महंगाई घटी है।",
        "This report is based on data edited by the ministry.",
        "Users rushed to download the new app after the outage, the company said.",
        "Get all the help you need, the minister told farmers on the news channel.",
        "Updated: Russia says it has taken the village.",  # (without its full stop, at the top: a headline)
        "अपडेट: सरकार ने कहा कि राहत पैकेज जल्द आएगा।",
        "इस खबर को संपादित करने वाले पत्रकार को पुरस्कार मिला।",
    ],
)
def test_prose_that_starts_like_furniture_is_kept(line):
    """Furniture rules match whole lines; a sentence of the story that begins with the same
    words ("Reporting by the ministry showed …", "टैग्स को लेकर …") stays a claim, even last."""
    for text in (f"{line}\n{PROSE['en']}\n", f"{PROSE['en']}\n{line}\n"):
        result = extract(text)
        assert [c.text for c in result.claims if c.text == line] == [line], result.removed


def test_a_sign_off_counts_only_where_the_story_ends():
    text = "भाषा राजकुमार सुरेश\nसरकार ने कहा कि योजना जारी रहेगी।\n"
    assert not any(r.reason == "wire sign-off" for r in extract(text).removed)
    ended = extract("सरकार ने कहा कि योजना जारी रहेगी।\nभाषा राजकुमार सुरेश\n\nटैग्स: योजना\n")
    assert [r.reason for r in ended.removed if r.text.strip()] == ["wire sign-off", "tags"]


def test_rules_fold_nukta_and_chandrabindu():
    """Written with or without nukta ("ख़बर" / "खबर") or chandrabindu, a line is the same furniture."""
    for line in ("यह ख़बर आईएएनएस की फ़ीड से प्रकाशित की गई है।", "यह खबर आईएएनएस की फीड से प्रकाशित की गई है।"):
        assert [r.reason for r in extract(f"{PROSE['hi']}\n{line}\n").removed] == ["syndication disclaimer"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("भाषा अविनाश माधव", "wire sign-off"),
        ("(भाषा)", "wire credit"),
        ("(एजेंसी)", "wire credit"),
        ("(आईएएनएस)", "wire credit"),
        ("एजेंसी इनपुट के साथ", "wire credit"),
        ("यह ख़बर आईएएनएस की फीड से प्रकाशित की गई है।", "syndication disclaimer"),
        (
            "This story has not been edited by Business Standard staff and is auto-generated from a syndicated feed.",
            "syndication disclaimer",
        ),
        ("ताज़ा ख़बरों के लिए हमें गूगल न्यूज़ पर फॉलो करें", "share/follow"),
        ("Edited By: Rahul Sharma", "byline"),
        ("लेखक: अमित कुमार", "byline"),
        ("Published: March 5, 2026 10:15 IST", "date stamp"),
        ("First published on: 05-03-2026 at 10:15 IST", "date stamp"),
        ("Updated - March 5, 2026 10:15 am IST", "date stamp"),
        ("अपडेटेड: 05 मार्च 2026", "date stamp"),
        ("Additional reporting by Guy Faulconbridge", "wire trailer"),
        ("(Reporting by Andrew Osborn; Editing by Alex Richardson)", "wire trailer"),
        ("Continue reading", "page control"),
        ("IANS | Updated: Mar 5, 2026 10:15 IST", "wire credit"),
    ],
)
def test_the_furniture_named_in_the_brief_is_removed(line, reason):
    """Forms beyond each rule's one example: the sign-offs, credits, disclaimers and trailers
    that portals and wires put around their copy."""
    result = extract(f"{PROSE['en']}\n{PROSE['hi']}\n{line}\n")
    assert [(r.text, r.reason) for r in result.removed if r.text] == [(line, reason)]
    assert len(result.claims) == 2
