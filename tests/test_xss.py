"""Stored and reflected XSS: hostile text in every field a person or a fetched page can fill
renders inert on every page, partial, admin screen and export.

The payloads go into article text and title, verdict notes, speaker and outlet names, source
aliases, evidence link URLs, fetched page titles and text, fetch errors and ingest-by-URL jobs.
Each page is read as raw HTML: the payload may appear only escaped, no element or event-handler
attribute comes from it, and every link's href is http(s) or relative.
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.base import make_user, persona
from verify import claimreview
from verify.forms import ArticleForm
from verify.models import Article, Claim, ReferenceLink, Source, SourceAlias, UrlIngest, Verdict
from verify.services.articles import article_ingest

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS = "javascript:alert(1)"
PAYLOAD = f"{SCRIPT} {IMG} {JS}"
# How the payload looks once escaped by Django's autoescape.
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG_ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
# An evidence URL that passes http(s) validation yet tries to break out of the href attribute.
HOSTILE_URL = 'https://example.org/?q="><script>alert(1)</script>'
HTMX = {"HTTP_HX_REQUEST": "true"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "hx-get", "hx-post", "xlink:href"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Reading HTML as a browser would ----------------------------------------------------------


class _Elements(HTMLParser):
    """What the payload must never become: elements, event handlers, script URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/ld+json":
            self.problems.append("an inline <script> element")
        if tag == "img" and names.get("src") == "x":
            self.problems.append("an <img src=x> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"an event handler {name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                flat = "".join(ch for ch in value if ch > " ").lower()
                if flat.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
                if tag == "a" and name == "href":
                    self.hrefs.append(value)


def assert_inert(html: str, *, shown: bool = True) -> None:
    """The payload appears only as escaped text (``shown``: and it does appear, so the check
    is not vacuous)."""
    lowered = html.lower()
    assert "<script>alert(1)" not in lowered, "a raw <script> from the payload"
    assert "<img src=x" not in lowered, "a raw <img> from the payload"
    parser = _Elements()
    parser.feed(html)
    assert not parser.problems, parser.problems
    for href in parser.hrefs:
        scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
        assert scheme in ("", "http", "https"), f"a link that is not http(s): {href!r}"
    if shown:
        assert "&lt;script&gt;alert(" in html, "the payload should be on this page, escaped"


# --- The hostile world -------------------------------------------------------------------------


class Hostile:
    """An article whose every field holds the payload, and the people who look at it."""

    def __init__(self):
        self.editor = persona("editor")
        self.reviewer = persona("reviewer")
        self.staff = make_user("staff", None, is_staff=True, is_superuser=True)
        text = (
            f"Reuters said {SCRIPT} was found in Geneva on Monday. "
            f"TASS said {IMG} appeared in Moscow on Tuesday. "
            f"The ministry said {JS} was a link on Wednesday."
        )
        self.article = article_ingest(
            text=text, title=f"Title {PAYLOAD}", by=self.editor, language="en"
        ).article
        self.claims = list(self.article.claims.order_by("order"))
        assert len(self.claims) == 3 and SCRIPT in self.claims[0].text
        self.speaker = Source.objects.create(name=f"Speaker {PAYLOAD}", kind=Source.Kind.PERSON)
        self.outlet = Source.objects.create(name=f"Outlet {PAYLOAD}", kind=Source.Kind.OUTLET)
        SourceAlias.objects.create(source=self.speaker, alias=f"Alias {PAYLOAD}")
        SourceAlias.objects.create(source=self.outlet, alias=f"अलियास {PAYLOAD}")
        Claim.objects.filter(pk=self.claims[0].pk).update(
            speaker=self.speaker, speaker_text=self.speaker.name, outlet=self.outlet, cue=f"cue {SCRIPT}"
        )
        self.claim(0).record_verdict(
            status="disputed", reviewer=self.reviewer, note=f"Note {PAYLOAD}", evidence_urls=[HOSTILE_URL]
        )
        self.link = ReferenceLink.objects.create(
            article=self.article,
            claim=self.claims[0],
            url=HOSTILE_URL,
            state=ReferenceLink.State.FETCHED,
            title=f"Page {PAYLOAD}",
            text=f"Reuters said {SCRIPT} was found in Geneva on Monday.\nAlso {IMG} in Geneva.",
            baseline_text=f"Reuters said {IMG} was not in Geneva on Monday.\nAlso {IMG} in Geneva.",
            fetched_at=timezone.now(),
            drifted_at=timezone.now(),
        )
        self.failed = ReferenceLink.objects.create(
            article=self.article,
            claim=self.claims[0],
            url="https://example.org/failed",
            state=ReferenceLink.State.FAILED,
            error=f"Error {PAYLOAD}",
        )
        self.job = UrlIngest.objects.create(
            url=HOSTILE_URL, requested_by=self.editor, state=UrlIngest.State.FAILED, error=f"Error {PAYLOAD}"
        )

    def claim(self, i: int) -> Claim:
        return Claim.objects.get(pk=self.claims[i].pk)

    def client(self, user=None) -> Client:
        client = Client()
        client.force_login(user or self.editor)
        return client


@pytest.fixture
def hostile(db) -> Hostile:
    return Hostile()


def get_html(client: Client, url: str, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- Pages and partials ---------------------------------------------------------------------------

PAGES = {
    "review page": (lambda h: h.article.get_absolute_url(), {}),
    "review page, claim list partial": (
        lambda h: h.article.get_absolute_url(),
        {**HTMX, "HTTP_HX_TARGET": "claim-list"},
    ),
    "links partial": (lambda h: reverse("verify:claim_links", args=[h.claims[0].pk]), HTMX),
    "history partial": (lambda h: reverse("verify:claim_history", args=[h.claims[0].pk]), HTMX),
    "passages partial": (lambda h: reverse("verify:link_evidence", args=[h.link.pk]), HTMX),
    "diff partial": (lambda h: reverse("verify:link_diff", args=[h.link.pk]), HTMX),
    "correction form partial": (lambda h: reverse("verify:claim_edit", args=[h.claims[0].pk]), HTMX),
    "article list": (lambda h: reverse("verify:article_list"), {}),
    "article list, table partial": (lambda h: reverse("verify:article_list"), HTMX),
    "sources list": (lambda h: reverse("verify:source_list"), {}),
    "speaker record": (lambda h: h.speaker.get_absolute_url(), {}),
    "outlet record": (lambda h: h.outlet.get_absolute_url(), {}),
    "export page": (lambda h: reverse("verify:export_page"), {}),
    "ingest by URL page": (lambda h: h.job.get_absolute_url(), {}),
    "ingest by URL partial": (lambda h: h.job.get_absolute_url(), HTMX),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_hostile_text_renders_inert(hostile, page):
    url, extra = PAGES[page]
    assert_inert(get_html(hostile.client(), url(hostile), **extra))


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_hostile_text_renders_inert_for_every_role(hostile, role):
    client = hostile.client(hostile.reviewer if role == "reviewer" else persona(role))
    assert_inert(get_html(client, hostile.article.get_absolute_url()))


def test_the_title_is_escaped_in_the_page_title_and_heading(hostile):
    html = get_html(hostile.client(), hostile.article.get_absolute_url())
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert SCRIPT_ESCAPED in title and IMG_ESCAPED in title


@pytest.mark.parametrize(("name", "field"), [("verify:article_list", "q"), ("verify:source_list", "q")])
def test_search_terms_are_reflected_escaped(hostile, name, field):
    html = get_html(hostile.client(), reverse(name), data={field: PAYLOAD})
    assert_inert(html)


def test_a_raw_query_string_is_reflected_escaped(hostile):
    """The language switch echoes the full path; a non-browser client may send it unencoded."""
    html = get_html(hostile.client(), reverse("verify:article_list"), QUERY_STRING=f"x={IMG}{SCRIPT}")
    assert_inert(html, shown=False)


def test_a_verdict_note_from_the_form_renders_inert_in_the_row_and_history(hostile):
    client = hostile.client(hostile.reviewer)
    claim = hostile.claim(2)
    url = reverse("verify:claim_verdict", args=[claim.pk])
    row = client.post(url, {"status": "corroborated", "version": claim.version, "note": PAYLOAD}, **HTMX)
    assert row.status_code == 200
    assert_inert(row.content.decode(), shown=SCRIPT in claim.text)
    assert Verdict.objects.filter(claim=claim, note=PAYLOAD).exists()
    assert_inert(get_html(client, reverse("verify:claim_history", args=[claim.pk]), **HTMX))


def test_a_refused_evidence_link_is_echoed_escaped(hostile):
    client = hostile.client(hostile.reviewer)
    claim = hostile.claim(1)
    url = reverse("verify:claim_verdict", args=[claim.pk])
    data = {"status": "disputed", "version": claim.version, "note": "n", "evidence": f"{JS} {SCRIPT}"}
    row = client.post(url, data, **HTMX)
    assert row.status_code == 200 and "is not an http(s) link" in row.content.decode()
    assert_inert(row.content.decode(), shown=False)
    assert not Verdict.objects.filter(claim=claim).exists()
    # the draft is given back in the textarea, escaped
    assert "javascript:alert(1) &lt;script&gt;" in row.content.decode()
    # without htmx the error comes back as a message on the review page
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert_inert(response.content.decode())


def test_a_new_speaker_from_the_correction_form_renders_inert(hostile):
    client = hostile.client()
    claim = hostile.claim(1)
    url = reverse("verify:claim_edit", args=[claim.pk])
    data = {"version": claim.version, "attribution": "explicit", "new_speaker": f"New {SCRIPT}{IMG}"}
    region = client.post(url, data, **HTMX)
    assert region.status_code == 200
    assert_inert(region.content.decode())
    speaker = hostile.claim(1).speaker
    assert speaker.name == f"New {SCRIPT}{IMG}"
    assert_inert(get_html(client, speaker.get_absolute_url()))
    assert_inert(get_html(client, reverse("verify:source_list")))
    assert_inert(get_html(client, reverse("verify:export_page")))


def test_article_text_and_title_from_the_ingest_form_render_inert(db):
    editor = persona("editor")
    client = Client()
    client.force_login(editor)
    text = f"AFP said {SCRIPT} and {IMG} were seen in Paris on Friday."
    response = client.post(reverse("verify:article_new"), {"title": PAYLOAD, "text": text})
    assert response.status_code == 302
    article = Article.objects.get(title=PAYLOAD)
    assert article.body == text, "text is stored as written, and escaped when shown"
    assert_inert(get_html(client, article.get_absolute_url()))


def test_the_review_row_after_a_verdict_shows_the_hostile_claim_inert(hostile):
    client = hostile.client(hostile.reviewer)
    claim = hostile.claim(0)
    url = reverse("verify:claim_verdict", args=[claim.pk])
    row = client.post(url, {"status": "unverifiable", "version": claim.version}, **HTMX)
    assert row.status_code == 200
    assert_inert(row.content.decode())


def test_a_stale_verdict_conflict_message_renders_inert(hostile):
    client = hostile.client(hostile.reviewer)
    claim = hostile.claim(0)
    url = reverse("verify:claim_verdict", args=[claim.pk])
    row = client.post(url, {"status": "unverifiable", "version": claim.version - 1, "note": PAYLOAD}, **HTMX)
    assert row.status_code == 200 and 'role="alert"' in row.content.decode()
    assert_inert(row.content.decode())


# --- javascript: URLs ---------------------------------------------------------------------------

SCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>",
]


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_script_urls_are_refused_at_every_door(hostile, url):
    reviewer = hostile.client(hostile.reviewer)
    claim = hostile.claim(1)
    links_before = ReferenceLink.objects.count()
    reviewer.post(reverse("verify:claim_links", args=[claim.pk]), {"urls": url}, **HTMX)
    reviewer.post(
        reverse("verify:claim_verdict", args=[claim.pk]),
        {"status": "disputed", "version": claim.version, "evidence": url},
        **HTMX,
    )
    assert ReferenceLink.objects.count() == links_before and not claim.verdicts.exists()
    form = ArticleForm({"text": "AFP said the bridge reopened.", "source_url": url, "fetch_url": ""})
    assert not form.is_valid() and "source_url" in form.errors
    form = ArticleForm({"fetch_url": url})
    assert not form.is_valid() and "fetch_url" in form.errors
    staff = hostile.client(hostile.staff)
    response = staff.post(
        reverse("admin:verify_referencelink_add"),
        {"article": hostile.article.pk, "claim": claim.pk, "url": url, "attempts": 0, "headers": "{}"},
    )
    # The admin adds no links at all (they come from the review page, which queues their fetch).
    assert response.status_code == 403 and ReferenceLink.objects.count() == links_before


def _stored_source_url(h: Hostile) -> tuple[str, dict]:
    Article.objects.filter(pk=h.article.pk).update(source_url=JS)
    return h.article.get_absolute_url(), {}


def _stored_link_url(h: Hostile) -> tuple[str, dict]:
    ReferenceLink.objects.create(article=h.article, claim=h.claims[2], url=JS)
    return reverse("verify:claim_links", args=[h.claims[2].pk]), HTMX


def _stored_evidence_url(h: Hostile) -> tuple[str, dict]:
    claim = h.claim(2)
    Verdict.objects.create(
        claim=claim, status="disputed", reviewer=h.reviewer, claim_text=claim.text, evidence_urls=[JS]
    )
    return reverse("verify:claim_history", args=[claim.pk]), HTMX


def _stored_job_url(h: Hostile) -> tuple[str, dict]:
    return UrlIngest.objects.create(url=JS, requested_by=h.editor).get_absolute_url(), {}


@pytest.mark.parametrize(
    "store",
    [
        _stored_source_url,
        _stored_link_url,
        _stored_evidence_url,
        _stored_job_url,
    ],
    ids=["article source", "reference link", "verdict evidence", "ingest by URL"],
)
def test_a_script_url_stored_by_another_way_is_never_clickable(hostile, store):
    """Defence in depth: every door refuses javascript: URLs (test above), but rows written by
    the shell, a data import or an older version still reach the templates."""
    url, extra = store(hostile)
    assert_inert(get_html(hostile.client(), url, **extra), shown=False)


# --- Admin ----------------------------------------------------------------------------------------

ADMIN_PAGES = {
    "article changelist": lambda h: reverse("admin:verify_article_changelist"),
    "article change": lambda h: reverse("admin:verify_article_change", args=[h.article.pk]),
    "claim changelist": lambda h: reverse("admin:verify_claim_changelist"),
    "claim change": lambda h: reverse("admin:verify_claim_change", args=[h.claims[0].pk]),
    # (searched: the registry's 200-odd outlets fill more than the changelist's first page)
    "source changelist": lambda h: reverse("admin:verify_source_changelist") + "?q=Speaker",
    "speaker change": lambda h: reverse("admin:verify_source_change", args=[h.speaker.pk]),
    "outlet change": lambda h: reverse("admin:verify_source_change", args=[h.outlet.pk]),
    "verdict changelist": lambda h: reverse("admin:verify_verdict_changelist"),
    "verdict change": lambda h: reverse("admin:verify_verdict_change", args=[h.claim(0).verdicts.get().pk]),
    "link changelist": lambda h: reverse("admin:verify_referencelink_changelist"),
    "link change": lambda h: reverse("admin:verify_referencelink_change", args=[h.link.pk]),
    "source search": lambda h: reverse("admin:verify_source_changelist") + "?q=%3Cscript%3Ealert(1)",
}


@pytest.mark.parametrize("page", list(ADMIN_PAGES))
def test_admin_pages_render_hostile_text_inert(hostile, page):
    html = get_html(hostile.client(hostile.staff), ADMIN_PAGES[page](hostile))
    # The admin's own pages carry their scripts as files; its inline JSON is type=application/json.
    assert_inert(html.replace('<script type="application/json"', '<script src="" type="application/json"'))


def test_admin_merge_message_renders_inert(hostile):
    """The merge action names the merged sources in its message."""
    other = Source.objects.create(name=f"Other {SCRIPT}", kind=Source.Kind.PERSON)
    client = hostile.client(hostile.staff)
    response = client.post(
        reverse("admin:verify_source_changelist"),
        {"action": "merge_sources", "_selected_action": [hostile.speaker.pk, other.pk]},
        follow=True,
    )
    assert response.status_code == 200 and "Merged" in response.content.decode()
    assert_inert(response.content.decode())


# --- CSV and ClaimReview --------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("https://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("history", ["0", "1"])
def test_csv_cells_are_text_and_formulas_are_neutralised(hostile, history):
    Article.objects.filter(pk=hostile.article.pk).update(title=FORMULAS[0])
    Source.objects.filter(pk=hostile.speaker.pk).update(name=FORMULAS[1])
    Source.objects.filter(pk=hostile.outlet.pk).update(name=FORMULAS[2])
    claim = hostile.claim(1)
    Claim.objects.filter(pk=claim.pk).update(cue="\t@cue")
    claim.record_verdict(status="disputed", reviewer=hostile.reviewer, note=FORMULAS[3])
    formula = article_ingest(
        text="=1+1 is what Reuters said on Monday in Geneva.", title="t", by=hostile.editor, language="en"
    ).article
    assert formula.claims.filter(text__startswith="=").exists(), "a claim that starts like a formula"
    params = {"history": history, "excel": "1"}
    rows = read_csv(hostile.client().get(reverse("verify:export_csv"), params))
    cells = [cell for row in rows[1:] for cell in row]
    for cell in cells:
        assert not cell.startswith(TRIGGERS), f"a cell a spreadsheet would run: {cell!r}"
    for formula_text in FORMULAS:
        assert "'" + formula_text in cells, f"{formula_text!r} is exported as text"
    assert "'\t'@cue" in cells and any(c.startswith("'=1+1") for c in cells)  # a trigger after a tab too
    assert any(SCRIPT in c for c in cells), "HTML is plain text in a CSV cell"


def test_claimreview_json_is_valid_and_not_html(hostile):
    response = hostile.client().get(reverse("verify:article_claimreview", args=[hostile.article.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)
    assert data[0]["claimReviewed"] == hostile.claims[0].text
    assert data[0]["itemReviewed"]["author"]["name"] == hostile.speaker.name


@pytest.mark.parametrize(
    "text",
    [
        f"Reuters said {SCRIPT} on Monday.",
        "Reuters said </script><script>alert(1)</script> on Monday.",
        "Reuters said </SCRIPT ><!--<script> on Monday.",
        "Reuters said \u2028 and \u2029 and & on Monday.",
    ],
)
def test_claimreview_script_tag_cannot_be_broken_out_of(hostile, text):
    data = claimreview.claim_review(hostile.claim(0))
    data["claimReviewed"] = text
    data["itemReviewed"]["appearance"]["headline"] = f"Title {IMG}</script>"
    tag = str(claimreview.script_tag(data))
    opening = '<script type="application/ld+json">'
    assert tag.startswith(opening) and tag.endswith("</script>")
    inner = tag[len(opening) : -len("</script>")]
    assert "<" not in inner and ">" not in inner, "no tag can open or close inside the JSON"
    assert tag.lower().count("</script") == 1
    assert json.loads(inner) == data, "the escaped JSON still reads back to the same data"


# --- The registry workbench: what editors type into it ------------------------------------------


def test_a_hostile_source_added_and_edited_through_the_workbench_renders_inert(hostile):
    client = hostile.client()
    response = client.post(
        reverse("verify:source_new"), {"name": f"New {PAYLOAD}", "kind": "person"}, follow=True
    )
    assert response.status_code == 200
    assert_inert(response.content.decode())
    source = Source.objects.get(name=f"New {PAYLOAD}")
    region = client.post(
        reverse("verify:source_alias_add", args=[source.pk]), {"alias": f"Also {IMG}{SCRIPT}"}, **HTMX
    )
    assert region.status_code == 200 and source.aliases.filter(alias=f"Also {IMG}{SCRIPT}").exists()
    assert_inert(region.content.decode())
    edited = client.post(
        reverse("verify:source_edit", args=[source.pk]),
        {"name": f"Edited {PAYLOAD}", "kind": "person"},
        **HTMX,
    )
    assert edited.status_code == 200
    assert_inert(edited.content.decode())
    assert_inert(get_html(client, source.get_absolute_url()))
    assert_inert(get_html(client, reverse("verify:source_list")))


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_refusals_that_name_hostile_sources_are_echoed_escaped(hostile, htmx):
    """A clash names the other source, a refused merge both: their names come back escaped."""
    client = hostile.client()
    extra = HTMX if htmx else {}
    clash = client.post(
        reverse("verify:source_new"), {"name": hostile.outlet.name, "kind": "outlet"}, **extra
    )
    assert "already the name or an alias" in clash.content.decode()
    assert_inert(clash.content.decode())
    alias = client.post(
        reverse("verify:source_alias_add", args=[hostile.speaker.pk]), {"alias": f"Alias {PAYLOAD}"}, **extra
    )
    assert "already a spelling of this source" in alias.content.decode()
    assert_inert(alias.content.decode())
    merge = client.post(
        reverse("verify:source_merge", args=[hostile.speaker.pk]), {"others": [hostile.outlet.pk]}, **extra
    )
    assert "cannot be merged" in merge.content.decode()
    assert_inert(merge.content.decode())
    unknown = client.post(
        reverse("verify:source_merge", args=[hostile.speaker.pk]), {"other_name": PAYLOAD}, **extra
    )
    assert "No source is named" in unknown.content.decode()
    assert_inert(unknown.content.decode())


def test_hostile_possible_duplicates_and_merge_messages_render_inert(hostile):
    twin = Source.objects.create(name=f"SPEAKER {PAYLOAD}", kind=Source.Kind.PERSON)
    client = hostile.client()
    page = get_html(client, hostile.speaker.get_absolute_url())
    assert f'name="others" value="{twin.pk}"' in page, "offered as a possible duplicate"
    assert_inert(page)
    merged = client.post(
        reverse("verify:source_merge", args=[hostile.speaker.pk]), {"others": [twin.pk]}, follow=True
    )
    assert merged.status_code == 200 and "Merged" in merged.content.decode()
    assert_inert(merged.content.decode())
