"""Every page needs a login; roles decide what a user may do."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.base import login


@pytest.mark.parametrize("name", ["verify:article_list", "admin:index"])
def test_anonymous_users_are_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]


def test_anonymous_article_page_redirects_to_login(client, seed_article):
    response = client.get(seed_article.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_served(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200 and b'name="password"' in response.content


def test_health_check_needs_no_login(client, db):
    assert client.get("/healthz").json() == {"ok": True}


@pytest.mark.parametrize("role", ["viewer", "reviewer", "editor"])
def test_every_role_sees_the_article_list_with_the_seed(seed_article, role, request):
    client = login(request.getfixturevalue(role))
    response = client.get(reverse("verify:article_list"))
    assert response.status_code == 200
    assert seed_article.title in response.content.decode()


def test_a_user_without_a_role_is_forbidden(outsider, seed_article):
    client = login(outsider)
    assert client.get(reverse("verify:article_list")).status_code == 403
    assert client.get(seed_article.get_absolute_url()).status_code == 403


def test_article_page_lists_its_claims(viewer, seed_article):
    page = login(viewer).get(seed_article.get_absolute_url()).content.decode()
    for claim in seed_article.claims.all()[:3]:
        assert claim.text in page


def test_search_finds_articles_by_text(viewer, seed_article):
    client = login(viewer)
    assert (
        seed_article.title in client.get(reverse("verify:article_list"), {"q": "वोस्तोचनी"}).content.decode()
    )
    assert (
        "No article matches" in client.get(reverse("verify:article_list"), {"q": "Zanzibar"}).content.decode()
    )


def test_roles_carry_the_permissions_of_the_newsroom(db):
    perms = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert {"view_article", "view_claim"} <= perms["viewers"]
    assert "record_verdict" not in perms["viewers"] and "add_article" not in perms["viewers"]
    assert {"record_verdict", "add_referencelink"} <= perms["reviewers"]
    assert "add_article" not in perms["reviewers"] and "correct_claim" not in perms["reviewers"]
    assert {"add_article", "correct_claim", "record_verdict"} <= perms["editors"]
    assert not any(p.startswith("delete_") for p in set().union(*perms.values()))


def test_only_staff_reach_the_admin(editor):
    response = login(editor).get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]
