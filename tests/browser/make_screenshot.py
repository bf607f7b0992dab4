"""Make docs/review-page.png: the review page of the seed article as a reviewer sees it, with a
few claims already marked so the status colours show.

Run it from anywhere (it needs /usr/bin/chromium and the dev requirements):

    .venv/bin/python tests/browser/make_screenshot.py

It runs itself through pytest, for the live server, the test database and the fixtures of the
browser tests; the file's name keeps it out of the normal test run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "docs" / "review-page.png"
TITLE = "पुतिन ने किम जोंग-उन को राइफल भेंट की"
VIEWPORT = {"width": 1440, "height": 1000}
MARKED = [  # (claim order, status, note)
    (0, "corroborated", "Kremlin readout says the same."),
    (1, "disputed", "KCNA tells it differently."),
    (2, "unverifiable", ""),
]


@pytest.mark.django_db(transaction=True)
def test_review_page_screenshot(new_page, reviewer, seed_article):
    from tests.browser.conftest import log_in  # here: run as a script, `tests` is not importable yet
    from verify.models import Article

    # The title `make demo` gives the seed article (the fixture's is a bare "Seed").
    Article.objects.filter(pk=seed_article.pk).update(title=TITLE)
    claims = {c.order: c for c in seed_article.claims.all()}
    for order, status, note in MARKED:
        claims[order].record_verdict(status=status, reviewer=reviewer, note=note)

    page = new_page(viewport=VIEWPORT)
    log_in(page, reviewer, seed_article.get_absolute_url())
    page.locator(".claim-row").first.wait_for()
    page.evaluate("document.fonts.ready")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT))
    print(f"\nwrote {OUTPUT}")


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(pytest.main([str(Path(__file__).resolve()), "-q", "-s", "-p", "no:cacheprovider"]))
