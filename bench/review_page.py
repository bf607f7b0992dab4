"""Times the review page (/articles/<id>/) against Django admin's claim list of the same claims.

Run from the project root: ``.venv/bin/python bench/review_page.py [--runs N] [--sizes 20,100,500]``.

Why: the review page is where reviewers spend their day, and it shows every claim of an article
at once, with its highlight in the text, its verdict form and its evidence links. It must stay
fast and, above all, cost a fixed number of SQL queries however long the article is (an N+1 in
a row template would make a 500-claim article crawl). The yardstick is what Django itself
offers for the same rows: the admin's Claim changelist filtered to the article.

How:
- A throwaway database (SQLite in a temporary folder, or a temporary PostgreSQL database when
  ``DATABASE_URL`` points at one; see bench/_common.py), migrated.
- Articles of 20, 100 and 500 claims made through ``article_ingest`` (English wire
  sentences, one claim per line); a third of the claims get a verdict, every fifth two fetched
  evidence links, so the rows show badges and links as in real use.
- Django's test Client in-process, logged in as one superuser for both pages (same auth cost).
  Server time is the wall time of ``Client.get``: the whole handler (middleware, view,
  template) with no network; the median of ``--runs`` runs after two warm-up requests.
- The admin shows 100 rows a page and offers "Show all" only up to 200, so it could not show a
  500-claim article at once. The benchmark raises the registered ``ClaimAdmin``'s
  ``list_per_page`` in this process only (no app code changes) so the baseline renders the same
  claims on one page; the default paginated page (100 rows) is timed too and printed per 100
  rows, for reference.
- Query counts come from a separate request under ``CaptureQueriesContext`` (capturing slows
  the request, so it is never in a timed run).

The last line is ``BENCH name=review_500 value=<ms> unit=ms baseline=<admin ms> ratio=<value/baseline>``
for the 500-claim article. The script exits non-zero (after printing) if the review page's query
count grows with the number of claims.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    ThrowawayDatabase,
    analyze,
    bench_line,
    machine,
    make_users,
    median,
    setup_django,
    table,
    timings_ms,
    wire_article,
)


def build_article(n_claims: int, variant: int, reviewer):
    """An ingested article of ``n_claims`` claims with some verdicts and fetched links."""
    from django.utils import timezone

    from verify.models import ReferenceLink
    from verify.services.articles import article_ingest

    result = article_ingest(
        text=wire_article(n_claims, variant), title=f"Bench article of {n_claims} claims", language="en"
    )
    article = result.article
    claims = list(article.claims.order_by("order"))
    assert len(claims) == n_claims, f"expected {n_claims} claims, the extractor found {len(claims)}"
    statuses = ["corroborated", "disputed", "unverifiable"]
    for i, claim in enumerate(claims):
        if i % 3 == 0:
            claim.record_verdict(
                status=statuses[i % 9 // 3], reviewer=reviewer, note=f"checked {i}", expected_version=None
            )
    now = timezone.now()
    ReferenceLink.objects.bulk_create(
        [
            ReferenceLink(
                article=article,
                claim=claim,
                url=f"https://evidence.example/{claim.pk}/{k}",
                state=ReferenceLink.State.FETCHED,
                http_status=200,
                title=f"Evidence page {k} for claim {claim.order + 1}",
                text="The shipment left the port on time, officials said.",
                fetched_at=now,
            )
            for i, claim in enumerate(claims)
            if i % 5 == 0
            for k in range(2)
        ]
    )
    return article


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page (default 15)")
    parser.add_argument("--sizes", default="20,100,500", help="claims per article (default 20,100,500)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.runs < 1 or not sizes or min(sizes) < 1:
        parser.error("--runs and --sizes must be positive")

    with ThrowawayDatabase() as database:
        setup_django()
        from django.contrib import admin
        from django.test import Client

        from verify.models import Claim

        (user,) = make_users(["bench-admin"], None, is_staff=True, is_superuser=True)
        articles = {n: build_article(n, i, user) for i, n in enumerate(sizes)}
        analyze()
        client = Client()
        client.force_login(user)  # django-axes wants a request in authenticate(); no login form here
        claim_admin = admin.site._registry[Claim]
        default_per_page = claim_admin.list_per_page

        rows, results = [], {}
        for n, article in articles.items():
            review_url = f"/articles/{article.pk}/"
            admin_url = f"/admin/verify/claim/?article__id__exact={article.pk}"
            page = client.get(review_url)
            assert page.status_code == 200, page.status_code
            shown = page.content.decode().count('class="claim-row ')
            assert shown == n, f"review page shows {shown} of {n} claims"

            review_ms = median(timings_ms(lambda u=review_url: client.get(u), args.runs, warmup=2))
            review_q = count_queries(client, review_url)

            claim_admin.list_per_page = max(sizes) * 2  # every claim of the article on one page
            listing = client.get(admin_url).content.decode()
            admin_rows = listing.count('name="_selected_action"')
            assert admin_rows == n, f"admin shows {admin_rows} of {n} claims"
            admin_ms = median(timings_ms(lambda u=admin_url: client.get(u), args.runs, warmup=2))
            admin_q = count_queries(client, admin_url)

            claim_admin.list_per_page = default_per_page  # the admin as shipped: 100 rows a page
            paged_rows = min(n, default_per_page)
            paged_ms = median(timings_ms(lambda u=admin_url: client.get(u), args.runs, warmup=2))

            results[n] = (review_ms, review_q, admin_ms, admin_q)
            rows.append(
                [
                    n,
                    f"{review_ms:.1f}",
                    review_q,
                    f"{review_ms / n:.2f}",
                    f"{admin_ms:.1f}",
                    admin_q,
                    f"{admin_ms / n:.2f}",
                    f"{paged_ms / paged_rows * 100:.1f}",
                    f"{review_ms / admin_ms:.2f}",
                ]
            )

        print(f"machine: {machine()}; database: {database.describe()}; median of {args.runs} runs")
        print(
            table(
                [
                    "claims",
                    "review ms",
                    "queries",
                    "ms/claim",
                    "admin all ms",
                    "queries",
                    "ms/row",
                    "admin ms/100 rows (paged)",
                    "review/admin",
                ],
                rows,
            )
        )
        small, large = min(sizes), max(sizes)
        constant = results[small][1] == results[large][1]
        print(
            f"review page queries: {results[small][1]} at {small} claims, {results[large][1]} at {large} "
            f"claims: {'constant' if constant else 'GROWS WITH CLAIMS (an N+1 somewhere)'}"
        )
        review_ms, _, admin_ms, _ = results[large]
        print(bench_line(f"review_{large}", review_ms, "ms", admin_ms, digits=1))
        return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
