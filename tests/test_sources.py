"""Outlet and speaker records: which channels keep needing correction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.base import login
from verify.models import Article, Source


def test_an_outlet_record_counts_its_claims_by_status(seed_article, reviewer):
    afp = Source.objects.get(name="AFP")
    afp_claims = list(seed_article.claims.filter(outlet=afp).order_by("order"))
    afp_claims[0].record_verdict(status="disputed", reviewer=reviewer)
    record = afp.record()
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
    timeline = kcna.record()["timeline"]
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
    with django_assert_max_num_queries(10):
        client.get(afp.get_absolute_url())
