"""Invariants that hold for any input whatsoever."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify.extraction import extract
from verify.extraction.frames import lowered
from verify.extraction.lang import PACKS

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


# The trigger-word automaton of a pack must find just the frames a substring test finds.
TRIGGER_WORDS = {t for p in PACKS.values() for f in (*p.frames, *p.citing, *p.channels) for t in f.triggers}
TRIGGER_TEXTS = st.one_of(
    TEXTS,
    st.lists(st.sampled_from([*sorted(TRIGGER_WORDS), " ", "x", "\u093c", "\u0902", "ा"])).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TRIGGER_TEXTS)
def test_live_frames_are_those_with_a_trigger_word_in_the_sentence(text):
    low = lowered(text)
    for pack in PACKS.values():
        frames = (*pack.frames, *pack.citing, *pack.channels)
        expected = {f for f in frames if not f.triggers or any(t in low for t in f.triggers)}
        assert pack.live_frames(low) == expected
