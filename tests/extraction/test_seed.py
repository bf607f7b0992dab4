"""The seed article must come out exactly as its gold file says."""

from verify.extraction import extract

from .gold import ARTICLES, load_gold, score_article

SEED = ARTICLES / "article-hi-kim-putin.gold.json"


def test_seed_article_matches_gold_exactly():
    score = score_article(SEED)
    assert score.total >= 19  # 20 gold claims; the photo caption may be left out
    assert (score.correct, score.spurious, score.noise, score.problems) == (score.total, [], [], []), str(
        score
    )


def test_seed_boilerplate_is_reported_not_claimed():
    gold = load_gold(SEED)
    result = extract((ARTICLES / gold["article"]).read_text(encoding="utf-8"))
    reasons = {r.text: r.reason for r in result.removed}
    assert reasons["[विज्ञापन_2]"] == "advertisement"
    assert reasons["स्रोत लिंक"] == "source link"
    assert reasons["टिप्पणी (0)"] == "comment counter"
    assert "empty line" in reasons.values()
    assert result.language == "hi"


def test_seed_cites_peskov_through_afp():
    text = (ARTICLES / "article-hi-kim-putin.txt").read_text(encoding="utf-8")
    first = extract(text).claims[0]
    assert (first.outlet, first.speaker, first.speaker_role, first.cue) == (
        "AFP",
        "दिमित्री पेस्कोव",
        "क्रेमलिन के प्रवक्ता",
        "के हवाले से बताया कि",
    )
