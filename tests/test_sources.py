"""Outlet and speaker records: which channels keep needing correction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.base import article_of_sentences, login
from verify import source_views, views
from verify.models import Article, Claim, Source


def test_an_outlet_record_counts_its_claims_by_status(seed_article, reviewer):
    afp = Source.objects.get(name="AFP")
    afp_claims = list(seed_article.claims.filter(outlet=afp).order_by("order"))
    afp_claims[0].record_verdict(status="disputed", reviewer=reviewer)
    record = Claim.objects.track_record(afp)
    assert record["total"] == len(afp_claims)
    assert record["totals"]["disputed"] == 1 and record["totals"]["unreviewed"] == len(afp_claims) - 1
    assert len(record["timeline"]) == 12
    this_month = record["timeline"][-1]
    assert this_month[0] == timezone.localdate().replace(day=1)
    assert sum(this_month[1].values()) == len(afp_claims)


def test_months_with_no_claims_are_shown_empty_and_old_claims_counted_in_their_month(seed_article):
    kcna = Source.objects.get(name="KCNA")
    three_months_ago = timezone.now() - dt.timedelta(days=95)
    Article.objects.filter(pk=seed_article.pk).update(ingested_at=three_months_ago)
    timeline = Claim.objects.track_record(kcna)["timeline"]
    counted = [(month, sum(c.values())) for month, c in timeline if sum(c.values())]
    assert len(counted) == 1
    assert counted[0][0] == timezone.localtime(three_months_ago).date().replace(day=1)


def test_the_record_page_shows_the_chart_and_the_disputed_claims(seed_article, reviewer, viewer):
    kcna = Source.objects.get(name="KCNA")
    claim = seed_article.claims.filter(outlet=kcna).first()
    claim.record_verdict(status="disputed", reviewer=reviewer, note="KCNA wording differs")
    page = login(viewer).get(kcna.get_absolute_url()).content.decode()
    assert "<svg" in page and 'class="seg-disputed"' in page
    assert "Disputed claims" in page and claim.text[:50] in page
    assert "state-affiliated outlet" in page


def test_the_review_page_links_outlets_and_speakers_to_their_records(seed_article, viewer):
    page = login(viewer).get(seed_article.get_absolute_url()).content.decode()
    assert reverse("verify:source_detail", args=[Source.objects.get(name="AFP").pk]) in page
    assert reverse("verify:source_detail", args=[Source.objects.get(name="Dmitry Peskov").pk]) in page


def test_the_source_list_orders_by_claims_and_filters(seed_article, viewer):
    client = login(viewer)
    page = client.get(reverse("verify:source_list")).content.decode()
    assert page.index(">KCNA<") < page.index(">AP<"), "sources with claims come first"
    outlets_only = client.get(reverse("verify:source_list"), {"kind": "person"}).content.decode()
    assert ">AFP<" not in outlets_only and "Dmitry Peskov" in outlets_only
    assert ">TASS<" in client.get(reverse("verify:source_list"), {"q": "तास"}).content.decode(), (
        "aliases are searched"
    )


def test_source_pages_need_a_role(seed_article, outsider):
    client = login(outsider)
    assert client.get(reverse("verify:source_list")).status_code == 403
    assert client.get(Source.objects.get(name="AFP").get_absolute_url()).status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_the_record_page_runs_a_fixed_number_of_queries(
    seed_article, reviewer, viewer, n, django_assert_max_num_queries
):
    afp = Source.objects.get(name="AFP")
    for claim in seed_article.claims.filter(outlet=afp)[:n]:
        claim.record_verdict(status="disputed", reviewer=reviewer)
    client = login(viewer)
    client.get(reverse("verify:article_list"))
    # 10 before the wire-credit section, which adds its article count and its claim counts
    with django_assert_max_num_queries(12):
        client.get(afp.get_absolute_url())


@pytest.mark.parametrize("n", [1, 3])
def test_an_editors_record_page_runs_a_fixed_number_of_queries(
    seed_article, reviewer, editor, n, django_assert_max_num_queries
):
    """The editor's controls (forms, aliases, the possible duplicates of a speaker) add a fixed
    number of queries, whatever the number of claims."""
    peskov = Source.objects.get(name="Dmitry Peskov")
    for claim in seed_article.claims.all()[:n]:
        Claim.objects.filter(pk=claim.pk).update(speaker=peskov)
        claim.record_verdict(status="disputed", reviewer=reviewer)
    client = login(editor)
    client.get(reverse("verify:article_list"))
    with django_assert_max_num_queries(16):
        assert client.get(peskov.get_absolute_url()).status_code == 200


def test_the_source_views_live_in_their_own_module():
    """verify/views.py is near the module size limit: the registry's pages moved out."""
    assert not hasattr(views, "source_list") and not hasattr(views, "source_detail")
    assert reverse("verify:source_list") == "/sources/"
    from django.urls import resolve

    assert resolve("/sources/").func is source_views.source_list
    assert resolve("/sources/1/").func is source_views.source_detail


# --- Wire credit ---------------------------------------------------------------------------------


def _credited_article(by, outlet: Source, title: str, sentences: list[str]) -> Article:
    article, _claims = article_of_sentences(sentences, by, title=title)
    Article.objects.filter(pk=article.pk).update(wire_credit=outlet)
    return article


def test_an_outlets_record_counts_wire_credit_claims_apart_from_claims_naming_it(editor, reviewer, viewer):
    pti = Source.objects.get(name="PTI")
    a = _credited_article(
        editor, pti, "Credited one", ["The dam opened.", "The river rose.", "PTI said it rained."]
    )
    b = _credited_article(editor, pti, "Credited two", ["The bridge closed."])
    named = a.claims.get(order=2)
    Claim.objects.filter(pk=named.pk).update(outlet=pti, attribution=Claim.Attribution.EXPLICIT)
    a.claims.get(order=0).record_verdict(status="disputed", reviewer=reviewer)
    b.claims.get().record_verdict(status="corroborated", reviewer=reviewer)
    Claim.objects.filter(pk=a.claims.get(order=1).pk).update(excluded=True)  # "not a claim": not counted

    wire = Claim.objects.wire_record(pti)
    assert wire["total"] == 2
    assert wire["totals"]["disputed"] == 1 and wire["totals"]["corroborated"] == 1
    assert set(Claim.objects.carried_as_wire_credit(pti).values_list("article_id", flat=True)) == {a.pk, b.pk}
    record = Claim.objects.track_record(pti)
    assert record["total"] == 1, "the record counts the claim naming PTI, not the wire-credit ones"

    page = login(viewer).get(pti.get_absolute_url()).content.decode()
    assert "The wire credit of 2 articles." in page
    assert f'href="/?credit={pti.pk}"' in page
    assert "2 claims carried as wire credit" in page and "1 claim attributed" in page


def test_an_outlet_without_credited_articles_says_so_and_links_nowhere(viewer, db):
    ap = Source.objects.get(name="AP")
    page = login(viewer).get(ap.get_absolute_url()).content.decode()
    assert "The wire credit of 0 articles." in page and "?credit=" not in page


def test_a_speakers_page_has_no_wire_credit_section(viewer, db):
    page = login(viewer).get(Source.objects.get(name="Dmitry Peskov").get_absolute_url()).content.decode()
    assert "wire credit" not in page.lower()
