"""Sentence bounds the extractor draws on top of sentencex: initials versus "on X.", bare
datelines, the visarga used as a colon and doubled quote marks."""

from __future__ import annotations

import pytest

from verify.extraction import extract


def texts(text: str) -> list[str]:
    return [c.text for c in extract(text).claims]


def test_a_platform_named_x_ends_its_sentence():
    # sentencex splits here; it was the initials rule ("J. Smith") that joined the two back.
    assert texts("The minister wrote on X. The ministry said the plan was final.") == [
        "The minister wrote on X.",
        "The ministry said the plan was final.",
    ]
    assert texts("Zelenskiy posted a video on X. It showed the damaged plant.") == [
        "Zelenskiy posted a video on X.",
        "It showed the damaged plant.",
    ]


@pytest.mark.parametrize("text", ["The award went to J. Smith of Leeds.", "He met John F. Kennedy in 1961."])
def test_initials_before_a_name_do_not_end_a_sentence(text):
    assert texts(text) == [text]


@pytest.mark.parametrize(
    "line",
    ["कीव।", "लखनऊ।", "नई दिल्ली।", "MOSCOW —", "KYIV -", "नई दिल्ली, 5 मार्च (भाषा)", "WASHINGTON (AP) —"],
)
def test_a_dateline_alone_on_its_line_is_no_claim(line):
    story = (
        "सरकार ने कहा कि योजना जारी रहेगी।"
        if "।" in line or "(भाषा)" in line
        else "Russia said it would retaliate."
    )
    result = extract(f"{line}\n{story}\n")
    assert [c.text for c in result.claims] == [story]
    assert [(r.text, r.reason) for r in result.removed if r.text] == [(line, "dateline")]


@pytest.mark.parametrize("line", ["उन्होंने इनकार किया।", "सब ठीक है।", "बातचीत जारी है।", "बजट जल्द आएगा।"])
def test_a_short_first_sentence_is_no_bare_dateline(line):
    assert texts(f"{line}\nसरकार ने कहा कि योजना जारी रहेगी।\n")[0] == line


@pytest.mark.parametrize("line", ["बजट आएगा।", "बजट जल्द आएगा।"])
def test_a_short_line_inside_the_story_is_no_bare_dateline(line):
    """Only the first line can be a bare place: further down, "बजट आएगा।" is a sentence."""
    assert texts(f"सरकार ने कहा कि योजना जारी रहेगी।\n{line}\n")[-1] == line


def test_a_visarga_used_as_a_colon_is_cut_with_its_dateline():
    result = extract("पटना, 3 मईः बिहार सरकार ने कहा कि बाढ़ का खतरा है।")
    claim = result.claims[0]
    assert claim.text == "बिहार सरकार ने कहा कि बाढ़ का खतरा है।" and claim.speaker == "बिहार सरकार"
    assert "\u0903" not in claim.text
    assert (result.removed[0].text, result.removed[0].reason) == ("पटना, 3 मईः", "dateline")


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("उन्होंने कहा, ‘‘हम तैयार हैं।’’ फिर वे चले गए।", "उन्होंने कहा, ‘‘हम तैयार हैं।’’", "फिर वे चले गए।"),
        ("He said, ‘‘We are ready.’’ Then he left.", "He said, ‘‘We are ready.’’", "Then he left."),
        ("He said, ``We are ready.'' Then he left.", "He said, ``We are ready.''", "Then he left."),
        ('He said, "We are ready." Then he left.', 'He said, "We are ready."', "Then he left."),
    ],
)
def test_closing_quote_marks_stay_with_their_sentence(text, first, second):
    result = extract(text)
    assert [c.text for c in result.claims] == [first, second]
    for c in result.claims:
        assert result.text[c.start : c.end] == c.text


@pytest.mark.parametrize(
    "text",
    [
        "उन्होंने कहा, ‘‘हम तैयार हैं। हम लड़ेंगे।’’",
        "He said, ‘‘We are ready. We will fight.’’",
        "He said, ``We are ready. We will fight.''",
    ],
)
def test_a_doubled_quote_is_one_claim_per_sentence_with_its_closing_marks(text):
    """A quotation over two sentences is two claims (one per sentence); the closing marks stay
    in the last one, which inherits the speaker of the first."""
    claims = extract(text).claims
    assert len(claims) == 2 and "".join(c.text for c in claims).replace(" ", "") == text.replace(" ", "")
    assert claims[1].text.endswith(text[-2:])
    assert [c.attribution for c in claims] == ["explicit", "inherited"]


def test_an_opening_quote_starts_the_next_sentence():
    assert texts('He left. "We are ready," she said.') == ["He left.", '"We are ready," she said.']


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("नई दिल्ली, दो दिसंबर (भाषा) सरकार ने कहा कि योजना जारी रहेगी।", "नई दिल्ली, दो दिसंबर (भाषा)"),
        ("Riyadh, Dec 2 (PTI) The government said the scheme would continue.", "Riyadh, Dec 2 (PTI)"),
        (
            "New Delhi, March 5 (PTI): The government said the scheme would continue.",
            "New Delhi, March 5 (PTI):",
        ),
    ],
)
def test_datelines_with_the_day_in_words_or_the_place_in_title_case(text, dateline):
    result = extract(text)
    assert (result.removed[0].text, result.removed[0].reason) == (dateline, "dateline")
    assert result.claims[0].text == text[len(dateline) :].strip()


def test_a_title_case_phrase_without_date_and_agency_is_no_dateline():
    text = "New Delhi, the capital, said the scheme would continue."
    assert texts(text) == [text]


def test_a_headline_above_the_story_is_furniture_not_a_claim():
    """Portals paste the headline above the byline and the story; it ends in no sentence mark."""
    text = (
        "बिहार: गंडक नदी पर निर्माणाधीन पुल का हिस्सा ढहा, विपक्ष ने सरकार को घेरा\n"
        "Written By: आईएएनएस | Updated: December 02, 2026 20:05 IST\n\n"
        "टोक्यो।\n"
        "पुल का एक हिस्सा मंगलवार रात ढह गया। जिलाधिकारी ने कहा कि जांच होगी।\n"
    )
    result = extract(text)
    assert [r.reason for r in result.removed if r.text.startswith("बिहार")] == ["headline"]
    assert "टोक्यो।" in [r.text for r in result.removed if r.reason == "dateline"]
    assert [c.text for c in result.claims] == [
        "पुल का एक हिस्सा मंगलवार रात ढह गया।",
        "जिलाधिकारी ने कहा कि जांच होगी।",
    ]


def test_a_line_that_is_not_a_headline_stays_a_claim():
    # a one-line paste, a sentence with its mark, a story line below the first paragraph
    assert [c.text for c in extract("Peskov said the talks were useful").claims] == [
        "Peskov said the talks were useful"
    ]
    text = "Peskov said the talks were useful.\nA second meeting is planned\nIt will be in Moscow.\n"
    assert len(extract(text).claims) == 3
    captioned = "Kim and Putin at the cosmodrome (Photo: KCNA)\nThe talks lasted five hours.\n"
    assert extract(captioned).claims[0].caption
