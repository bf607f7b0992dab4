"""The registry workbench in a real browser: an editor adds and removes spellings over htmx
without a reload, merges a duplicate speaker, adds a source without JavaScript; a viewer sees
no controls."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from verify.models import Claim, Source, SourceAlias

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_adds_and_removes_a_spelling_without_a_reload(page, editor):
    tass = Source.objects.get(name="TASS")
    log_in(page, editor, tass.get_absolute_url())
    page.evaluate("window.__noReload = 1")
    page.fill(".add-alias input[name=alias]", "टी ए एस एस मॉस्को")
    page.click(".add-alias button[type=submit]")
    expect(page.locator("#source-head .messages")).to_contain_text("the next extraction reads it")
    assert SourceAlias.objects.filter(source=tass, alias="टी ए एस एस मॉस्को").exists()

    page.fill(".add-alias input[name=alias]", "तास")  # already TASS's own spelling
    page.click(".add-alias button[type=submit]")
    expect(page.locator("#source-head .conflict")).to_contain_text("already a spelling of this source")

    page.get_by_role("button", name="Remove टी ए एस एस मॉस्को").click()
    expect(page.locator("#source-head .messages")).to_contain_text("was removed")
    assert not SourceAlias.objects.filter(source=tass, alias="टी ए एस एस मॉस्को").exists()
    assert page.evaluate("window.__noReload") == 1, "the page was not reloaded"


def test_an_editor_merges_a_possible_duplicate(page, editor, seed_article):
    peskov = Source.objects.get(name="Dmitry Peskov")
    SourceAlias.objects.filter(source=peskov).delete()
    dup = Source.objects.create(name="दिमित्री पेस्कोव", kind=Source.Kind.PERSON)
    claim = seed_article.claims.order_by("order").first()
    Claim.objects.filter(pk=claim.pk).update(speaker=dup)
    log_in(page, editor, peskov.get_absolute_url())
    page.check(f".merge-sources input[name=others][value='{dup.pk}']")
    with page.expect_navigation():
        page.click(".merge-sources button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Merged दिमित्री पेस्कोव into Dmitry Peskov")
    assert Claim.objects.get(pk=claim.pk).speaker_id == peskov.pk
    assert not Source.objects.filter(pk=dup.pk).exists()


def test_without_javascript_an_editor_adds_a_source(new_page, editor):
    page = new_page(java_script_enabled=False)
    log_in(page, editor, "/sources/")
    page.click("#source-new summary")
    page.fill("#source-new input[name=name]", "एएफपी")  # an alias of AFP
    with page.expect_navigation():
        page.click("#source-new button[type=submit]")
    expect(page.locator("#source-new .conflict")).to_contain_text("already the name or an alias of “AFP”")
    page.fill("#source-new input[name=name]", "Marrow Courier")
    page.select_option("#source-new select[name=kind]", "outlet")
    page.fill("#source-new input[name=country]", "ie")
    with page.expect_navigation():
        page.click("#source-new button[type=submit]")
    source = Source.objects.get(name="Marrow Courier")
    assert page.url.endswith(source.get_absolute_url()) and source.country == "IE"


def test_a_viewer_sees_no_controls(page, viewer):
    log_in(page, viewer, Source.objects.get(name="TASS").get_absolute_url())
    expect(page.locator("h1")).to_have_text("TASS")
    expect(page.locator(".source-editor")).to_have_count(0)
    page.goto("/sources/")
    expect(page.locator("#source-new")).to_have_count(0)
