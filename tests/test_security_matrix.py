"""Who may do what, over HTTP: every URL of the site × every persona × every method.

Only the intended (URL, persona, method) combinations succeed; every other request gets a login
redirect, a 403 or a 405 — never the data, and never a change in the database. The URL list is
walked from the resolver, so a URL added later without a rule here makes
``test_every_url_of_the_site_has_a_rule`` fail.

Also here: CSRF on every POST endpoint, security headers and cookies, production settings, open
redirects and (one check of) login throttling. See docs/security.md for the same matrix in words.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.base import PASSWORD, make_user, persona
from verify.models import Article, Claim, ReferenceLink, Source, SourceAlias, UrlIngest, Verdict
from verify.services.articles import article_ingest

ROOT = Path(__file__).resolve().parent.parent

PERSONAS = ("anonymous", "outsider", "viewer", "reviewer", "editor", "staff")
METHODS = ("PUT", "DELETE", "GET", "POST")  # the state-changing method last
VIEWERS = frozenset({"viewer", "reviewer", "editor", "staff"})
REVIEWERS = frozenset({"reviewer", "editor", "staff"})
EDITORS = frozenset({"editor", "staff"})

HTMX = {"HTTP_HX_REQUEST": "true"}
# Every piece of the world's data carries this word; a refused response must not contain it.
MARKER = "Marrowvale"
ARTICLE_TEXT = (
    f"Reuters reported that the {MARKER} ferry talks resumed in Geneva on Monday. "
    f"TASS said the {MARKER} delegation arrived late on Tuesday. "
    f"The ministry said the {MARKER} agreement was close to being signed."
)
NEW_ARTICLE_TEXT = "AFP reported that the Quillhaven bridge reopened on Friday."


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas are created in almost every test; the production hasher would dominate the time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- The world: personas and one object of every kind ------------------------------------------


@dataclasses.dataclass
class World:
    users: dict
    article: Article
    claims: list[Claim]  # three claims in one paragraph; claims[0] has a verdict
    link: ReferenceLink  # fetched, drifted evidence link of claims[0]
    source: Source  # the outlet of claims[2]
    job: UrlIngest  # a pending ingest by URL

    def claim(self, i: int) -> Claim:
        return Claim.objects.get(pk=self.claims[i].pk)


@pytest.fixture
def world(db) -> World:
    users = {role: persona(role) for role in ("outsider", "viewer", "reviewer", "editor")}
    users["staff"] = make_user("staff", None, is_staff=True, is_superuser=True)
    article = article_ingest(
        text=ARTICLE_TEXT, title=f"{MARKER} dossier", by=users["editor"], language="en"
    ).article
    claims = list(article.claims.order_by("order"))
    assert len(claims) == 3 and {c.paragraph for c in claims} == {0}, "the world needs 3 claims"
    claims[0].record_verdict(status="corroborated", reviewer=users["reviewer"], note=f"{MARKER} note")
    source = Source.objects.create(name=f"{MARKER} Herald", kind=Source.Kind.OUTLET)
    SourceAlias.objects.create(source=source, alias=f"{MARKER} H.")
    Claim.objects.filter(pk=claims[2].pk).update(outlet=source)
    link = ReferenceLink.objects.create(
        article=article,
        claim=claims[0],
        url=f"https://example.org/{MARKER.lower()}",
        state=ReferenceLink.State.FETCHED,
        title=f"{MARKER} evidence page",
        text=f"Reuters reported that the {MARKER} ferry talks resumed in Geneva on Monday.\nMore.",
        baseline_text=f"Reuters reported that the {MARKER} talks were off.\nMore.",
        fetched_at=timezone.now(),
        drifted_at=timezone.now(),
    )
    job = UrlIngest.objects.create(
        url=f"https://example.org/{MARKER.lower()}-story", requested_by=users["editor"]
    )
    return World(users=users, article=article, claims=claims, link=link, source=source, job=job)


def client_as(world: World, who: str, **kwargs) -> Client:
    client = Client(**kwargs)
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def send(client: Client, method: str, url: str, data: dict | None = None, **extra):
    if method == "GET":
        return client.get(url, data or {}, **extra)
    if method == "POST":
        return client.post(url, data or {}, **extra)
    body = urlencode(data or {})
    return client.generic(method, url, body, content_type="application/x-www-form-urlencoded", **extra)


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def snapshot() -> tuple:
    """Everything a request could change, to compare before and after a refused request."""
    return (
        list(Article.objects.order_by("pk").values_list("pk", "title", "body")),
        list(
            Claim.objects.order_by("pk").values_list(
                "pk",
                "start",
                "end",
                "order",
                "status",
                "version",
                "excluded",
                "corrected",
                "speaker",
                "outlet",
            )
        ),
        list(Verdict.objects.order_by("pk").values_list("pk", "claim", "status", "note")),
        list(ReferenceLink.objects.order_by("pk").values_list("pk", "url", "is_original", "state")),
        list(Source.objects.order_by("pk").values_list("pk", "name", "kind")),
        list(SourceAlias.objects.order_by("pk").values_list("pk", "alias")),
        list(UrlIngest.objects.order_by("pk").values_list("pk", "url", "state")),
        list(get_user_model().objects.order_by("pk").values_list("pk", "username", "is_staff")),
    )


# --- The rules for verify's own URLs --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Rule:
    who: frozenset  # personas for whom the request succeeds
    status: int  # the status of success (a plain form POST redirects back: 302)


@dataclasses.dataclass(frozen=True)
class Endpoint:
    args: Callable[[World], list]  # URL arguments from the world
    methods: dict  # method -> Rule; any other method is 405 for a logged-in user
    shows: bool = True  # a successful GET shows the world's data (so a refusal's lack of it means something)


def _c(i):
    return lambda w: [w.claims[i].pk]


ENDPOINTS: dict[str, Endpoint] = {
    "verify:article_list": Endpoint(lambda w: [], {"GET": Rule(VIEWERS, 200)}),
    "verify:article_new": Endpoint(
        lambda w: [], {"GET": Rule(EDITORS, 200), "POST": Rule(EDITORS, 302)}, shows=False
    ),
    "verify:article_detail": Endpoint(lambda w: [w.article.pk], {"GET": Rule(VIEWERS, 200)}),
    "verify:claim_verdict": Endpoint(_c(1), {"POST": Rule(REVIEWERS, 302)}),
    "verify:claim_history": Endpoint(_c(0), {"GET": Rule(VIEWERS, 200)}),
    "verify:claim_edit": Endpoint(_c(1), {"GET": Rule(EDITORS, 200), "POST": Rule(EDITORS, 302)}),
    "verify:claim_split": Endpoint(_c(1), {"POST": Rule(EDITORS, 302)}),
    "verify:claim_merge": Endpoint(_c(0), {"POST": Rule(EDITORS, 302)}),
    "verify:claim_exclude": Endpoint(_c(2), {"POST": Rule(EDITORS, 302)}),
    "verify:article_claimreview": Endpoint(lambda w: [w.article.pk], {"GET": Rule(VIEWERS, 200)}),
    "verify:claim_claimreview": Endpoint(_c(0), {"GET": Rule(VIEWERS, 200)}),
    "verify:export_page": Endpoint(lambda w: [], {"GET": Rule(VIEWERS, 200)}),
    "verify:export_csv": Endpoint(lambda w: [], {"GET": Rule(VIEWERS, 200)}),
    "verify:claim_links": Endpoint(_c(0), {"GET": Rule(VIEWERS, 200), "POST": Rule(REVIEWERS, 302)}),
    "verify:link_evidence": Endpoint(lambda w: [w.link.pk], {"GET": Rule(VIEWERS, 200)}),
    "verify:link_diff": Endpoint(lambda w: [w.link.pk], {"GET": Rule(VIEWERS, 200)}),
    "verify:link_original": Endpoint(lambda w: [w.link.pk], {"POST": Rule(REVIEWERS, 302)}),
    "verify:url_ingest": Endpoint(lambda w: [w.job.pk], {"GET": Rule(EDITORS, 200)}, shows=False),
    "verify:source_list": Endpoint(lambda w: [], {"GET": Rule(VIEWERS, 200)}),
    "verify:source_detail": Endpoint(lambda w: [w.source.pk], {"GET": Rule(VIEWERS, 200)}),
    "verify:source_new": Endpoint(lambda w: [], {"POST": Rule(EDITORS, 302)}),
    "verify:source_edit": Endpoint(lambda w: [w.source.pk], {"POST": Rule(EDITORS, 302)}),
    "verify:source_alias_add": Endpoint(lambda w: [w.source.pk], {"POST": Rule(EDITORS, 302)}),
    "verify:source_alias_remove": Endpoint(
        lambda w: [w.source.pk, w.source.aliases.get().pk], {"POST": Rule(EDITORS, 302)}
    ),
    "verify:source_merge": Endpoint(
        lambda w: [Source.objects.get(name="AP").pk], {"POST": Rule(EDITORS, 302)}
    ),
    "verify:source_reextract": Endpoint(lambda w: [w.source.pk], {"POST": Rule(EDITORS, 302)}),
}


@dataclasses.dataclass(frozen=True)
class Post:
    """A POST that an allowed persona makes succeed: its data and how to see that it worked."""

    data: Callable[[World], dict]
    done: Callable[[World], bool]
    htmx_status: int = 200


def _split_data(w: World) -> dict:
    claim = w.claim(1)
    return {"version": claim.version, "before": " ".join(claim.text.split()[2:4])}


POSTS: dict[str, Post] = {
    "verify:article_new": Post(
        lambda w: {"text": NEW_ARTICLE_TEXT, "title": "Quillhaven"},
        lambda w: Article.objects.filter(title="Quillhaven").exists(),
        htmx_status=302,
    ),
    "verify:claim_verdict": Post(
        lambda w: {"status": "disputed", "version": w.claim(1).version, "note": "checked"},
        lambda w: w.claim(1).verdicts.filter(status="disputed").exists(),
    ),
    "verify:claim_edit": Post(
        lambda w: {"version": w.claim(1).version, "attribution": "explicit", "new_speaker": "Ada Quill"},
        lambda w: w.claim(1).corrected and w.claim(1).speaker.name == "Ada Quill",
    ),
    "verify:claim_split": Post(_split_data, lambda w: w.article.claims.count() == 4),
    "verify:claim_merge": Post(
        lambda w: {"version": w.claim(0).version}, lambda w: w.article.claims.count() == 2
    ),
    "verify:claim_exclude": Post(lambda w: {"version": w.claim(2).version}, lambda w: w.claim(2).excluded),
    "verify:claim_links": Post(
        lambda w: {"urls": "https://example.org/more-evidence"},
        lambda w: w.claim(0).links.filter(url="https://example.org/more-evidence").exists(),
    ),
    "verify:link_original": Post(lambda w: {}, lambda w: ReferenceLink.objects.get(pk=w.link.pk).is_original),
    "verify:source_new": Post(
        lambda w: {"name": "Quillhaven Ledger", "kind": "outlet"},
        lambda w: Source.objects.filter(name="Quillhaven Ledger", kind="outlet").exists(),
    ),
    "verify:source_edit": Post(
        lambda w: {"name": f"{MARKER} Gazette", "kind": "outlet", "country": "NZ"},
        lambda w: Source.objects.get(pk=w.source.pk).name == f"{MARKER} Gazette",
    ),
    "verify:source_alias_add": Post(
        lambda w: {"alias": "Quillhaven H."},
        lambda w: w.source.aliases.filter(alias="Quillhaven H.").exists(),
    ),
    "verify:source_alias_remove": Post(lambda w: {}, lambda w: not w.source.aliases.exists()),
    "verify:source_merge": Post(  # the world's outlet into AP (a row of the data file is kept)
        lambda w: {"other_name": f"{MARKER} Herald"},
        lambda w: not Source.objects.filter(pk=w.source.pk).exists() and w.claim(2).outlet.name == "AP",
    ),
    # Queues re-extractions (none here: no article writes the world's outlet); what it queues is
    # tested in tests/test_source_admin_views.py. Here: who may, and the CSRF check.
    "verify:source_reextract": Post(lambda w: {}, lambda w: True),
}


def expected(name: str, who: str, method: str) -> tuple[str, int]:
    """("ok", status) | ("login", 302) | ("forbidden", 403) | ("method", 405)."""
    if who == "anonymous":
        return ("login", 302)
    rule = ENDPOINTS[name].methods.get(method)
    if rule is None:
        return ("method", 405)
    return ("ok", rule.status) if who in rule.who else ("forbidden", 403)


# --- Walking the resolver --------------------------------------------------------------------------


def walk(patterns, namespace: str = "", prefix: str = ""):
    """(qualified name or None, route) of every URL pattern, namespaces included."""
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x)
            yield from walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield (f"{namespace}:{p.name}" if namespace and p.name else p.name), prefix + str(p.pattern)


ALL_URLS = list(walk(get_resolver().url_patterns))
ADMIN_NAMES = sorted({n for n, _ in ALL_URLS if n and n.startswith("admin:")})
# The site's own URLs outside the app and the admin, each with a test of its own below.
PUBLIC = {"login", "logout", "set_language", "healthz"}


def test_every_url_of_the_site_has_a_rule():
    named = {n for n, _ in ALL_URLS if n and not n.startswith("admin:")}
    assert named == set(ENDPOINTS) | PUBLIC, "a URL without a rule in this matrix (or a rule for no URL)"
    unnamed = [route for n, route in ALL_URLS if n is None and not route.startswith("admin/")]
    assert not unnamed, f"URLs without a name cannot be checked: {unnamed}"
    for name in ADMIN_NAMES:
        assert admin_target(name) is not None, f"no rule for the admin URL {name}"
    # every POST endpoint of verify has a working request in POSTS (used by the CSRF tests)
    posting = {n for n, e in ENDPOINTS.items() if "POST" in e.methods}
    assert posting == set(POSTS)


def check_persona(world: World, name: str, who: str) -> list[str]:
    """Every method on the URL as ``who``: what went otherwise than the rules say."""
    endpoint = ENDPOINTS[name]
    url = reverse(name, args=endpoint.args(world))
    client = client_as(world, who)
    wrong = []
    for method in METHODS:
        outcome, status = expected(name, who, method)
        data = POSTS[name].data(world) if name in POSTS else {}
        before = snapshot()
        response = send(client, method, url, data)
        body = content_of(response)
        got = response.status_code
        if got != status:
            wrong.append(f"{who} {method}: expected {outcome} {status}, got {got}")
            continue
        if outcome == "ok":
            if method == "POST" and not POSTS[name].done(world):
                wrong.append(f"{who} {method}: {status} but the change was not made")
            if method == "GET" and endpoint.shows and MARKER.encode() not in body:
                wrong.append(f"{who} {method}: {status} but the data is not there")
            continue
        # refused: no data, no change
        if MARKER.encode() in body:
            wrong.append(f"{who} {method}: refused with {got} but the response shows the data")
        if snapshot() != before:
            wrong.append(f"{who} {method}: refused with {got} but the database changed")
        if outcome == "login" and not response["Location"].startswith(reverse("login")):
            wrong.append(f"{who} {method}: redirected to {response['Location']}, not to the login page")
    return wrong


@pytest.mark.parametrize("name", list(ENDPOINTS), ids=lambda n: n.split(":")[1])
def test_only_the_intended_personas_and_methods_succeed(world, name):
    """The URL × the six personas × GET/POST/PUT/DELETE, each persona from the same fresh world
    (its changes are rolled back before the next persona comes)."""
    wrong = []
    for who in PERSONAS:
        with transaction.atomic():
            wrong += check_persona(world, name, who)
            transaction.set_rollback(True)
    assert not wrong, f"{name}:\n" + "\n".join(wrong)


HTMX_REFUSALS = [
    (name, who)
    for name in sorted(POSTS)
    for who in ("outsider", "viewer", "reviewer")
    if who not in ENDPOINTS[name].methods["POST"].who
]


@pytest.mark.parametrize(("name", "who"), HTMX_REFUSALS)
def test_htmx_posts_are_refused_like_plain_ones(world, name, who):
    url = reverse(name, args=ENDPOINTS[name].args(world))
    before = snapshot()
    response = client_as(world, who).post(url, POSTS[name].data(world), **HTMX)
    assert response.status_code == 403
    assert MARKER.encode() not in response.content and snapshot() == before


def test_a_missing_object_is_a_404_for_the_allowed_and_a_refusal_for_others(world):
    """Guessing ids tells an outsider nothing: 403 whether or not the claim exists."""
    missing = reverse("verify:claim_history", args=[999_999])
    assert client_as(world, "viewer").get(missing).status_code == 404
    assert client_as(world, "outsider").get(missing).status_code == 403
    assert client_as(world, "anonymous").get(missing).status_code == 302


# --- Public URLs: login, logout, language, health ---------------------------------------------------


@pytest.mark.parametrize("who", PERSONAS)
def test_healthz_answers_everyone_and_only_to_get(world, who):
    client = client_as(world, who)
    assert client.get("/healthz").json() == {"ok": True}
    for method in ("POST", "PUT", "DELETE"):
        assert send(client, method, "/healthz").status_code == 405


@pytest.mark.parametrize("who", PERSONAS)
def test_login_page_is_served_to_everyone_and_logs_in_with_a_password(world, who):
    client = client_as(world, who)
    page = client.get(reverse("login"))
    assert page.status_code == 200 and b'name="password"' in page.content
    assert MARKER.encode() not in page.content
    assert send(client, "DELETE", reverse("login")).status_code == 405
    # PUT is handled like a POST by Django's FormView: an empty form, shown again, nobody logged in
    put = send(client, "PUT", reverse("login"), {"username": "viewer", "password": PASSWORD})
    assert put.status_code == 200 and MARKER.encode() not in put.content
    user = world.users["viewer" if who == "anonymous" else who]
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("verify:article_list")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_logs_nobody_in(world):
    client = Client()
    response = client.post(reverse("login"), {"username": "editor", "password": "not it"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.parametrize("who", PERSONAS)
def test_logout_is_a_post(world, who):
    client = client_as(world, who)
    for method in ("GET", "PUT", "DELETE"):
        response = send(client, method, reverse("logout"))
        if who == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == 405 and "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("who", PERSONAS)
def test_the_language_switch_works_for_everyone_and_changes_only_on_post(world, who):
    client = client_as(world, who)
    for method in ("GET", "PUT", "DELETE"):
        response = send(client, method, reverse("set_language"), {"language": "hi", "next": "/"})
        assert response.status_code == 302 and "django_language" not in response.cookies
    response = client.post(reverse("set_language"), {"language": "hi", "next": "/sources/"})
    assert response.status_code == 302 and response["Location"] == "/sources/"
    assert response.cookies["django_language"].value == "hi"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_no_open_redirect_through_login_or_the_language_switch(world, target):
    client = Client()
    response = client.post(
        reverse("login") + "?" + urlencode({"next": target}),
        {"username": "viewer", "password": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("verify:article_list")
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_static_files_need_no_login(db, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/verify/app.css")  # a new client loads the middleware anew
    assert response.status_code == 200
    assert b"".join(response.streaming_content) if response.streaming else response.content


# --- The admin ------------------------------------------------------------------------------------

_MODEL_VIEWS = ("changelist", "add", "change", "history", "delete")


def admin_target(name: str):
    """(URL builder, staff's expected GET status) for an admin URL name, or None if unknown."""
    short = name.split(":", 1)[1]
    simple = {
        "index": 200,
        "login": 302,  # a logged-in staff member is sent on to the index
        "logout": 405,  # POST only
        "password_change": 200,
        "password_change_done": 200,
        "jsi18n": 200,
        "autocomplete": 403,  # without its parameters
    }
    if short in simple:
        return (lambda w: reverse(name)), simple[short]
    if short == "app_list":
        return (lambda w: reverse(name, kwargs={"app_label": "verify"})), 200
    if short == "auth_user_password_change":
        return (lambda w: reverse(name, args=[w.users["viewer"].pk])), 200
    if short == "view_on_site":
        return (
            lambda w: reverse(name, args=[ContentType.objects.get_for_model(Article).pk, w.article.pk])
        ), 302
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        view = short.removeprefix(prefix)
        if short.startswith(prefix) and view in _MODEL_VIEWS:
            status = 200
            if view == "add" and not model_admin.has_add_permission(SUPERUSER_REQUEST):
                status = 403
            if view == "delete" and not model_admin.has_delete_permission(SUPERUSER_REQUEST):
                status = 403
            if view in ("changelist", "add"):
                return (lambda w: reverse(name)), status
            return (lambda w, m=model: reverse(name, args=[admin_object(w, m).pk])), status
    return None


# Enough of a request for ModelAdmin.has_*_permission: a superuser, who holds every permission.
SUPERUSER_REQUEST = SimpleNamespace(
    user=SimpleNamespace(
        is_active=True, is_staff=True, is_superuser=True, has_perm=lambda perm, obj=None: True
    )
)


def admin_object(w: World, model):
    """One object of ``model`` that exists in the world."""
    known = {
        Article: w.article,
        Claim: w.claims[0],
        Source: w.source,
        ReferenceLink: w.link,
        Verdict: Verdict.objects.first(),
        get_user_model(): w.users["viewer"],
    }
    return known[model] if model in known else model.objects.first()


@pytest.fixture
def admin_world(world):
    """The world plus an object for every other admin model (axes' records; groups exist)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    common = {"username": "viewer", "ip_address": "203.0.113.7", "user_agent": "t", "path_info": "/"}
    AccessAttempt.objects.create(**common, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**common)
    AccessFailureLog.objects.create(**common)
    return world


def admin_group(name: str) -> str:
    """The model an admin URL belongs to ("verify_claim"), or "site" for the site's own views."""
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}"
        if name.split(":", 1)[1].startswith(prefix + "_"):
            return prefix
    return "site"


ADMIN_GROUPS = sorted({admin_group(n) for n in ADMIN_NAMES})


def check_admin_url(w: World, name: str) -> list[str]:
    build, staff_status = admin_target(name)
    url = build(w)
    short = name.split(":", 1)[1]
    wrong = []
    for who in PERSONAS:
        client = client_as(w, who)
        if who == "staff":
            got = client.get(url).status_code
            if got != staff_status:
                wrong.append(f"{name} staff GET: expected {staff_status}, got {got}")
            continue
        methods = ("GET",) if short in ("login", "logout") else ("GET", "POST")
        for method in methods:
            before = snapshot() if method == "POST" else None
            data = {"action": "delete_selected", "_selected_action": [w.claims[0].pk], "post": "yes"}
            response = send(client, method, url, data)
            body = content_of(response)
            if short == "login":
                ok = response.status_code == 200 and b'name="password"' in body
            else:
                # (admin logout sends a non-staff user to the admin index, which asks for a login)
                allowed = ("/admin/login/", reverse("login"), *(["/admin/"] if short == "logout" else []))
                ok = response.status_code == 302 and response["Location"].split("?")[0].startswith(allowed)
            if not ok:
                wrong.append(
                    f"{name} {who} {method}: got {response.status_code} {response.get('Location', '')}"
                )
            if MARKER.encode() in body:
                wrong.append(f"{name} {who} {method}: the response shows the data")
            if before is not None and snapshot() != before:
                wrong.append(f"{name} {who} {method}: the database changed")
    return wrong


@pytest.mark.parametrize("group", ADMIN_GROUPS)
def test_the_admin_refuses_non_staff_and_serves_staff(admin_world, group):
    """Every admin URL of the group (changelist, add, change, history, delete…): non-staff
    personas are sent to a login page by GET and POST, staff are served."""
    wrong = []
    for name in ADMIN_NAMES:
        if admin_group(name) == group:
            wrong += check_admin_url(admin_world, name)
    assert not wrong, "\n".join(wrong)


def test_editors_are_not_staff_and_reach_no_admin_page(world):
    """The roles give model permissions (change_claim…) but never admin access."""
    client = client_as(world, "editor")
    response = client.get(reverse("admin:verify_claim_change", args=[world.claims[0].pk]))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# --- CSRF -------------------------------------------------------------------------------------------

# The least-privileged persona that may make each POST.
POSTER = {
    "verify:article_new": "editor",
    "verify:claim_verdict": "reviewer",
    "verify:claim_edit": "editor",
    "verify:claim_split": "editor",
    "verify:claim_merge": "editor",
    "verify:claim_exclude": "editor",
    "verify:claim_links": "reviewer",
    "verify:link_original": "reviewer",
    "verify:source_new": "editor",
    "verify:source_edit": "editor",
    "verify:source_alias_add": "editor",
    "verify:source_alias_remove": "editor",
    "verify:source_merge": "editor",
    "verify:source_reextract": "editor",
}


def csrf_client(world: World, who: str) -> tuple[Client, str]:
    """A client that checks CSRF like a browser would, after loading a page (which sets the cookie)."""
    client = client_as(world, who, enforce_csrf_checks=True)
    page = client.get(world.article.get_absolute_url() if who != "anonymous" else reverse("login"))
    assert page.status_code == 200
    return client, client.cookies["csrftoken"].value


@pytest.mark.parametrize("mode", ["form", "htmx"])
@pytest.mark.parametrize("name", sorted(POSTER))
def test_posts_without_the_csrf_token_are_refused_and_change_nothing(world, name, mode):
    assert POSTER[name] in ENDPOINTS[name].methods["POST"].who
    client, token = csrf_client(world, POSTER[name])
    url = reverse(name, args=ENDPOINTS[name].args(world))
    extra = HTMX if mode == "htmx" else {}
    before = snapshot()
    response = client.post(url, POSTS[name].data(world), **extra)
    assert response.status_code == 403 and snapshot() == before
    assert MARKER.encode() not in response.content
    # a token that does not match the cookie is no better
    bad = {**POSTS[name].data(world), "csrfmiddlewaretoken": "x" * len(token)}
    assert client.post(url, bad, **extra).status_code == 403 and snapshot() == before
    # with the token (in the form, or in the header htmx sends from hx-headers) it works
    if mode == "form":
        response = client.post(url, {**POSTS[name].data(world), "csrfmiddlewaretoken": token})
        assert response.status_code == 302
    else:
        response = client.post(url, POSTS[name].data(world), HTTP_X_CSRFTOKEN=token, **HTMX)
        assert response.status_code == POSTS[name].htmx_status
    assert POSTS[name].done(world)


def test_login_needs_the_csrf_token(world):
    client, token = csrf_client(world, "anonymous")
    creds = {"username": "viewer", "password": PASSWORD}
    assert client.post(reverse("login"), creds).status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.post(reverse("login"), {**creds, "csrfmiddlewaretoken": token}).status_code == 302
    assert "_auth_user_id" in client.session


def test_logout_needs_the_csrf_token(world):
    client, token = csrf_client(world, "viewer")
    assert client.post(reverse("logout")).status_code == 403
    assert "_auth_user_id" in client.session
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_language_switch_needs_the_csrf_token(world):
    client, token = csrf_client(world, "viewer")
    refused = client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    assert refused.status_code == 403 and "django_language" not in refused.cookies
    done = client.post(reverse("set_language"), {"language": "hi", "next": "/", "csrfmiddlewaretoken": token})
    assert done.status_code == 302 and done.cookies["django_language"].value == "hi"


def test_admin_actions_need_the_csrf_token(world):
    client = client_as(world, "staff", enforce_csrf_checks=True)
    assert client.get(reverse("admin:verify_claim_changelist")).status_code == 200
    token = client.cookies["csrftoken"].value
    url = reverse("admin:verify_claim_changelist")
    action = {"action": "mark_disputed", "_selected_action": [world.claims[1].pk]}
    before = snapshot()
    assert client.post(url, action).status_code == 403 and snapshot() == before
    assert client.post(url, {**action, "csrfmiddlewaretoken": token}).status_code == 302
    assert world.claim(1).status == "disputed"


# --- Headers and cookies ------------------------------------------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


PAGES = {
    "article list": lambda w: reverse("verify:article_list"),
    "review page": lambda w: w.article.get_absolute_url(),
    "new article": lambda w: reverse("verify:article_new"),
    "sources": lambda w: reverse("verify:source_list"),
    "source record": lambda w: w.source.get_absolute_url(),
    "export": lambda w: reverse("verify:export_page"),
    "fetching by URL": lambda w: w.job.get_absolute_url(),
}


class _InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, inline styles, event handlers."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {k.lower(): v for k, v in attrs}
        if tag == "script" and "src" not in names and names.get("type") != "application/ld+json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for k in names:
            if k == "style" or k.startswith("on"):
                self.found.append(f"{tag} {k}=")


def assert_security_headers(response) -> None:
    csp = csp_directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"], csp
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_carry_the_security_headers_and_no_inline_code(world, page):
    response = client_as(world, "editor").get(PAGES[page](world))
    assert response.status_code == 200
    assert_security_headers(response)
    parser = _InlineCode()
    parser.feed(response.content.decode())
    assert not parser.found, f"the CSP would block: {parser.found}"


@pytest.mark.parametrize(
    ("what", "who", "url", "extra"),
    [
        ("login page", "anonymous", lambda w: reverse("login"), {}),
        ("login redirect", "anonymous", lambda w: reverse("verify:article_list"), {}),
        ("403 page", "outsider", lambda w: reverse("verify:article_list"), {}),
        ("htmx partial", "viewer", lambda w: reverse("verify:claim_history", args=[w.claims[0].pk]), HTMX),
        ("CSV download", "viewer", lambda w: reverse("verify:export_csv"), {}),
        (
            "ClaimReview JSON",
            "viewer",
            lambda w: reverse("verify:article_claimreview", args=[w.article.pk]),
            {},
        ),
        ("admin", "staff", lambda w: reverse("admin:index"), {}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_kind_of_response_carries_the_security_headers(world, what, who, url, extra):
    response = client_as(world, who).get(url(world), **extra)
    assert response.status_code in (200, 302, 403)
    assert_security_headers(response)


def test_htmx_may_not_evaluate_code(world):
    page = client_as(world, "viewer").get(reverse("verify:article_list")).content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert config and json.loads(config.group(1))["allowEval"] is False


def test_the_session_cookie_is_http_only_and_same_site(world):
    client = Client()
    response = client.post(reverse("login"), {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
    page = client.get(reverse("verify:article_list"))
    assert page.cookies["csrftoken"]["samesite"] == "Lax"


def test_logging_in_starts_a_new_session(world):
    """No session fixation: the session id before login is not the one after it."""
    client = Client()
    client.get(reverse("login"))
    session = client.session
    session["probe"] = "before"
    session.save()
    before = session.session_key
    client.post(reverse("login"), {"username": "viewer", "password": PASSWORD})
    assert client.session.session_key != before


def test_production_settings_are_https_only_with_secure_cookies_and_hsts(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-" + "x7Qp2Lm9Zr4Tn8Vb3Kc6Wd1Hf5Jg0Ys",
        ALLOWED_HOSTS="verify.example.org",
        VERIFY_VAR_DIR=str(tmp_path),
        DATABASE_URL="",
    )
    code = (
        "import json; from django.conf import settings as s; from django.test import Client;"
        "c = Client(SERVER_NAME='verify.example.org');"
        "plain = c.get('/healthz'); tls = c.get('/healthz', secure=True);"
        "print(json.dumps({k: getattr(s, k) for k in ('DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',"
        " 'SESSION_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS',"
        " 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'X_FRAME_OPTIONS')} | {'plain': plain.status_code,"
        " 'plain_location': plain.get('Location'), 'hsts': tls.get('Strict-Transport-Security')}))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout.strip().splitlines()[-1])
    assert got["DEBUG"] is False
    assert got["SESSION_COOKIE_SECURE"] and got["CSRF_COOKIE_SECURE"] and got["SESSION_COOKIE_HTTPONLY"]
    assert got["SECURE_SSL_REDIRECT"] and got["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert got["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and got["X_FRAME_OPTIONS"] == "DENY"
    assert got["plain"] == 301 and got["plain_location"] == "https://verify.example.org/healthz"
    assert got["hsts"].startswith("max-age=31536000") and "includeSubDomains" in got["hsts"]


@pytest.mark.throttling
def test_logins_are_throttled_after_the_failure_limit(world, settings):
    """One check (tests/test_throttling.py has the rest), with a forged X-Forwarded-For on every
    attempt: the header is not believed, so it does not reset the count."""
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "editor", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
    locked = client.post(
        reverse("login"), {"username": "editor", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.99"
    )
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
