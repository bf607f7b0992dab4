"""The admin panel: what newsroom admins run verify with."""

from __future__ import annotations

import pytest
from django.contrib.admin import helpers
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from verify.models import Claim, ReferenceLink, Source, Verdict
from verify.services import article_ingest


@pytest.fixture
def staff(db, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-admin-password-1")
    client = Client()
    client.force_login(user)
    return client


def make_articles(n: int, by) -> None:
    for i in range(n):
        article_ingest(
            text=f"Reuters reported that talks number {i} began. TASS said the talks number {i} went well.",
            title=f"Talks {i}",
            by=by,
        )


def changelist_queries(client, model: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(f"admin:verify_{model}_changelist"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("model", ["article", "claim", "source", "verdict", "referencelink"])
def test_changelists_run_a_fixed_number_of_queries(staff, editor, reviewer, model):
    make_articles(3, editor)
    for claim in Claim.objects.all():
        claim.record_verdict(status="corroborated", reviewer=reviewer)
        ReferenceLink.objects.create(
            article=claim.article, claim=claim, url=f"https://example.org/{claim.pk}"
        )
    few = changelist_queries(staff, model)
    make_articles(30, editor)
    for claim in Claim.objects.filter(verdicts__isnull=True):
        claim.record_verdict(status="disputed", reviewer=reviewer)
        ReferenceLink.objects.create(
            article=claim.article, claim=claim, url=f"https://example.org/{claim.pk}"
        )
    assert changelist_queries(staff, model) == few


def run_action(client, model: str, action: str, pks) -> str:
    response = client.post(
        reverse(f"admin:verify_{model}_changelist"),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [str(pk) for pk in pks]},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_bulk_verdicts_go_through_the_service_write_history_and_report_skips(staff, seed_article):
    claims = list(seed_article.claims.order_by("order")[:4])
    Claim.objects.filter(pk=claims[3].pk).update(excluded=True)
    page = run_action(staff, "claim", "mark_disputed", [c.pk for c in claims])
    assert "3 rows marked Disputed." in page
    assert "1 skipped (marked &#x27;not a claim&#x27;)" in page and f"#{claims[3].pk}" in page
    assert Verdict.objects.filter(status="disputed").count() == 3
    assert set(Claim.objects.filter(pk__in=[c.pk for c in claims[:3]]).values_list("status", flat=True)) == {
        "disputed"
    }


def test_verdict_history_is_read_only_for_everyone(staff, seed_article, reviewer):
    verdict = seed_article.claims.first().record_verdict(status="corroborated", reviewer=reviewer)
    assert staff.get(reverse("admin:verify_verdict_add")).status_code == 403
    page = staff.get(reverse("admin:verify_verdict_change", args=[verdict.pk])).content.decode()
    assert 'name="_save"' not in page
    assert (
        staff.post(reverse("admin:verify_verdict_delete", args=[verdict.pk]), {"post": "yes"}).status_code
        == 403
    )
    staff.post(reverse("admin:verify_verdict_change", args=[verdict.pk]), {"status": "disputed", "note": "x"})
    verdict.refresh_from_db()
    assert verdict.status == "corroborated"


def test_reextract_action_keeps_verdicts(staff, seed_article, reviewer):
    claim = seed_article.claims.get(order=2)
    claim.record_verdict(status="unverifiable", reviewer=reviewer)
    page = run_action(staff, "article", "reextract", [seed_article.pk])
    assert "1 row re-extracted." in page
    claim.refresh_from_db()
    assert claim.status == "unverifiable" and claim.verdicts.count() == 1


def test_merging_two_speakers_moves_their_claims_and_keeps_both_names(staff, editor):
    article_ingest(text="Dmitry Peskov said the talks were useful.", title="a", by=editor)
    second = article_ingest(
        text="The Kremlin spokesman said the visit was a success.", title="b", by=editor
    ).article
    peskov = Source.objects.get(name="Dmitry Peskov")
    stray = Source.objects.create(name="Kremlin spokesman", kind="person")
    second.claims.update(speaker=stray)
    page = run_action(staff, "source", "merge_sources", [peskov.pk, stray.pk])
    assert "Merged Kremlin spokesman into Dmitry Peskov" in page
    assert not Source.objects.filter(pk=stray.pk).exists()
    assert Claim.objects.filter(speaker=peskov).count() == 2
    assert "Kremlin spokesman" in set(peskov.aliases.values_list("alias", flat=True))


def test_admin_is_for_staff_only(seed_article, editor):
    client = Client()
    client.force_login(editor)
    response = client.get(reverse("admin:verify_claim_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_refetch_actions_queue_links_and_report_skips(
    staff, seed_article, django_capture_on_commit_callbacks
):
    claim = seed_article.claims.first()
    ok = ReferenceLink.objects.create(
        article=seed_article, claim=claim, url="https://tass.com/a", state="fetched"
    )
    refused = ReferenceLink.objects.create(
        article=seed_article, claim=claim, url="http://10.0.0.1/", state="refused"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        page = run_action(staff, "referencelink", "refetch_links", [ok.pk, refused.pk])
    assert "1 row queued for fetching." in page and "1 skipped (refused" in page
    assert len(callbacks) == 1
    ok.refresh_from_db()
    assert ok.state == "pending"
    with django_capture_on_commit_callbacks() as callbacks:
        page = run_action(staff, "claim", "refetch_evidence", [claim.pk])
    assert "1 row queued for fetching." in page and len(callbacks) == 1
