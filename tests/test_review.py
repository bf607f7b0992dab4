"""The review workbench over HTTP: pages, permissions, htmx partials, conflicts, query counts."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.base import PASSWORD, make_user
from tests.base import login as client_for
from verify.models import Article, Claim, ReferenceLink, Source, Verdict
from verify.services.articles import article_ingest

HTMX = {"HTTP_HX_REQUEST": "true"}


def verdict_url(claim) -> str:
    return reverse("verify:claim_verdict", args=[claim.pk])


def first_claim(article) -> Claim:
    return article.claims.order_by("order").first()


# --- Permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("viewer", 200), ("reviewer", 200), ("editor", 200), ("outsider", 403)],
)
def test_review_page_by_role(seed_article, role, expected, request):
    response = client_for(request.getfixturevalue(role)).get(seed_article.get_absolute_url())
    assert response.status_code == expected


def test_viewer_sees_no_verdict_buttons_nor_editor_tools(seed_article, viewer):
    page = client_for(viewer).get(seed_article.get_absolute_url()).content.decode()
    assert 'value="disputed" class="btn' not in page and "Correct attribution" not in page
    assert first_claim(seed_article).text in page


def test_reviewer_sees_verdict_buttons_but_no_editor_tools(seed_article, reviewer):
    page = client_for(reviewer).get(seed_article.get_absolute_url()).content.decode()
    assert 'value="disputed"' in page and "Correct attribution" not in page


def test_editor_sees_editor_tools(seed_article, editor):
    page = client_for(editor).get(seed_article.get_absolute_url()).content.decode()
    assert "Correct attribution" in page and "Merge with next" in page


@pytest.mark.parametrize("role", ["viewer", "outsider"])
def test_verdicts_need_the_reviewer_role(seed_article, role, request):
    claim = first_claim(seed_article)
    response = client_for(request.getfixturevalue(role)).post(
        verdict_url(claim), {"status": "disputed", "version": claim.version}, **HTMX
    )
    assert response.status_code == 403
    assert not Verdict.objects.exists()


@pytest.mark.parametrize("name", ["claim_edit", "claim_split", "claim_merge", "claim_exclude"])
def test_corrections_need_the_editor_role(seed_article, reviewer, name):
    claim = first_claim(seed_article)
    response = client_for(reviewer).post(reverse(f"verify:{name}", args=[claim.pk]), {"version": 0}, **HTMX)
    assert response.status_code == 403
    claim.refresh_from_db()
    assert not claim.corrected


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_only_editors_ingest(db, role, request):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("verify:article_new")).status_code == 403
    assert client.post(reverse("verify:article_new"), {"text": "Reuters said so."}).status_code == 403
    assert not Article.objects.exists()


def test_anonymous_posts_are_sent_to_login(seed_article):
    claim = first_claim(seed_article)
    response = Client().post(verdict_url(claim), {"status": "disputed", "version": 0})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Verdict.objects.exists()


def test_htmx_posts_without_a_csrf_token_are_refused(seed_article, reviewer):
    client = Client(enforce_csrf_checks=True)
    client.login(username=reviewer.username, password=PASSWORD)
    claim = first_claim(seed_article)
    response = client.post(verdict_url(claim), {"status": "disputed", "version": 0}, **HTMX)
    assert response.status_code == 403
    assert not Verdict.objects.exists()


def test_the_page_carries_the_csrf_header_for_htmx_and_a_strict_csp(seed_article, reviewer):
    response = client_for(reviewer).get(seed_article.get_absolute_url())
    page = response.content.decode()
    assert 'hx-headers=\'{"x-csrftoken": "' in page
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert 'style="' not in page, "inline styles would be blocked by the CSP"
    assert "<script>" not in page, "inline scripts would be blocked by the CSP"
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert any(src.startswith("/static/django_htmx/htmx") for src in scripts), (
        "htmx comes from the vendored copy"
    )
    assert all(src.startswith("/static/") for src in scripts), f"only our own scripts: {scripts}"


# --- Verdicts --------------------------------------------------------------------------------


def test_an_htmx_verdict_swaps_the_row_progress_and_highlight(seed_article, reviewer):
    claim = first_claim(seed_article)
    response = client_for(reviewer).post(
        verdict_url(claim),
        {
            "status": "disputed",
            "version": claim.version,
            "note": "no such rifle",
            "evidence": "https://www.afp.com/x",
        },
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="claim-{claim.pk}"' in html and "status-disputed" in html
    assert 'id="progress" class="progress-wrap" hx-swap-oob="true"' in html
    assert f'id="hl-{claim.pk}" class="hl status-disputed"' in html and 'hx-swap-oob="true"' in html
    claim.refresh_from_db()
    assert claim.status == "disputed" and claim.version == 1
    verdict = Verdict.objects.get()
    assert (verdict.note, verdict.evidence_urls, verdict.reviewer) == (
        "no such rifle",
        ["https://www.afp.com/x"],
        reviewer,
    )
    assert ReferenceLink.objects.get().url == "https://www.afp.com/x"


def test_a_plain_post_records_the_verdict_and_redirects_back(seed_article, reviewer):
    claim = first_claim(seed_article)
    response = client_for(reviewer).post(
        verdict_url(claim), {"status": "corroborated", "version": claim.version}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{seed_article.get_absolute_url()}#claim-{claim.pk}"
    claim.refresh_from_db()
    assert claim.status == "corroborated"


def test_two_reviewers_on_one_claim_nothing_is_overwritten(seed_article, reviewer):
    other = make_user("asha", "reviewers")
    claim = first_claim(seed_article)
    seen = claim.version
    client_for(other).post(verdict_url(claim), {"status": "corroborated", "version": seen}, **HTMX)
    response = client_for(reviewer).post(
        verdict_url(claim), {"status": "disputed", "version": seen, "note": "my reasoning"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Changed by asha at" in html and "now Corroborated" in html
    assert "my reasoning" in html, "the reviewer's note is kept for the second try"
    assert f'name="version" value="{seen + 1}"' in html
    claim.refresh_from_db()
    assert claim.status == "corroborated" and Verdict.objects.count() == 1
    # Deciding again on the version now shown works, and both verdicts stay in history.
    client_for(reviewer).post(verdict_url(claim), {"status": "disputed", "version": seen + 1}, **HTMX)
    claim.refresh_from_db()
    assert claim.status == "disputed"
    assert list(claim.verdicts.order_by("id").values_list("status", flat=True)) == [
        "corroborated",
        "disputed",
    ]


def test_bad_evidence_links_are_refused_with_the_reason_and_nothing_saved(seed_article, reviewer):
    claim = first_claim(seed_article)
    response = client_for(reviewer).post(
        verdict_url(claim),
        {"status": "disputed", "version": claim.version, "evidence": "javascript:alert(1)"},
        **HTMX,
    )
    assert "is not an http(s) link" in response.content.decode()
    assert not Verdict.objects.exists()


def test_history_lists_every_verdict(seed_article, reviewer, viewer):
    claim = first_claim(seed_article)
    claim.record_verdict(status="corroborated", reviewer=reviewer, note="matches AFP")
    claim.record_verdict(status="disputed", reviewer=reviewer, note="AFP corrected itself")
    response = client_for(viewer).get(reverse("verify:claim_history", args=[claim.pk]), **HTMX)
    html = response.content.decode()
    assert "<html" not in html and "matches AFP" in html and "AFP corrected itself" in html
    assert html.index("AFP corrected itself") < html.index("matches AFP"), "newest first"


# --- Filters and lists --------------------------------------------------------------------------


def test_review_filters_narrow_the_claim_list(seed_article, viewer):
    afp = Source.objects.get(name="AFP")
    response = client_for(viewer).get(
        seed_article.get_absolute_url(), {"outlet": afp.pk}, HTTP_HX_TARGET="claim-list", **HTMX
    )
    html = response.content.decode()
    assert "<html" not in html
    shown = html.count('class="claim-row ')
    assert shown == seed_article.claims.filter(outlet=afp).count() >= 2
    response = client_for(viewer).get(seed_article.get_absolute_url(), {"attribution": "none"})
    assert (
        response.content.decode().count('class="claim-row ')
        == seed_article.claims.filter(attribution="none").count()
    )


def test_article_list_filters_by_review_state_language_and_outlet(seed_article, editor, reviewer, viewer):
    english = article_ingest(
        text="Reuters reported that the talks resumed.", title="Talks", by=editor
    ).article
    first_claim(english).record_verdict(status="corroborated", reviewer=reviewer)
    client = client_for(viewer)

    def titles(**params):
        html = client.get(reverse("verify:article_list"), params).content.decode()
        return {a.title for a in Article.objects.all() if f">{a.title}</a>" in html}

    assert titles() == {seed_article.title, "Talks"}
    assert titles(state="unreviewed") == {seed_article.title}
    assert titles(state="done") == {"Talks"}
    assert titles(lang="en") == {"Talks"}
    assert titles(outlet=Source.objects.get(name="KCNA").pk) == {seed_article.title}
    html = client.get(reverse("verify:article_list")).content.decode()
    assert "KCNA" in html and "AFP" in html, "the outlet mix is listed"


# --- Query counts ------------------------------------------------------------------------------


def article_with(n: int, by) -> Article:
    text = "\n".join(f"Reuters reported that shipment number {i} left the port of Odesa." for i in range(n))
    article = article_ingest(text=text, title=f"{n} claims", by=by).article
    assert article.claims.count() == n
    return article


def count_queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


def test_review_page_queries_do_not_grow_with_claims(editor, reviewer):
    small, large = article_with(20, editor), article_with(300, editor)
    for claim in large.claims.all()[:50]:
        claim.record_verdict(status="disputed", reviewer=reviewer)
        ReferenceLink.objects.create(article=large, claim=claim, url=f"https://example.org/{claim.pk}")
    client = client_for(reviewer)
    client.get(small.get_absolute_url())  # warm the session
    assert (
        count_queries(client, small.get_absolute_url())
        == count_queries(client, large.get_absolute_url())
        <= 10
    )


def test_a_verdict_post_runs_a_small_fixed_number_of_queries(editor, reviewer):
    article = article_with(20, editor)
    client = client_for(reviewer)
    counts = []
    for claim in article.claims.order_by("order")[:3]:
        with CaptureQueriesContext(connection) as ctx:
            client.post(verdict_url(claim), {"status": "corroborated", "version": claim.version}, **HTMX)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2] <= 16


# --- Ingest page ---------------------------------------------------------------------------------


def test_editor_pastes_an_article_and_lands_on_its_review_page(editor, seed_text):
    response = client_for(editor).post(
        reverse("verify:article_new"), {"title": "Kim in Russia", "text": seed_text}
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.ingested_by == editor and article.claims.count() == 20


def test_resubmitting_the_same_text_opens_the_existing_article(seed_article, editor, seed_text):
    client = client_for(editor)
    response = client.post(reverse("verify:article_new"), {"text": seed_text}, follow=True)
    assert response.redirect_chain[-1][0] == seed_article.get_absolute_url()
    assert "already ingested" in response.content.decode()
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   \n "}, "The article is empty"),
        ({"text": "x" * 200_001}, "the limit is 200,000 characters"),
        ({"text": "[विज्ञापन_2]\nस्रोत लिंक\nटिप्पणी (0)"}, "No claims were found"),
        ({"upload": ("a.txt", b"caf\xe9 au lait")}, "not UTF-8"),
        ({"upload": ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00")}, "looks binary"),
        ({"upload": ("a.pdf", b"%PDF-1.7")}, "Upload a .txt or .html file"),
    ],
)
def test_the_ingest_form_explains_what_is_wrong_and_stores_nothing(editor, data, message):
    if "upload" in data:
        name, content = data.pop("upload")
        data["upload"] = SimpleUploadedFile(name, content)
    response = client_for(editor).post(reverse("verify:article_new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_an_html_upload_keeps_the_main_text_only(editor):
    html = """<html><head><title>Ports</title><script>evil()</script></head><body>
      <nav>Home | World | Sport</nav>
      <article><h1>Grain shipments resume</h1>
      <p>Reuters reported that the first grain ship left Odesa on Monday after weeks of delay.</p>
      <p>The Ukrainian infrastructure ministry said three more ships would follow this week.</p>
      <p>According to the port authority, the ships carry about 100,000 tonnes of maize.</p></article>
      <footer>Advertisement · Subscribe · Share on Facebook</footer></body></html>"""
    upload = SimpleUploadedFile("story.html", html.encode(), content_type="text/html")
    response = client_for(editor).post(reverse("verify:article_new"), {"upload": upload, "title": "Ports"})
    assert response.status_code == 302
    article = Article.objects.get()
    assert "Reuters reported that the first grain ship left Odesa" in article.body
    assert "evil()" not in article.body and "Subscribe" not in article.body
    assert article.claims.filter(outlet__name="Reuters").exists()


# --- Corrections ------------------------------------------------------------------------------


def test_editor_corrects_the_speaker_and_the_row_says_so(seed_article, editor):
    claim = first_claim(seed_article)
    tass = Source.objects.get(name="TASS")
    response = client_for(editor).post(
        reverse("verify:claim_edit", args=[claim.pk]),
        {
            "version": claim.version,
            "attribution": "explicit",
            "new_speaker": "Yuri Ushakov",
            "outlet": tass.pk,
        },
        **HTMX,
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()
    claim.refresh_from_db()
    assert claim.speaker.name == "Yuri Ushakov" and claim.outlet == tass
    assert claim.corrected and claim.corrected_by == editor
    assert "✎" in response.content.decode() and "Yuri Ushakov" in response.content.decode()


def test_a_refused_correction_shows_the_form_again_in_place(seed_article, editor):
    claim = seed_article.claims.get(order=0)
    response = client_for(editor).post(
        reverse("verify:claim_edit", args=[claim.pk]),
        {"version": claim.version, "attribution": "inherited"},
        **HTMX,
    )
    assert response["HX-Retarget"] == f"#edit-{claim.pk}"
    assert "nothing to inherit from" in response.content.decode()


def test_split_keeps_offsets_exact_and_history_with_the_first_part(seed_article, editor, reviewer):
    claim = first_claim(seed_article)
    claim.record_verdict(status="corroborated", reviewer=reviewer)
    original = claim.text
    count = seed_article.claims.count()
    client_for(editor).post(
        reverse("verify:claim_split", args=[claim.pk]),
        {"version": claim.version, "before": "राष्ट्रपति व्लादिमीर पुतिन"},
        **HTMX,
    )
    claim.refresh_from_db()
    second = seed_article.claims.get(order=1)
    assert seed_article.claims.count() == count + 1
    assert claim.text + " " + second.text == original
    for c in seed_article.claims.all():
        assert c.text == seed_article.body[c.start : c.end]
    assert claim.status == "unreviewed" and claim.verdicts.get().claim_text == original
    assert second.attribution == "inherited" and second.inherited_from == claim and second.corrected
    assert list(seed_article.claims.order_by("order").values_list("order", flat=True)) == list(
        range(count + 1)
    )


def test_merge_keeps_every_verdict(seed_article, editor, reviewer):
    first, second = seed_article.claims.order_by("order")[:2]
    second.record_verdict(status="disputed", reviewer=reviewer, note="on the second")
    count = seed_article.claims.count()
    client_for(editor).post(
        reverse("verify:claim_merge", args=[first.pk]), {"version": first.version}, **HTMX
    )
    first.refresh_from_db()
    assert first.text == seed_article.body[first.start : second.end] and first.end == second.end
    assert not Claim.objects.filter(pk=second.pk).exists()
    assert first.verdicts.get().note == "on the second"
    assert seed_article.claims.count() == count - 1
    assert list(seed_article.claims.order_by("order").values_list("order", flat=True)) == list(
        range(count - 1)
    )


def test_not_a_claim_leaves_progress(seed_article, editor):
    claim = first_claim(seed_article)
    total = sum(seed_article.progress().values())
    client_for(editor).post(
        reverse("verify:claim_exclude", args=[claim.pk]), {"version": claim.version}, **HTMX
    )
    claim.refresh_from_db()
    assert claim.excluded and claim.corrected
    assert sum(seed_article.progress().values()) == total - 1


# --- Caching ---------------------------------------------------------------------------------


def test_pages_that_answer_htmx_with_a_partial_vary_on_hx_request(seed_article, viewer, editor):
    """A cache (the browser's back button, a proxy) must never serve the partial for the page or
    the page for the partial."""
    claim = first_claim(seed_article)
    for user, method, url in [
        (viewer, "get", reverse("verify:article_list")),
        (viewer, "get", seed_article.get_absolute_url()),
        (viewer, "get", reverse("verify:claim_links", args=[claim.pk])),
        (editor, "post", reverse("verify:claim_exclude", args=[claim.pk])),
    ]:
        for headers in ({}, HTMX):
            response = getattr(client_for(user), method)(url, **headers)
            assert response.status_code in (200, 302), (url, response.status_code)
            assert "HX-Request" in response.get("Vary", ""), (url, headers)
