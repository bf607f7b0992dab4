"""The held-out set (tests/extraction/holdout/, see its README) stays above the issue's bar of
93 in 100 with no page furniture in any claim and no spurious claim."""

from pathlib import Path

from .gold import score_article

HOLDOUT = Path(__file__).with_name("holdout")


def test_the_held_out_wire_copy_scores_above_the_bar():
    golds = sorted(HOLDOUT.glob("*.gold.json"))
    assert len(golds) == 8
    scores = [score_article(p) for p in golds]
    correct, total = sum(s.correct for s in scores), sum(s.total for s in scores)
    report = "\n".join(str(s) for s in scores if s.problems or s.spurious or s.noise)
    assert total >= 120
    assert correct >= 0.93 * total, report
    assert not any(s.noise for s in scores), report
    assert not any(s.spurious for s in scores), report
