"""Times the streaming CSV export against django-import-export's export of the same rows.

Run from the project root: ``.venv/bin/python bench/export.py [--claims N]`` (default 200,000).
It builds a throwaway database — SQLite in a temporary folder, or, when ``DATABASE_URL`` is set,
a temporary PostgreSQL database on that server that is dropped afterwards — fills it with
articles, claims (each exactly ``article.body[start:end]``, as the database trigger demands),
verdicts and reference links, then exports every claim:

- ``verify.export``: ``iter_csv_rows(claims_for_export())``, all lines consumed;
- baseline: a django-import-export ``ModelResource`` over ``Claim`` with the same columns, fed
  the same annotated queryset (so both run the same SQL), rendered to CSV with tablib. When
  django-import-export is not installed a naive export (the whole result as a list, one
  ``csv.writer`` over a ``StringIO``) stands in and is labelled so.

Each export is timed on its own, then run again under tracemalloc for its peak memory growth.
The last line is ``BENCH name=export_200k value=<s> unit=s baseline=<s> ratio=<value/baseline>``.
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import io
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ThrowawayDatabase  # noqa: E402

MB = 1024 * 1024
STATUSES = ["corroborated", "disputed", "unverifiable", "unreviewed"]
NOTES = [
    "Checked against the ministry's readout, which says the same.",
    'The "official" figure differs, see the link;\nsecond line of the note.',
    '=HYPERLINK("http://evil.example","click")',
    "स्रोत नहीं मिला, जाँच जारी है।",
    "",
]


# --- Data ------------------------------------------------------------------------------------


def populate(n_claims: int, per_article: int) -> None:
    """Articles of ``per_article`` sentences each, one claim per sentence; three claims in four
    reviewed (every tenth of those twice), every fifth claim with a reference link."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from verify.models import Article, Claim, ReferenceLink, Source, Verdict

    reviewers = [get_user_model().objects.create_user(f"reviewer{i}") for i in range(5)]
    outlets = [*Source.objects.filter(kind=Source.Kind.OUTLET)[:20], None]
    people = Source.objects.bulk_create(
        [Source(name=f"Spokesperson {i}", kind=Source.Kind.PERSON) for i in range(50)]
    )
    people.append(Source.objects.create(name='=HYPERLINK("x") Minister', kind=Source.Kind.PERSON))
    n_articles = -(-n_claims // per_article)
    made = 0
    for a in range(n_articles):
        count = min(per_article, n_claims - made)
        sentences = [
            f'Spokesperson {i % 50} said "shipment {i}, article {a}" left the port of Odesa, on time.'
            if i % 7
            else f'वार्ता {a}-{i} के बाद, "निर्यात" बढ़ा।'
            for i in range(count)
        ]
        body, spans, pos = [], [], 0
        for i, sentence in enumerate(sentences):
            spans.append((pos, pos + len(sentence)))
            body.append(sentence)
            pos += len(sentence) + 1
            if i % 5 == 4:  # paragraphs of five sentences
                body.append("")
                pos += 1
        text = "\n".join(body)
        with transaction.atomic():
            article = Article.objects.create(
                title=f'Bench article {a}, with "quotes"',
                body=text,
                language="en",
                source_url=f"https://news.example/{a}",
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
            )
            claims = []
            for i, (start, end) in enumerate(spans):
                speaker = people[i % len(people)]
                claims.append(
                    Claim(
                        article=article,
                        order=i,
                        paragraph=i // 5,
                        start=start,
                        end=end,
                        text=text[start:end],
                        attribution="explicit",
                        cue="said",
                        speaker=speaker,
                        speaker_text=speaker.name,
                        outlet=outlets[i % len(outlets)],
                        status=STATUSES[(a + i) % 4],
                    )
                )
            Claim.objects.bulk_create(claims, batch_size=1000)
            verdicts, links = [], []
            for i, claim in enumerate(claims):
                if claim.status != "unreviewed":
                    times = 2 if i % 10 == 0 else 1
                    for k in range(times):
                        verdicts.append(
                            Verdict(
                                claim=claim,
                                status=claim.status if k == times - 1 else "unverifiable",
                                note=NOTES[(i + k) % len(NOTES)],
                                reviewer=reviewers[(i + k) % len(reviewers)],
                                claim_text=claim.text,
                                evidence_urls=[f"https://evidence.example/{claim.pk}/{k}"],
                            )
                        )
                if i % 5 == 0:
                    links.append(
                        ReferenceLink(
                            article=article, claim=claim, url=f"https://evidence.example/{claim.pk}/0"
                        )
                    )
                    links.append(
                        ReferenceLink(article=article, claim=claim, url=f"https://source.example/{claim.pk}")
                    )
            Verdict.objects.bulk_create(verdicts, batch_size=1000)
            ReferenceLink.objects.bulk_create(links, batch_size=1000)
        made += count


# --- The two exports -------------------------------------------------------------------------


def streaming_export() -> int:
    """verify.export: every CSV line produced; returns the number of characters."""
    from verify.export import claims_for_export, iter_csv_rows

    size = 0
    for line in iter_csv_rows(claims_for_export()):
        size += len(line)
    return size


def import_export_baseline() -> Callable[[], int] | None:
    """django-import-export over the same annotated queryset, or None when it is not installed."""
    try:
        from import_export import fields, resources
    except ImportError:
        return None

    from verify.export import HEADER, _LinkUrls, claim_url_builder, claims_for_export
    from verify.models import Claim

    claim_url = claim_url_builder()

    class ClaimResource(resources.ModelResource):
        article_id = fields.Field(attribute="article_id", column_name="article_id")
        article_title = fields.Field(attribute="article__title", column_name="article_title")
        article_url = fields.Field(attribute="article__source_url", column_name="article_url")
        claim_id = fields.Field(attribute="id", column_name="claim_id")
        claim_order = fields.Field(column_name="claim_order")
        claim_text = fields.Field(attribute="text", column_name="claim_text")
        speaker = fields.Field(column_name="speaker")
        outlet = fields.Field(attribute="outlet__name", column_name="outlet")
        outlet_state_affiliated = fields.Field(column_name="outlet_state_affiliated")
        attribution = fields.Field(attribute="attribution", column_name="attribution")
        cue = fields.Field(attribute="cue", column_name="cue")
        status = fields.Field(attribute="status", column_name="status")
        note = fields.Field(attribute="latest_note", column_name="note")
        reviewer = fields.Field(attribute="latest_reviewer", column_name="reviewer")
        reviewed_at = fields.Field(column_name="reviewed_at")
        evidence_urls = fields.Field(column_name="evidence_urls")
        claim_url = fields.Field(column_name="claim_url")
        wire_credit = fields.Field(attribute="article__wire_credit__name", column_name="wire_credit")
        speaker_role = fields.Field(attribute="speaker_role", column_name="speaker_role")
        speaker_kind = fields.Field(attribute="speaker_kind", column_name="speaker_kind")

        class Meta:
            model = Claim
            fields = HEADER
            export_order = HEADER

        def dehydrate_claim_order(self, claim):
            return claim.order + 1

        def dehydrate_speaker(self, claim):
            return claim.speaker.name if claim.speaker else claim.speaker_text

        def dehydrate_outlet_state_affiliated(self, claim):
            return ("yes" if claim.outlet.state_affiliated else "no") if claim.outlet else ""

        def dehydrate_reviewed_at(self, claim):
            return claim.latest_at.isoformat(timespec="seconds") if claim.latest_at else ""

        def dehydrate_evidence_urls(self, claim):
            links = claim.link_urls.split("\x1f") if claim.link_urls else []
            return " ".join(dict.fromkeys([*(claim.latest_evidence or []), *links]))

        def dehydrate_claim_url(self, claim):
            return claim_url(claim.article_id, claim.pk)

    def run() -> int:
        queryset = (
            claims_for_export()
            .annotate(link_urls=_LinkUrls())
            .select_related("article__wire_credit", "speaker", "outlet")
        )
        return len(ClaimResource().export(queryset=queryset).csv)

    return run


def naive_baseline() -> int:
    """Stand-in when django-import-export is missing: the whole result in memory, then CSV."""
    from verify.export import _LinkUrls, claims_for_export

    rows = list(
        claims_for_export().annotate(link_urls=_LinkUrls()).select_related("article", "speaker", "outlet")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    for c in rows:
        writer.writerow(
            [c.article_id, c.article.title, c.pk, c.order + 1, c.text, c.latest_note, c.link_urls]
        )
    return len(out.getvalue())


def timed(fn: Callable[[], int]) -> tuple[float, int]:
    gc.collect()
    start = time.perf_counter()
    size = fn()
    return time.perf_counter() - start, size


def peak_growth(fn: Callable[[], int]) -> float:
    """Peak Python memory allocated while ``fn`` runs, in MB (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - base) / MB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=200_000, help="claims to export (default 200,000)")
    parser.add_argument("--per-article", type=int, default=200, help="claims per article (default 200)")
    args = parser.parse_args()
    if args.claims < 1 or args.per_article < 1:
        parser.error("--claims and --per-article must be positive")

    with ThrowawayDatabase() as database:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        populate(args.claims, args.per_article)
        from django.db import connection

        with connection.cursor() as cursor:  # planner statistics, as a live database has them
            cursor.execute("ANALYZE")
        from verify.models import Claim, ReferenceLink, Verdict

        print(
            f"database: {database.describe()}; {Claim.objects.count():,} claims, "
            f"{Verdict.objects.count():,} verdicts, {ReferenceLink.objects.count():,} links "
            f"inserted in {time.perf_counter() - t0:.1f} s"
        )

        baseline_fn = import_export_baseline()
        if baseline_fn is None:
            label = "naive non-streaming export (django-import-export is NOT installed)"
            baseline_fn = naive_baseline
        else:
            from importlib.metadata import version

            label = f"django-import-export {version('django-import-export')} ModelResource + tablib CSV"

        ours_s, ours_size = timed(streaming_export)
        base_s, base_size = timed(baseline_fn)
        ours_mb = peak_growth(streaming_export)
        base_mb = peak_growth(baseline_fn)
        print(
            f"verify.export streaming: {ours_s:.2f} s, {ours_size / MB:.1f} MB of CSV, peak memory growth {ours_mb:.1f} MB"
        )
        print(
            f"baseline, {label}: {base_s:.2f} s, {base_size / MB:.1f} MB of CSV, peak memory growth {base_mb:.1f} MB"
        )
        print(
            f"goal: ratio <= 0.2 ({'met' if ours_s / base_s <= 0.2 else 'NOT met'}), "
            f"memory growth < 50 MB ({'met' if ours_mb < 50 else 'NOT met'})"
        )
        print(
            f"BENCH name=export_200k value={ours_s:.3f} unit=s baseline={base_s:.3f} ratio={ours_s / base_s:.3f}"
        )


if __name__ == "__main__":
    main()
