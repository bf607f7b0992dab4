"""Big articles (issue #11): one article's size must not slow anyone else's pages, and an
article with more claims than ``VERIFY_MAX_CLAIMS_PER_ARTICLE`` is refused, naming the count and
the limit, on every way in (the form, ``manage.py ingest_article``, a URL ingest, re-extraction).

- The article list and the admin's count claims per article with correlated subqueries: no
  GROUP BY over the articles (whose body would be carried through the sort) and no ORDER BY on
  a body, so the list's cost does not depend on any article's size.
- An article at the claim limit is written quickly: other people logging in and loading the
  list while it is written get their pages (no "database is locked").
"""

from __future__ import annotations

import io
import re
import threading
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.base import PASSWORD, login, make_user
from verify.models import Article, Claim, ReviewProgress, content_hash
from verify.services.articles import ArticleRejected, article_ingest, article_reextract

# The body in a GROUP BY, ORDER BY or SELECT DISTINCT list (up to the next parenthesis).
BODY_IN_SORT = re.compile(r'(GROUP BY|ORDER BY|SELECT DISTINCT)[^()]*"verify_article"\."body"')
OVER_THE_LIMIT = r"has 51 claims; the limit is 50 claims per article \(VERIFY_MAX_CLAIMS_PER_ARTICLE\)"


def big_article(n: int, tag: str = "big") -> Article:
    """An article of ``n`` short sentences, each a claim, written straight to the database (the
    trigger holds every claim to ``text == body[start:end]``)."""
    sentences = [f"The {tag} ministry said report {i} holds." for i in range(n)]
    body = " ".join(sentences)
    article = Article.objects.create(title=tag, body=body, language="en", content_hash=content_hash(body))
    rows, pos = [], 0
    for i, sentence in enumerate(sentences):
        rows.append(
            Claim(article=article, order=i, paragraph=0, start=pos, end=pos + len(sentence), text=sentence)
        )
        pos += len(sentence) + 1
    Claim.objects.bulk_create(rows, batch_size=500)
    return article


def sentences(n: int, tag: str = "") -> str:
    """Text of ``n`` sentences the extractor takes as ``n`` claims."""
    return " ".join(f"Reuters said the {tag}talks went on in Geneva on day {i}." for i in range(n))


def captured(client: Client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, [q["sql"] for q in queries.captured_queries]


# --- The article list does not depend on an article's size -------------------------------------


def test_the_article_list_counts_claims_without_grouping_articles(viewer):
    big_article(5, tag="small")
    client = login(viewer)
    _, small = captured(client, "/")
    big = big_article(3_000)
    Claim.objects.filter(article=big, order__lt=10).update(excluded=True)
    Claim.objects.filter(article=big, order__gte=10, order__lt=30).update(status=Claim.Status.DISPUTED)
    response, queries = captured(client, "/")

    listed = [sql for sql in queries if '"n_claims"' in sql]
    assert listed, queries
    for sql in listed:
        assert "GROUP BY" not in sql, sql
        assert '"verify_article"."body"' not in sql, "the list shows no body, so it reads none"
    for sql in queries:
        assert not BODY_IN_SORT.search(sql), sql
    assert len(queries) == len(small), "the list's queries do not depend on the articles' claims"
    row = next(a for a in response.context["page"].object_list if a.pk == big.pk)
    assert (row.n_claims, row.n_disputed, row.n_unreviewed) == (2_990, 20, 2_970)


def test_the_progress_counts_and_states_are_those_of_the_claims(db):
    done, mixed, fresh, empty = (big_article(3, tag=t) for t in ("done", "mixed", "fresh", "empty"))
    Claim.objects.filter(article=done).update(status=Claim.Status.CORROBORATED)
    Claim.objects.filter(article=done, order=0).update(status=Claim.Status.UNREVIEWED, excluded=True)
    Claim.objects.filter(article=mixed, order=0).update(status=Claim.Status.UNVERIFIABLE)
    Claim.objects.filter(article=empty).update(excluded=True)
    counts = {a.pk: a for a in Article.objects.with_progress()}
    assert (counts[done.pk].n_claims, counts[done.pk].n_corroborated, counts[done.pk].n_unreviewed) == (
        2,
        2,
        0,
    )
    assert (counts[mixed.pk].n_unverifiable, counts[mixed.pk].n_unreviewed) == (1, 2)
    assert (counts[empty.pk].n_claims, counts[empty.pk].n_unreviewed) == (0, 0)
    states = {
        s: set(Article.objects.with_state(s).values_list("pk", flat=True)) for s in ReviewProgress.values
    }
    assert states == {
        ReviewProgress.UNREVIEWED: {fresh.pk},
        ReviewProgress.IN_PROGRESS: {mixed.pk},
        ReviewProgress.DONE: {done.pk},
    }


def test_the_admin_article_list_does_not_group_or_sort_by_the_body(db):
    big_article(3_000)
    admin = make_user("admin", is_staff=True, is_superuser=True)
    client = login(admin)
    for url in ["/admin/verify/article/", "/admin/verify/article/?progress=unreviewed&o=3"]:
        _, queries = captured(client, url)
        for sql in queries:
            assert not BODY_IN_SORT.search(sql), sql
            if '"n_claims"' in sql:
                assert "GROUP BY" not in sql, sql


def query_plan(sql: str, params) -> str:
    """The database's own plan of a query, as one line of text (SQLite or PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (VERBOSE) " + sql, params)
            return " | ".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(row[-1] for row in cursor.fetchall())


def test_the_database_plans_the_article_list_without_grouping_or_sorting_bodies(db):
    big_article(50)
    sql, params = Article.objects.with_progress().order_by("-ingested_at", "-id")[:25].query.sql_with_params()
    plan = query_plan(sql, params)
    if connection.vendor == "postgresql":
        # No aggregate over a join of articles and claims: the counts are per-article subplans.
        assert "Group Key" not in plan and "HashAggregate" not in plan, plan
        assert not re.search(r"Sort Key:[^|]*body", plan), plan
    else:
        assert "GROUP BY" not in plan and "DISTINCT" not in plan, plan


# --- The claim limit ---------------------------------------------------------------------------


@pytest.fixture
def limit_50(settings):
    settings.VERIFY_MAX_CLAIMS_PER_ARTICLE = 50


def test_an_article_over_the_claim_limit_is_refused_naming_the_count_and_the_limit(editor, limit_50):
    with pytest.raises(ArticleRejected, match=OVER_THE_LIMIT):
        article_ingest(text=sentences(51), title="t", by=editor)
    assert not Article.objects.exists() and not Claim.objects.exists()
    assert article_ingest(text=sentences(50), title="t", by=editor).article.claims.count() == 50


@pytest.mark.parametrize("way", ["pasted", "uploaded"])
def test_the_form_says_the_claim_limit(editor, limit_50, way):
    text = sentences(51)
    data = {"text": text} if way == "pasted" else {"upload": SimpleUploadedFile("a.txt", text.encode())}
    response = login(editor).post("/articles/new/", {"title": "t", **data})
    assert response.status_code == 400
    assert re.search(OVER_THE_LIMIT, response.content.decode())
    assert not Article.objects.exists()


def test_ingest_article_says_the_claim_limit_for_one_file_and_in_bulk(db, tmp_path, limit_50):
    (tmp_path / "long.txt").write_text(sentences(51), encoding="utf-8")
    (tmp_path / "short.txt").write_text(sentences(3), encoding="utf-8")
    with pytest.raises(CommandError, match=OVER_THE_LIMIT):
        call_command("ingest_article", str(tmp_path / "long.txt"), stdout=io.StringIO())
    out = io.StringIO()
    call_command("ingest_article", dir=tmp_path, stdout=out, stderr=io.StringIO(), verbosity=0)
    summary = out.getvalue()
    assert "ingested 1, already there 0, refused 1" in summary
    assert re.search(r"refused long\.txt: .*" + OVER_THE_LIMIT, summary), summary
    assert Article.objects.count() == 1


def test_reextraction_over_the_claim_limit_is_refused_and_changes_nothing(editor, settings):
    article = article_ingest(text=sentences(60), title="t", by=editor).article
    before = list(article.claims.order_by("order").values_list("pk", "order", "start", "end"))
    settings.VERIFY_MAX_CLAIMS_PER_ARTICLE = 50
    with pytest.raises(ArticleRejected, match=r"has 60 claims; the limit is 50 claims per article"):
        article_reextract(article=article)
    assert list(article.claims.order_by("order").values_list("pk", "order", "start", "end")) == before


# --- Other people keep working while an article at the limit is written ------------------------


@pytest.mark.django_db(transaction=True)
def test_others_log_in_and_load_the_list_while_an_article_at_the_limit_is_ingested():
    editor = make_user("editor", "editors")
    make_user("viewer", "viewers")
    limit = settings.VERIFY_MAX_CLAIMS_PER_ARTICLE
    # The longest body the limits allow, in Devanagari (three bytes a character).
    sentence = "विदेश मंत्रालय ने कहा कि जिनेवा में वार्ता जारी रही और प्रतिनिधिमंडल ने दिन {i:05d} को बैठक की।"
    text = " ".join(sentence.format(i=i) for i in range(limit))
    assert len(text) <= settings.VERIFY_MAX_ARTICLE_CHARS
    outcome: dict = {}

    def ingest():
        try:
            started = time.monotonic()
            outcome["article"] = article_ingest(text=text, title="at the limit", by=editor).article
            outcome["seconds"] = time.monotonic() - started
        except Exception as exc:  # collected and asserted below
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=ingest)
    thread.start()
    answers = []
    try:
        for _ in range(200):  # bounded; the ingest ends long before
            client = Client(raise_request_exception=False)
            started = time.monotonic()
            logged_in = client.post("/accounts/login/", {"username": "viewer", "password": PASSWORD})
            listed = client.get("/")
            answers.append((logged_in.status_code, listed.status_code, time.monotonic() - started))
            if not thread.is_alive():
                break
    finally:
        thread.join(timeout=120)
    assert not thread.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert outcome["article"].claims.count() == limit
    assert answers and all(a[:2] == (302, 200) for a in answers), answers
    assert get_user_model().objects.get(username="viewer").last_login is not None
    print(
        f"ingest of {limit} claims: {outcome['seconds']:.2f}s; {len(answers)} logins meanwhile, "
        f"slowest {max(a[2] for a in answers):.2f}s"
    )
