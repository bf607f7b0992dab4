"""Invariants that hold for any input whatsoever."""

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify.extraction import extract, match_key
from verify.extraction.attribute import _scouted
from verify.extraction.lang import PACKS
from verify.extraction.matching import key_tokens
from verify.extraction.segment import _caption_match

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
