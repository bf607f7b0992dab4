"""verify/filters.py: one filter definition per list, shared by the pages, the admin and the export
command; one "latest verdict" annotation for the export and ClaimReview."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.base import login
from verify import claimreview
from verify.admin import ProgressFilter
from verify.filters import ArticleFilter, ExportFilter, ExportFilterError, ReviewClaimFilter
from verify.models import Article, Claim, ReviewProgress
from verify.services.articles import article_ingest
from verify.services.review import claim_set_excluded


def ingest(title: str, n: int, by) -> Article:
    text = "\n".join(f"Reuters reported that convoy number {i} of {title} left the port." for i in range(n))
    return article_ingest(text=text, title=title, by=by, language="en").article


@pytest.fixture
def articles(editor, reviewer) -> dict[str, Article]:
    """One article in each review state, and one whose only claim is marked "not a claim"."""
    made = {name: ingest(name, 2, editor) for name in ("fresh", "halfway", "finished", "emptied")}
    first = made["halfway"].claims.order_by("order").first()
    first.record_verdict(status="disputed", reviewer=reviewer)
    for claim in made["finished"].claims.all():
        claim.record_verdict(status="corroborated", reviewer=reviewer)
    for claim in made["emptied"].claims.all():
        claim_set_excluded(claim=claim, by=editor, excluded=True, expected_version=claim.version)
    return made


@pytest.fixture
def staff(db, django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("chief", "c@example.org", "long-pass-1"))
    return client


# --- Review progress: one definition ------------------------------------------------------------

EXPECTED = {
    ReviewProgress.UNREVIEWED: {"fresh"},
    ReviewProgress.IN_PROGRESS: {"halfway"},
    ReviewProgress.DONE: {"finished"},
}


@pytest.mark.parametrize("state", ReviewProgress.values)
def test_a_progress_state_selects_the_same_articles_everywhere(articles, viewer, staff, state):
    listed = login(viewer).get(reverse("verify:article_list"), {"state": state})
    in_list = {a.title for a in listed.context["page"].object_list}
    changelist = staff.get(reverse("admin:verify_article_changelist"), {"progress": state})
    in_admin = {a.title for a in changelist.context["cl"].result_list}
    filtered = ArticleFilter({"state": state}, queryset=Article.objects.with_progress()).qs
    in_filterset = {a.title for a in filtered}
    by_queryset = {a.title for a in Article.objects.with_state(state)}
    assert in_list == in_admin == in_filterset == by_queryset == EXPECTED[state]


def test_the_admin_offers_the_same_states(articles, staff):
    changelist = staff.get(reverse("admin:verify_article_changelist"))
    spec = next(f for f in changelist.context["cl"].filter_specs if isinstance(f, ProgressFilter))
    assert [value for value, _ in spec.lookup_choices] == ReviewProgress.values


def test_an_unknown_state_filters_nothing(articles, viewer, staff):
    everything = set(Article.objects.values_list("title", flat=True))
    listed = login(viewer).get(reverse("verify:article_list"), {"state": "maybe"})
    assert {a.title for a in listed.context["page"].object_list} == everything
    changelist = staff.get(reverse("admin:verify_article_changelist"), {"progress": "maybe"})
    assert {a.title for a in changelist.context["cl"].result_list} == everything
    with pytest.raises(ValueError):
        Article.objects.with_state("maybe")


def test_the_article_filter_combines_state_language_and_text(articles):
    def titles(**params) -> set[str]:
        return {a.title for a in ArticleFilter(params, queryset=Article.objects.all()).qs}

    assert titles(state="done", lang="en") == {"finished"}
    assert titles(state="done", lang="hi") == set()
    assert titles(q="  convoy number 1 of halfway ") == {"halfway"}
    assert ArticleFilter({"q": "  halfway "}).query == "halfway"


# --- Review page ----------------------------------------------------------------------------------


def test_review_filter_picks_from_the_loaded_claims(articles):
    article = articles["halfway"]
    claims = list(article.claims.order_by("order"))
    base = article.claims.all()
    with CaptureQueriesContext(connection) as unfiltered:
        assert ReviewClaimFilter({}, queryset=base).pick(claims) == claims
    assert len(unfiltered.captured_queries) == 0, "no filter, no query"
    with CaptureQueriesContext(connection) as filtered:
        assert ReviewClaimFilter({"status": "disputed"}, queryset=base).pick(claims) == claims[:1]
    assert len(filtered.captured_queries) == 1
    assert ReviewClaimFilter({"status": "unreviewed"}, queryset=base).pick(claims) == claims[1:]
    assert ReviewClaimFilter({"status": "bogus"}, queryset=base).pick(claims) == []
    assert ReviewClaimFilter({"outlet": "x"}, queryset=base).pick(claims) == []
    emptied = articles["emptied"]
    every = list(emptied.claims.order_by("order"))
    picked = ReviewClaimFilter({"status": "excluded"}, queryset=emptied.claims.all()).pick(every)
    assert picked == every


# --- Export: bad values are refused clearly --------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "maybe"}, "status maybe: not a status; use one of unreviewed, corroborated"),
        ({"since": "yesterday"}, "since: 'yesterday' is not a date; use YYYY-MM-DD"),
        ({"until": "27/11/2026"}, "until: '27/11/2026' is not a date"),
        ({"article": "1 OR 1=1"}, "article 1 OR 1=1: not an id"),
        ({"reviewer": "-3"}, "reviewer -3: not an id"),
    ],
)
def test_bad_export_params_are_a_400_naming_the_value(viewer, params, message):
    with pytest.raises(ExportFilterError, match=message):
        ExportFilter(params).cleaned()
    response = login(viewer).get(reverse("verify:export_csv"), params)
    assert response.status_code == 400
    assert response.content.decode().startswith(message)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "maybe"], "--status maybe: not a status; use one of unreviewed"),
        (["--since", "yesterday"], "--since: 'yesterday' is not a date"),
    ],
)
def test_the_command_refuses_the_same_values(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_verdicts", *args)


def test_the_export_filter_reads_strings_and_python_values_alike(articles, reviewer):
    as_text = ExportFilter({"reviewer": str(reviewer.pk), "since": "2000-01-01", "until": "2999-12-31"})
    as_values = ExportFilter(
        {"reviewer": reviewer.pk, "since": dt.date(2000, 1, 1), "until": dt.date(2999, 12, 31)}
    )
    assert list(as_text.claims()) == list(as_values.claims())
    assert {c.article.title for c in as_text.claims()} == {"halfway", "finished"}
    assert ExportFilter().cleaned() == {} and ExportFilter().claims().count() == 6, "excluded left out"
    assert ExportFilter({"status": " disputed ", "outlet": " "}).cleaned() == {"status": "disputed"}


# --- The latest verdict ----------------------------------------------------------------------------


def test_with_latest_verdict_annotates_the_newest_verdict(articles, reviewer):
    claim = articles["halfway"].claims.order_by("order").first()
    claim.record_verdict(status="corroborated", reviewer=reviewer, note="second look")
    newest = claim.verdicts.order_by("-created_at", "-id").first()
    row = Claim.objects.with_latest_verdict().get(pk=claim.pk)
    assert (row.latest_id, row.latest_note, row.latest_reviewer, row.latest_at) == (
        newest.pk,
        "second look",
        reviewer.username,
        newest.created_at,
    )
    annotated = Claim.objects.with_latest_verdict()
    assert annotated.with_latest_verdict() is annotated, "annotating twice is a no-op"
    unreviewed = Claim.objects.with_latest_verdict().get(pk=articles["fresh"].claims.first().pk)
    assert unreviewed.latest_id is None and unreviewed.latest_at is None


def test_claimreview_reads_the_latest_verdict_with_or_without_the_annotation(articles):
    related = ("article", "speaker", "outlet")
    pk = articles["finished"].claims.order_by("order").first().pk
    plain = Claim.objects.select_related(*related).get(pk=pk)
    annotated = Claim.objects.with_latest_verdict().select_related(*related).get(pk=pk)
    with CaptureQueriesContext(connection) as without:
        from_plain = claimreview.claim_review(plain)
    with CaptureQueriesContext(connection) as with_it:
        from_annotated = claimreview.claim_review(annotated)
    assert from_plain == from_annotated
    assert len(without.captured_queries) == len(with_it.captured_queries) + 1
