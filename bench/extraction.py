"""Times claim extraction on the seed article against sentencex's bare sentence split of the same text.

Run from the project root: ``.venv/bin/python bench/extraction.py``. The last line is
``BENCH name=extract_seed value=<ms> unit=ms baseline=<ms> ratio=<value/baseline>``; an article
100x the seed's length is timed too, to show that cost grows linearly with length.
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


def main() -> None:
    text = SEED.read_text(encoding="utf-8")
    baseline = median_ms(lambda: sentencex.segment("hi", text), 500)
    value = median_ms(lambda: extract(text), 500)
    long_text = "\n".join([text] * 100)
    long_value = median_ms(lambda: extract(long_text), 7)
    long_baseline = median_ms(lambda: sentencex.segment("hi", long_text), 7)
    print(f"seed: {len(text)} chars, extract {value:.3f} ms, sentencex split {baseline:.3f} ms")
    print(
        f"100x seed: {len(long_text)} chars, extract {long_value:.1f} ms "
        f"({long_value / value:.0f}x the seed's time for 100x the text), sentencex split {long_baseline:.1f} ms"
    )
    print(
        f"BENCH name=extract_seed value={value:.3f} unit=ms baseline={baseline:.3f} ratio={value / baseline:.2f}"
    )


if __name__ == "__main__":
    main()
