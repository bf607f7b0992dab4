"""Our own annotated wire stories (Hindi and English), scored with the shared scorer's rules."""

from .gold import ARTICLES, load_gold, score_article

GOLDS = sorted(p for p in ARTICLES.glob("*.gold.json") if not p.name.startswith("article-hi-kim-putin"))
BAR = 0.95  # share of gold claims that must come out right, across all articles


def test_there_are_enough_annotated_articles():
    assert len(GOLDS) >= 8
    assert sum(len(load_gold(p)["claims"]) for p in GOLDS) >= 80
    assert {load_gold(p)["language"] for p in GOLDS} == {"hi", "en"}


def test_annotated_articles_score_above_the_bar():
    scores = [score_article(p) for p in GOLDS]
    correct = sum(s.correct for s in scores)
    total = sum(s.total for s in scores)
    report = "\n".join(str(s) for s in scores if s.problems or s.spurious or s.noise)
    print(f"annotated articles: correct {correct} of {total} ({100 * correct / total:.1f}%)")
    assert correct >= BAR * total, report
    assert not any(s.noise for s in scores), report
    assert sum(len(s.spurious) for s in scores) <= 1, report
