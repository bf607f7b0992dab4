"""The admin panel: what newsroom admins run verify with."""

from __future__ import annotations

import html

import pytest
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.base import login, wait_for
from verify.models import Article, Claim, ReferenceLink, Source, Verdict
from verify.services.articles import article_ingest


def admin_client() -> Client:
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "a-long-admin-password-1")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff(db):
    return admin_client()


def make_articles(n: int, by) -> None:
    """``n`` articles, every other one credited to an agency (a changelist shows the credit)."""
    credits = [Source.objects.get(name="PTI"), Source.objects.get(name="TASS"), None]
    for i in range(n):
        article = article_ingest(
            text=f"Reuters reported that talks number {i} began. TASS said the talks number {i} went well.",
            title=f"Talks {i}",
            by=by,
        ).article
        Article.objects.filter(pk=article.pk).update(wire_credit=credits[i % 3])


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


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_reextract_action_runs_in_the_worker_and_keeps_verdicts(worker, seed_article, reviewer):
    """The action queues the same task the rest of verify uses; the request itself extracts
    nothing. A claim row deleted behind verify's back comes back only once the worker ran."""
    staff = admin_client()
    claim = seed_article.claims.get(order=2)
    claim.record_verdict(status="unverifiable", reviewer=reviewer)
    before = seed_article.claims.count()
    seed_article.claims.filter(order=before - 1).delete()
    page = run_action(staff, "article", "reextract", [seed_article.pk])
    assert "1 row queued for re-extraction." in page
    wait_for(lambda: seed_article.claims.count() == before, timeout=60, what="the worker re-extracting")
    claim.refresh_from_db()
    assert claim.status == "unverifiable" and claim.verdicts.count() == 1


def test_reextract_action_with_the_broker_down_says_so(staff, seed_article, monkeypatch):
    from verify import tasks

    monkeypatch.setattr(tasks, "queue", lambda task, *args, **kwargs: False)
    page = run_action(staff, "article", "reextract", [seed_article.pk])
    assert "0 rows queued for re-extraction." in page and "1 skipped" in page


def claim_form(claim, **changes) -> dict:
    data = {
        "version": claim.version,
        "attribution": claim.attribution,
        "speaker": claim.speaker_id or "",
        "outlet": claim.outlet_id or "",
    }
    if claim.excluded:
        data["excluded"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


def test_an_admin_edit_goes_through_the_version_check_and_is_marked_corrected(staff, seed_article):
    claim = seed_article.claims.filter(attribution="explicit").first()
    url = reverse("admin:verify_claim_change", args=[claim.pk])
    response = staff.post(url, claim_form(claim, attribution="none"))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.attribution == "none" and claim.speaker is None and claim.outlet is None
    assert claim.corrected and claim.corrected_by.username == "chief" and claim.version == 1
    # A second admin form loaded before that edit is refused, and says by whom.
    stale = staff.post(url, {**claim_form(claim, excluded="on"), "version": 0}, follow=True)
    assert "Changed by chief at" in stale.content.decode()
    claim.refresh_from_db()
    assert not claim.excluded and claim.version == 1


def test_an_admin_edit_while_a_reviewer_holds_the_page_gives_the_reviewer_the_conflict(
    staff, seed_article, reviewer
):
    claim = seed_article.claims.filter(attribution="explicit").first()
    seen = claim.version  # the reviewer's page carries this version
    response = staff.post(
        reverse("admin:verify_claim_change", args=[claim.pk]), claim_form(claim, attribution="none")
    )
    assert response.status_code == 302
    answer = login(reviewer).post(
        reverse("verify:claim_verdict", args=[claim.pk]),
        {"status": "disputed", "version": seen},
        HTTP_HX_REQUEST="true",
    )
    page = answer.content.decode()
    assert answer.status_code == 200 and "Changed by chief at" in page and "Nothing was overwritten" in page
    claim.refresh_from_db()
    assert claim.status == "unreviewed" and not claim.verdicts.exists()


def test_admin_actions_mark_not_a_claim_and_back_through_the_service(staff, seed_article):
    claim = seed_article.claims.first()
    page = html.unescape(run_action(staff, "claim", "mark_not_a_claim", [claim.pk]))
    assert "1 row marked 'not a claim'." in page
    claim.refresh_from_db()
    assert claim.excluded and claim.corrected and claim.version == 1
    page = run_action(staff, "claim", "mark_a_claim", [claim.pk])
    claim.refresh_from_db()
    assert "1 row restored as claims." in page and not claim.excluded and claim.version == 2


def test_the_admin_cannot_edit_claim_text_or_links_directly(staff, seed_article):
    claim = seed_article.claims.first()
    link = ReferenceLink.objects.create(article=seed_article, claim=claim, url="https://tass.com/a")
    text_before = claim.text
    staff.post(
        reverse("admin:verify_claim_change", args=[claim.pk]),
        {**claim_form(claim), "text": "something else", "status": "disputed", "start": 0},
    )
    claim.refresh_from_db()
    assert claim.text == text_before and claim.status == "unreviewed"
    response = staff.post(
        reverse("admin:verify_referencelink_change", args=[link.pk]), {"url": "https://evil.example/"}
    )
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.url == "https://tass.com/a"


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


# --- "Not a claim" from the admin while a reviewer holds the page ---------------------------


def post_verdict_as(reviewer, claim, version):
    return login(reviewer).post(
        reverse("verify:claim_verdict", args=[claim.pk]),
        {"status": "corroborated", "version": version, "note": "from the page I had open"},
        HTTP_HX_REQUEST="true",
    )


@pytest.mark.parametrize("how", ["form", "action"])
def test_not_a_claim_from_the_admin_gives_a_reviewer_holding_the_page_the_conflict(
    staff, seed_article, reviewer, how
):
    claim = seed_article.claims.first()
    seen = claim.version  # the reviewer's page carries this version
    if how == "form":
        response = staff.post(
            reverse("admin:verify_claim_change", args=[claim.pk]), claim_form(claim, excluded="on")
        )
        assert response.status_code == 302
    else:
        run_action(staff, "claim", "mark_not_a_claim", [claim.pk])
    claim.refresh_from_db()
    assert claim.excluded and claim.version == seen + 1
    answer = post_verdict_as(reviewer, claim, seen)
    page = answer.content.decode()
    assert answer.status_code == 200 and "Changed by chief at" in page and "Nothing was overwritten" in page
    assert "now Not a claim" in page
    assert 'class="verdict"' not in page, "the row offers no verdict for a claim that is not one"
    claim.refresh_from_db()
    assert claim.status == "unreviewed" and not claim.verdicts.exists()


def test_a_verdict_on_a_claim_marked_not_a_claim_is_refused_even_at_its_current_version(
    staff, seed_article, reviewer
):
    claim = seed_article.claims.first()
    run_action(staff, "claim", "mark_not_a_claim", [claim.pk])
    claim.refresh_from_db()
    answer = post_verdict_as(reviewer, claim, claim.version)
    page = html.unescape(answer.content.decode())
    assert answer.status_code == 200 and "marked “not a claim”: it takes no verdict" in page
    claim.refresh_from_db()
    assert claim.status == "unreviewed" and not claim.verdicts.exists() and claim.version == 1


def test_the_article_admin_lists_and_filters_the_wire_credit_read_only(staff, editor):
    make_articles(3, editor)
    pti = Source.objects.get(name="PTI")
    changelist = staff.get(reverse("admin:verify_article_changelist"))
    page = changelist.content.decode()
    assert "column-wire_credit" in page and ">PTI<" in page and ">TASS<" in page
    assert f"?wire_credit__id__exact={pti.pk}" in page, "a filter offers the credits in use"
    filtered = staff.get(reverse("admin:verify_article_changelist"), {"wire_credit__id__exact": pti.pk})
    assert {a.title for a in filtered.context["cl"].result_list} == {"Talks 0"}
    credited = Article.objects.get(title="Talks 0")
    form = staff.get(reverse("admin:verify_article_change", args=[credited.pk])).content.decode()
    assert 'name="wire_credit"' not in form and "PTI" in form, "shown, not editable"


def test_the_claim_admin_shows_the_speakers_role_and_kind_read_only(staff, seed_article):
    claim = seed_article.claims.exclude(speaker=None).first()
    Claim.objects.filter(pk=claim.pk).update(speaker_role="विदेश मंत्री", speaker_kind="person")
    page = staff.get(reverse("admin:verify_claim_change", args=[claim.pk])).content.decode()
    assert "विदेश मंत्री" in page and 'name="speaker_role"' not in page
    assert "field-speaker_kind" in page and 'name="speaker_kind"' not in page
    response = staff.post(
        reverse("admin:verify_claim_change", args=[claim.pk]),
        {**claim_form(claim), "speaker_role": "forged", "speaker_kind": "anonymous"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.speaker_role, claim.speaker_kind) == ("विदेश मंत्री", "person")
