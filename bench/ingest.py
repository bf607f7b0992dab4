"""Times bulk ingestion (``manage.py ingest_article --jsonl``) against bare claim extraction.

Run from the project root: ``.venv/bin/python bench/ingest.py [--articles N]`` (default 5,000).

Why: a newsroom that adopts verify brings its archive, thousands of articles at once. Extraction
is the irreducible work; everything else the command does (reading JSON lines, deduplication
by content hash, loading the source registry, resolving speakers and outlets, writing the
article and its claims in a transaction) is overhead on top. The ratio says how much of the
ingest rate the storage side costs: 1.0 would mean storing is free.

How:
- ``--articles`` distinct articles (default 5,000): one in four is the Hindi seed article
  (verify/demo/article-hi-kim-putin.txt) with a numbered sentence added and its figures varied,
  the rest English wire-style texts of 3 to 30 sentences with varied outlets, speakers, numbers
  and ports; written to a JSON-lines file ({"text", "title", "lang"?}).
- Baseline: ``verify.extraction.extract`` over every article in-process, with the registry
  as the database holds it (loaded once), nothing written.
- Value: ``call_command("ingest_article", "--jsonl", FILE)`` in-process on a throwaway database
  (SQLite in a temporary folder, or a temporary PostgreSQL database when ``DATABASE_URL`` points
  at one), timed from the call to its return; every article must come out ingested.

The last line is ``BENCH name=ingest_5000 value=<articles/s> unit=articles/s
baseline=<extract-only articles/s> ratio=<value/baseline>`` (the name follows ``--articles``).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, ThrowawayDatabase, analyze, bench_line, machine, setup_django, table

SEED = ROOT / "verify" / "demo" / "article-hi-kim-putin.txt"
OUTLETS = ["Reuters", "AP", "AFP", "Bloomberg", "the BBC", "Al Jazeera", "TASS", "Xinhua"]
SPEAKERS = [
    "the harbour master",
    "a ministry spokesperson",
    "Deputy Minister Olena Koval",
    "the shipping company",
    "port officials",
    "the coast guard",
]
PORTS = ["Odesa", "Mumbai", "Rotterdam", "Chittagong", "Mombasa", "Piraeus", "Busan", "Santos"]
CARGO = ["wheat", "fertiliser", "containers", "crude oil", "steel coils", "rice", "timber"]
HINDI_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")


def wire_text(i: int, rng: random.Random) -> str:
    """An English wire-style article: attributed sentences in short paragraphs."""
    sentences = []
    for k in range(rng.randint(3, 30)):
        outlet, speaker = rng.choice(OUTLETS), rng.choice(SPEAKERS)
        port, cargo = rng.choice(PORTS), rng.choice(CARGO)
        n = rng.randint(2, 90_000)
        sentences.append(
            rng.choice(
                [
                    f"{outlet} reported that shipment number {i}-{k} left the port of {port}.",
                    f'"The {cargo} cargo of {n} tonnes reached {port} on time," {speaker} said.',
                    f"According to {outlet}, {speaker} confirmed that {n} tonnes of {cargo} were delayed.",
                    f"{speaker.capitalize()} told {outlet} that talks on route {i}.{k} would resume.",
                ]
            )
        )
    paragraphs = [" ".join(sentences[p : p + 3]) for p in range(0, len(sentences), 3)]
    return "\n\n".join(paragraphs)


def hindi_text(i: int, seed: str) -> str:
    """The seed Hindi article with its figures shifted and a numbered wire line added."""
    varied = seed.replace("14 सितंबर", f"{i % 28 + 1} सितंबर")
    extra = f"रॉयटर्स ने बताया कि जहाज़ संख्या {str(i).translate(HINDI_DIGITS)} बंदरगाह से रवाना हुआ।"
    return f"{varied}\n\n{extra}"


def make_articles(n: int) -> list[dict]:
    rng = random.Random(20240914)
    seed = SEED.read_text(encoding="utf-8")
    articles = []
    for i in range(n):
        if i % 4 == 0:
            articles.append({"text": hindi_text(i, seed), "title": f"पुतिन और किम {i}", "lang": "hi"})
        else:
            articles.append({"text": wire_text(i, rng), "title": f"Wire {i}"})
    assert len({a["text"] for a in articles}) == n, "articles must be distinct"
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000, help="articles to ingest (default 5,000)")
    args = parser.parse_args()
    if args.articles < 1:
        parser.error("--articles must be positive")
    n = args.articles
    articles = make_articles(n)
    chars = sum(len(a["text"]) for a in articles)

    with ThrowawayDatabase() as database, tempfile.TemporaryDirectory(prefix="verify-bench-") as tmp:
        setup_django()
        from django.core.management import call_command

        from verify.extraction import extract
        from verify.models import Article, Claim
        from verify.services.registry import registry_from_db

        path = Path(tmp) / "articles.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for a in articles:
                f.write(json.dumps(a, ensure_ascii=False) + "\n")

        registry = registry_from_db()
        extract(articles[0]["text"], registry=registry)  # compiled patterns, registry index
        t0 = time.perf_counter()
        extracted = sum(
            len(extract(a["text"], lang=a.get("lang"), registry=registry).claims) for a in articles
        )
        extract_s = time.perf_counter() - t0

        out, err = io.StringIO(), io.StringIO()
        t0 = time.perf_counter()
        call_command("ingest_article", "--jsonl", str(path), stdout=out, stderr=err)
        ingest_s = time.perf_counter() - t0
        summary = out.getvalue().splitlines()[0]
        assert summary == f"ingested {n}, already there 0, refused 0", out.getvalue()[:2000]
        stored = Claim.objects.count()
        assert Article.objects.count() == n
        analyze()

        base_rate, rate = n / extract_s, n / ingest_s
        print(
            f"machine: {machine()}; database: {database.describe()}; {n:,} articles, "
            f"{chars / 1e6:.1f} M characters, {stored:,} claims stored ({extracted:,} extracted)"
        )
        print(
            table(
                ["step", "seconds", "articles/s", "ms/article"],
                [
                    [
                        "extract only (in-process)",
                        f"{extract_s:.1f}",
                        f"{base_rate:.1f}",
                        f"{1000 / base_rate:.2f}",
                    ],
                    ["ingest_article --jsonl", f"{ingest_s:.1f}", f"{rate:.1f}", f"{1000 / rate:.2f}"],
                ],
            )
        )
        print(f"command summary: {summary}")
        print(bench_line(f"ingest_{n}", rate, "articles/s", base_rate, digits=1))


if __name__ == "__main__":
    main()
