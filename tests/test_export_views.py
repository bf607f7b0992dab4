"""Exports reached from the UI and the admin: CSV downloads and ClaimReview JSON-LD."""

from __future__ import annotations

import csv
import io
import json

from django.contrib.admin import helpers
from django.test import Client
from django.urls import reverse

from tests.base import login


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_article_page_offers_its_csv_and_claimreview(seed_article, viewer):
    page = login(viewer).get(seed_article.get_absolute_url()).content.decode()
    assert f"{reverse('verify:export_csv')}?article={seed_article.pk}" in page
    assert reverse("verify:article_claimreview", args=[seed_article.pk]) in page


def test_article_csv_has_one_row_per_claim_with_the_verdicts(seed_article, reviewer, viewer):
    claim = seed_article.claims.get(order=0)
    claim.record_verdict(status="disputed", reviewer=reviewer, note='=HYPERLINK("http://evil")')
    response = login(viewer).get(reverse("verify:export_csv"), {"article": seed_article.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert len(rows) == seed_article.claims.count()
    first = next(r for r in rows if r["claim_id"] == str(claim.pk))
    assert first["claim_text"] == claim.text and first["status"] == "disputed"
    assert first["note"].startswith("'="), "formulas are neutralised"


def test_excel_flavour_starts_with_a_bom_and_bad_filters_are_400(seed_article, viewer):
    client = login(viewer)
    excel = client.get(reverse("verify:export_csv"), {"article": seed_article.pk, "excel": "1"})
    assert b"".join(excel.streaming_content).startswith("\ufeff".encode())
    assert client.get(reverse("verify:export_csv"), {"status": "maybe"}).status_code == 400


def test_export_page_lists_the_filters(seed_article, reviewer, viewer):
    seed_article.claims.first().record_verdict(status="corroborated", reviewer=reviewer)
    page = login(viewer).get(reverse("verify:export_page")).content.decode()
    for name in ("article", "status", "outlet", "speaker", "reviewer", "since", "until", "history", "excel"):
        assert f'name="{name}"' in page
    assert ">reviewer<" in page


def test_exports_need_a_role(seed_article, outsider):
    client = login(outsider)
    assert client.get(reverse("verify:export_csv")).status_code == 403
    assert client.get(reverse("verify:export_page")).status_code == 403
    claim = seed_article.claims.first()
    assert client.get(reverse("verify:claim_claimreview", args=[claim.pk])).status_code == 403


def test_claimreview_for_a_reviewed_claim_and_404_for_an_unreviewed_one(seed_article, reviewer, viewer):
    reviewed, unreviewed = seed_article.claims.order_by("order")[:2]
    reviewed.record_verdict(status="corroborated", reviewer=reviewer)
    client = login(viewer)
    response = client.get(reverse("verify:claim_claimreview", args=[reviewed.pk]))
    assert response["Content-Type"].startswith("application/ld+json")
    data = json.loads(response.content)
    assert data["@type"] == "ClaimReview" and data["reviewRating"]["alternateName"] == "Corroborated"
    assert "पुतिन" in response.content.decode(), "Hindi is not escaped"
    assert client.get(reverse("verify:claim_claimreview", args=[unreviewed.pk])).status_code == 404
    listing = json.loads(client.get(reverse("verify:article_claimreview", args=[seed_article.pk])).content)
    assert [d["@type"] for d in listing] == ["ClaimReview"]


def test_admin_exports_the_selected_claims(seed_article, django_user_model):
    admin = django_user_model.objects.create_superuser("chief", "c@example.org", "a-long-admin-password-1")
    client = Client()
    client.force_login(admin)
    chosen = list(seed_article.claims.order_by("order").values_list("pk", flat=True)[:3])
    response = client.post(
        reverse("admin:verify_claim_changelist"),
        {"action": "export_csv", helpers.ACTION_CHECKBOX_NAME: [str(pk) for pk in chosen]},
    )
    assert [int(r["claim_id"]) for r in read_csv(response)] == chosen


def test_a_stored_url_the_url_check_refuses_is_never_published(seed_article, reviewer, viewer):
    """Rows written by other means (the shell, an import, an older version) still reach the
    exports: a javascript: source URL or original link is left out of ClaimReview and the CSV."""
    from verify.models import Article, ReferenceLink

    Article.objects.filter(pk=seed_article.pk).update(source_url="javascript:alert(1)")
    claim = seed_article.claims.get(order=0)
    claim.record_verdict(status="disputed", reviewer=reviewer)
    ReferenceLink.objects.create(
        article=seed_article, claim=claim, url="javascript:alert(2)", is_original=True
    )
    client = login(viewer)
    review = json.loads(client.get(reverse("verify:claim_claimreview", args=[claim.pk])).content)
    appearance = review["itemReviewed"]["appearance"]["url"]
    assert appearance.startswith("http") and appearance.endswith(seed_article.get_absolute_url())
    assert "firstAppearance" not in review["itemReviewed"]
    listing = client.get(reverse("verify:article_claimreview", args=[seed_article.pk])).content.decode()
    assert "javascript:" not in listing
    rows = read_csv(client.get(reverse("verify:export_csv"), {"article": seed_article.pk}))
    assert {r["article_url"] for r in rows} == {""}


def test_the_downloads_carry_the_wire_credit_and_the_speakers_role_and_kind(seed_article, reviewer, viewer):
    """The article page's CSV (and its history) ends each row with the credit, role and kind;
    its ClaimReview names the credit as the author of the article's own voice."""
    from verify.models import Article, Source

    pti = Source.objects.get(name="PTI")
    Article.objects.filter(pk=seed_article.pk).update(wire_credit=pti)
    own = seed_article.claims.filter(attribution="none", outlet=None).order_by("order").first()
    spoken = seed_article.claims.exclude(speaker=None).order_by("order").first()
    seed_article.claims.filter(pk=spoken.pk).update(speaker_role="प्रवक्ता", speaker_kind="person")
    own.record_verdict(status="disputed", reviewer=reviewer)
    client = login(viewer)
    for history in ("", "1"):
        response = client.get(reverse("verify:export_csv"), {"article": seed_article.pk, "history": history})
        rows = read_csv(response)
        assert list(rows[0])[-3:] == ["wire_credit", "speaker_role", "speaker_kind"]
        assert {r["wire_credit"] for r in rows} == {"PTI"}
        [row] = [r for r in rows if r["claim_id"] == str(spoken.pk)]
        assert (row["speaker_role"], row["speaker_kind"]) == ("प्रवक्ता", "person")
    review = json.loads(client.get(reverse("verify:claim_claimreview", args=[own.pk])).content)
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "PTI"}
