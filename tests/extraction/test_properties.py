"""Invariants that hold for any input whatsoever."""

from itertools import pairwise

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify.extraction import extract, match_key
from verify.extraction.attribute import _scouted, left_phrase
from verify.extraction.frames import find_all, triggers
from verify.extraction.lang import PACKS
from verify.extraction.matching import key_tokens
from verify.extraction.segment import _BOILERPLATE, _BOILERPLATE_TWIN, _caption_match, _dateline, _twin
from verify.extraction.stdlib_patterns import OTHER_SCRIPTS

# Arbitrary Unicode, plus text built from the pieces the engine reacts to, so the
# interesting paths (frames, quotes, datelines, boilerplate) are exercised too.
PIECES = st.sampled_from(
    [
        "ने",
        " कहा कि ",
        "के अनुसार",
        ",",
        "।",
        ".",
        '"',
        "“",
        "”",
        "\n",
        "\n\n",
        " ",
        "उन्होंने",
        "he said",
        "according to",
        "Reuters",
        "रॉयटर्स",
        "के हवाले से",
        "MOSCOW, Sept 13 (Reuters) - ",
        "[विज्ञापन_2]",
        "Advertisement",
        "डॉ.",
        "Mr.",
        "\u093c",
        "\u094d",
        "\u200d",
        "(Photo: AP)",
        "citing",
        "बताया जा रहा है",
    ]
)
TEXTS = st.one_of(st.text(), st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=40).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_gives_consistent_ordered_claims(text):
    result = extract(text)
    last_end = 0
    for i, claim in enumerate(result.claims):
        assert result.text[claim.start : claim.end] == claim.text
        assert claim.text and claim.start >= last_end
        assert claim.attribution in ("explicit", "inherited", "none")
        if claim.inherited_from is not None:
            assert 0 <= claim.inherited_from < i
        last_end = claim.end
    for removed in result.removed:
        assert result.text[removed.start : removed.end] == removed.text
    result.as_dict()


# The shortcuts must agree with the plain patterns they stand in for, on any text.
SHORTCUT_TEXTS = st.one_of(
    TEXTS,
    st.lists(
        st.sampled_from(["ने", "कहा", "बताया", "दावा किया", " ", "\u00a0", "।", "!", "-", "क़", "ँ", "नेता", "x"])
    ).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SHORTCUT_TEXTS)
def test_scouted_frames_match_like_finditer(text):
    for pack in PACKS.values():
        for frame in (*pack.frames, *pack.citing, *pack.channels):
            if frame.reach is not None:
                got = [(m.span(), m.groupdict()) for m in _scouted(frame, text)]
                assert got == [(m.span(), m.groupdict()) for m in frame.pattern.finditer(text)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SHORTCUT_TEXTS)
def test_caption_shortcut_matches_search(text):
    for pack in PACKS.values():
        if pack.caption is not None:
            for first in range(min(len(text), 3) + 1):
                expected = pack.caption.search(text, first, len(text)) is not None
                assert _caption_match(text, first, len(text), pack) == expected


@given(SHORTCUT_TEXTS)
def test_key_tokens_fast_path_matches_regex(text):
    key = match_key(text)
    assert key_tokens(text) == tuple(regex.findall(r"[\p{L}\p{M}\p{N}]+", key))


# Standard-library twins stand in for `regex` patterns on ASCII/Devanagari ("simple") text only.
SIMPLE_PIECES = st.sampled_from(
    [
        "ने",
        " कहा कि ",
        "के अनुसार",
        "के मुताबिक",
        "उनके अनुसार",
        "उनका कहना है कि",
        "के हवाले से",
        "उन्होंने",
        "बताया जा रहा है",
        "बकौल",
        "को दिए इंटरव्यू में",
        "की रिपोर्ट में कहा गया है",
        "नेता",
        "रॉयटर्स",
        "he said",
        "said that",
        ", said Peskov",
        "told Reuters",
        "according to",
        "citing",
        "carried by",
        "reportedly",
        "it is said",
        "MOSCOW, Sept 13 (Reuters) - ",
        "नई दिल्ली, 5 मार्च (पीटीआई) ",
        "(Photo: AP)",
        "(फोटो: एएनआई)",
        "REUTERS/Ann",
        "[विज्ञापन_2]",
        "टिप्पणी (0)",
        "Advertisement",
        "Read more: x",
        "शेयर करें",
        "१२",
        "12",
        ",",
        "।",
        ".",
        '"',
        "\t",
        " ",
        "  ",
        "x",
        "क",
        "\u093c",
        "\u094d",
        "\u0902",
    ]
)
SIMPLE_TEXTS = st.one_of(
    st.lists(SIMPLE_PIECES, max_size=30).map("".join),
    st.text(
        alphabet=st.sampled_from(
            [chr(c) for c in (*range(0x09, 0x0E), *range(0x20, 0x7F), *range(0x900, 0x980))]
        )
    ),
).filter(lambda t: OTHER_SCRIPTS.search(t) is None)


def _same(got, expected):
    assert [(m.span(), m.groupdict()) for m in got] == [(m.span(), m.groupdict()) for m in expected]


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(SIMPLE_TEXTS)
def test_stdlib_twins_match_like_regex_on_simple_text(text):
    for pack in PACKS.values():
        index = triggers(pack)
        for row in (*index.frames, *index.citing, *index.channels):
            _same(find_all(row, text, True), row[1].pattern.finditer(text))
        for pattern in (pack.dateline, pack.caption):
            twin = _twin(pattern)
            if twin is not None:
                for pos in range(min(len(text), 3) + 1):
                    a, b = twin.match(text, pos), pattern.match(text, pos)
                    assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))
                    a, b = twin.search(text, pos), pattern.search(text, pos)
                    assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))
        assert _dateline(text, 0, len(text), True) == _dateline(text, 0, len(text))
        for first in range(min(len(text), 3) + 1):
            assert _caption_match(text, first, len(text), pack, True) == _caption_match(
                text, first, len(text), pack
            )
        for end in range(0, len(text) + 1, max(1, len(text) // 7)):
            assert left_phrase(text, end, pack, True) == left_phrase(text, end, pack)
    for line in (text, text.strip()):
        a, b = _BOILERPLATE_TWIN.match(line), _BOILERPLATE.match(line)
        assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.lists(st.integers(min_value=0, max_value=400), max_size=12))
def test_one_scan_finds_each_spans_triggers(text, cuts):
    low = text.casefold().replace("\u093c", "")
    points = sorted({min(c, len(low)) for c in cuts})
    spans = [(a, b) for a, b in pairwise(points) if a < b][::2]  # with gaps between
    for pack in PACKS.values():
        index = triggers(pack)
        for (a, b), live in zip(spans, index.live_each(low, spans), strict=True):
            assert live is None or live == index.live(low[a:b])
