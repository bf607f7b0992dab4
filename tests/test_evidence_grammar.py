"""Dates and numbers (verify.evidence.grammar), as claim terms and as page matches."""

from __future__ import annotations

import pytest

from verify.evidence import Passage, claim_terms, match_evidence
from verify.evidence.grammar import number_value, scan_dates, scan_numbers


def marked(p: Passage) -> list[str]:
    return [p.text[a:b] for a, b in p.highlights]


@pytest.mark.parametrize(
    "text",
    [
        "13 सितंबर",
        "सितंबर 13",
        "13 सितम्बर",
        "१३ सितंबर",
        "September 13",
        "13 September",
        "Sept. 13",
        "Sep 13, 2023",
        "13th of September",
        "13-Sep-2023",
        "SEPTEMBER 13",
        "2023-09-13",
    ],
)
def test_date_spellings_read_as_day_and_month(text):
    terms = claim_terms(f"The meeting on {text} ended.")
    assert [t.key for t in terms if t.kind == "date"] == [("date", 13, 9)]
    page = "Nothing here.\n\nThe leaders met on 13 September 2023 at the cosmodrome."
    assert marked(match_evidence(f"बैठक {text} को हुई।", page)[0]) == ["13 September 2023"]


def test_month_only_and_year_count():
    assert [t.key for t in claim_terms("लावरोव अक्टूबर में जाएंगे।") if t.kind == "date"] == [("month", 10)]
    assert [t.key for t in claim_terms("Lavrov visited in 2023.") if t.kind == "date"] == [("year", 2023)]
    # a month alone on the claim side matches a full date with that month on the page
    page = "He will travel on October 5, 2023.\n\nUnrelated line."
    assert marked(match_evidence("लावरोव अक्टूबर में जाएंगे।", page)[0]) == ["October 5, 2023"]
    assert marked(match_evidence("It happened in 2023.", page)[0]) == ["October 5, 2023"]
    # "may" the verb is not a month
    assert not [t for t in claim_terms("Talks may resume, he said.") if t.kind == "date"]


def test_numbers_digits_separators_and_words():
    keys = [
        t.key
        for t in claim_terms("करीब १,५०० लोग और 2,00,000 रुपये, पांच घंटे, 3.50 प्रतिशत")
        if t.kind == "number"
    ]
    assert keys == [("number", "1500"), ("number", "200000"), ("number", "3.5"), ("number", "5")]
    page = "Some 1500 people.\n\nThe talks lasted five hours.\n\nA 3.5 per cent rise."
    found = [marked(p) for p in match_evidence("करीब १,५०० लोग, पांच घंटे, 3.50 प्रतिशत", page)]
    assert sorted(found) == [["1500"], ["3.5"], ["five"]]


def test_scan_dates_and_numbers_give_spans_and_keys():
    text = "On 13 September 2023, 1,500 people and ५ officials; in October."
    dates = scan_dates(text)
    assert [(text[a:b], key, year) for a, b, key, year in dates] == [
        ("13 September 2023", ("date", 13, 9), ("year", 2023)),
        ("October", ("month", 10), None),
    ]
    assert [(text[a:b], value) for a, b, value in scan_numbers(text, dates)] == [
        ("1,500", "1500"),
        ("५", "5"),
    ]
    assert number_value("2,00,000") == "200000" and number_value("03.50") == "3.5"
