"""The page-text step of a fetch under its own limits (verify/fetch/extract.py): at most
``max_extract_bytes`` of HTML reach the extractor, and the extraction runs in a child process
that is killed after ``extract_timeout`` seconds.

trafilatura's time grows faster than the page (here about 1.2 s for 1 MB of paragraphs, 5 s for
2 MB), and a worker thread cannot be stopped from outside: without these limits one large page
held a worker, and the link's lease, for as long as trafilatura liked.
"""

from __future__ import annotations

import multiprocessing
import time

from verify.fetch import FetchPolicy, FetchResult, fetch
from verify.fetch.extract import page_text
from verify.fetch.pagetext import extract_page
from verify.models import ReferenceLink
from verify.services.links import link_fetch, links_add
from verify.services.policy import fetch_policy

pytest_plugins = ("tests.httpfixtures",)

PARAGRAPH = "<p>Paragraph {i}: officials said the reservoir levels were watched closely every day.</p>\n"


def article(paragraphs: int, *, head: str = "") -> str:
    body = "".join(PARAGRAPH.format(i=i) for i in range(paragraphs))
    return f"<html><head><title>Reservoirs</title>{head}</head><body><article>{body}</article></body></html>"


def get(url: str) -> FetchResult:
    return fetch(url, policy=fetch_policy())


def test_a_page_whose_text_takes_too_long_is_cut_by_the_time_limit(loopback, settings):
    settings.VERIFY_FETCH_MAX_EXTRACT_BYTES = 10 * 1024 * 1024
    settings.VERIFY_FETCH_EXTRACT_TIMEOUT = 0.5
    page = article(25_000)  # 2.2 MB: several seconds of trafilatura
    loopback.route("/long", body=page)
    started = time.monotonic()
    result = get(loopback.url("/long"))
    elapsed = time.monotonic() - started

    assert result.state == "failed" and not result.retryable
    assert result.error == (
        "the page's text could not be extracted within 0.5 s (the extraction time limit): "
        "the page is too large or too complex"
    )
    assert result.text == "" and result.http_status == 200
    assert elapsed < 4, f"{elapsed:.1f} s: the extraction was not stopped at its limit"
    assert not multiprocessing.active_children(), "the extracting process is gone"


def test_only_the_first_max_extract_bytes_of_html_reach_the_extractor(loopback, settings):
    settings.VERIFY_FETCH_MAX_EXTRACT_BYTES = 100 * 1024
    loopback.route("/big", body=article(4_000))  # 360 KB
    result = get(loopback.url("/big"))

    assert result.ok and result.truncated
    assert "Paragraph 0:" in result.text and "Paragraph 3999:" not in result.text
    assert result.warning == (
        "only the first 100 KB of the page's HTML were searched for its text (the extraction size limit)"
    )


def test_scripts_and_styles_do_not_count_against_the_extract_limit(loopback, settings):
    settings.VERIFY_FETCH_MAX_EXTRACT_BYTES = 100_000
    bulk = "<script>window.__DATA__ = " + '"x",' * 100_000 + "0;</script><style>" + "a{}" * 30_000
    loopback.route("/app", body=article(50, head=bulk + "</style>"))
    result = get(loopback.url("/app"))

    assert result.ok and not result.truncated and result.warning == ""
    assert "Paragraph 0:" in result.text and "Paragraph 49:" in result.text
    assert result.title == "Reservoirs"


def test_a_page_cut_at_the_size_limit_says_so(loopback, settings):
    settings.VERIFY_FETCH_MAX_BYTES = 20 * 1024
    loopback.route("/huge", body=article(1_000))
    result = get(loopback.url("/huge"))
    assert result.ok and result.truncated
    assert result.warning == "only the first 20 KB of the page were read (the size limit)"


def test_the_extraction_gives_title_text_and_links_as_in_process():
    page = article(3).replace("</article>", '<p>See <a href="https://tass.com/a">TASS</a>.</p></article>')
    policy = FetchPolicy()
    extracted = page_text(page, "https://news.example/story", policy=policy)
    assert extracted.title == "Reservoirs" and "Paragraph 2:" in extracted.text
    assert extracted.links == ["https://tass.com/a"] and not extracted.cut


def test_a_link_whose_text_takes_too_long_fails_with_the_reason(loopback, settings, seed_article):
    settings.VERIFY_FETCH_MAX_EXTRACT_BYTES = 10 * 1024 * 1024
    settings.VERIFY_FETCH_EXTRACT_TIMEOUT = 0.5
    loopback.route("/long", body=article(25_000))
    claim = seed_article.claims.get(order=0)
    (link,) = links_add(article=seed_article, claim=claim, urls=[loopback.url("/long")], by=None)
    assert link_fetch(link_pk=link.pk).done
    link.refresh_from_db()
    assert link.state == ReferenceLink.State.FAILED and "extraction time limit" in link.error
    assert link.lease_until is None


def test_the_cost_of_a_child_process_per_page_is_small(capsys):
    """Measured, not a race: the per-page overhead of the child process is printed (run with -s)
    and only checked to be far below the extraction time limit."""
    pages, page, policy = 20, article(30), FetchPolicy()
    page_text(page, "https://news.example/", policy=policy)  # the first call starts the server
    started = time.monotonic()
    for _ in range(pages):
        page_text(page, "https://news.example/", policy=policy)
    child = (time.monotonic() - started) / pages
    started = time.monotonic()
    for _ in range(pages):
        extract_page(page, "https://news.example/", max_bytes=policy.max_extract_bytes)
    inline = (time.monotonic() - started) / pages
    with capsys.disabled():
        print(f"\nextraction per page: {child * 1000:.0f} ms in a child, {inline * 1000:.0f} ms in process")
    assert child < policy.extract_timeout / 4
