"""Times claim extraction on the seed article against sentencex's bare sentence split of the same text.

Run from the project root: ``.venv/bin/python bench/extraction.py``. The last line is
``BENCH name=extract_seed value=<ms> unit=ms baseline=<ms> ratio=<value/baseline>``; an article
100x the seed's length is timed too, to show that cost grows linearly with length.

Process layout: one Python process, one thread, nothing else of verify running; the default
registry (no database). The two are timed in alternation, one baseline run then one extraction,
500 rounds: on a shared machine a busy spell then slows both alike, and the ratio is the median
of the rounds' ratios (the values shown are the medians of each side).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sentencex  # noqa: E402

from verify.extraction import extract  # noqa: E402

SEED = ROOT / "tests" / "extraction" / "articles" / "article-hi-kim-putin.txt"


def median_ms(fn, runs: int) -> float:
    fn()  # warm caches (registry index, compiled patterns)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def alternated_ms(base, fn, rounds: int) -> tuple[float, float, float]:
    """(median ms of ``base``, median ms of ``fn``, median of their per-round ratios), the two
    timed one after the other in each round."""
    base()
    fn()  # warm caches (registry index, compiled patterns)
    pairs = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        base()
        t1 = time.perf_counter()
        fn()
        t2 = time.perf_counter()
        pairs.append(((t1 - t0) * 1000, (t2 - t1) * 1000))
    return (
        statistics.median(b for b, _ in pairs),
        statistics.median(v for _, v in pairs),
        statistics.median(v / b for b, v in pairs),
    )


def main() -> None:
    text = SEED.read_text(encoding="utf-8")
    baseline, value, ratio = alternated_ms(lambda: sentencex.segment("hi", text), lambda: extract(text), 500)
    long_text = "\n".join([text] * 100)
    long_value = median_ms(lambda: extract(long_text), 7)
    long_baseline = median_ms(lambda: sentencex.segment("hi", long_text), 7)
    print(f"seed: {len(text)} chars, extract {value:.3f} ms, sentencex split {baseline:.3f} ms")
    print(
        f"100x seed: {len(long_text)} chars, extract {long_value:.1f} ms "
        f"({long_value / value:.0f}x the seed's time for 100x the text), sentencex split {long_baseline:.1f} ms"
    )
    print(
        f"BENCH name=extract_seed value={value:.3f} unit=ms baseline={baseline:.3f} ratio={ratio:.2f}"
    )


if __name__ == "__main__":
    main()
