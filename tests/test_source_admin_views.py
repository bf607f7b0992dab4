"""Editors manage the source registry in the workbench: new sources, their fields and aliases,
merges of duplicate speakers. Viewers and reviewers see no controls and are refused; bad input
is refused with a message naming the rule, and changes nothing; a new alias is read by the next
extraction in the same process."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.base import login
from verify import tasks
from verify.models import Claim, Source, SourceAlias
from verify.services.articles import article_ingest, article_reextract

HTMX = {"HTTP_HX_REQUEST": "true"}


def registry_state() -> tuple:
    return (
        list(Source.objects.order_by("pk").values_list("pk", "name", "kind", "country", "state_affiliated")),
        list(SourceAlias.objects.order_by("pk").values_list("pk", "source", "alias")),
        list(Claim.objects.order_by("pk").values_list("pk", "speaker", "outlet")),
    )


def new_source(**fields) -> dict:
    return {"name": "Marrow Courier", "kind": "outlet", "country": "", **fields}


# --- Adding a source ------------------------------------------------------------------------------


def test_an_editor_adds_an_outlet_from_the_list_page(editor):
    client = login(editor)
    page = client.get(reverse("verify:source_list")).content.decode()
    assert "Add a source" in page and reverse("verify:source_new") in page
    response = client.post(
        reverse("verify:source_new"), new_source(country="gb", state_affiliated="on"), follow=True
    )
    source = Source.objects.get(name="Marrow Courier")
    assert (source.kind, source.country, source.state_affiliated) == ("outlet", "GB", True)
    assert response.redirect_chain[-1][0] == source.get_absolute_url()
    assert "is in the registry" in response.content.decode()


def test_an_htmx_add_opens_the_new_sources_page(editor):
    response = login(editor).post(
        reverse("verify:source_new"), new_source(kind="person", name="Ada Marrow"), **HTMX
    )
    source = Source.objects.get(name="Ada Marrow")
    assert response.status_code == 200 and response["HX-Redirect"] == source.get_absolute_url()
    assert source.kind == Source.Kind.PERSON


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "   "}, "The name is empty."),
        ({"name": "M" * 201}, "the limit is 200"),
        ({"name": "AFP"}, "already the name or an alias of “AFP”"),
        ({"name": "एएफपी"}, "already the name or an alias of “AFP”"),  # an alias of another outlet
        ({"name": "Tidewater", "country": "GBR"}, "two-letter ISO code"),
        ({"name": "Tidewater", "kind": "planet"}, "planet"),
    ],
    ids=["empty", "too long", "name clash", "alias clash", "country", "kind"],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_bad_new_sources_are_refused_with_a_clear_error_and_change_nothing(editor, fields, message, htmx):
    client = login(editor)
    before = registry_state()
    response = client.post(reverse("verify:source_new"), new_source(**fields), **(HTMX if htmx else {}))
    assert registry_state() == before
    body = response.content.decode()
    if htmx:
        assert response.status_code == 200 and response["HX-Retarget"] == "#source-new"
    else:
        assert response.status_code == 200 and "<h1>" in body
    assert message in body.replace("&quot;", '"')


# --- Fields and aliases ---------------------------------------------------------------------------


def test_an_editor_edits_a_sources_fields_and_the_old_name_stays_an_alias(editor):
    source = Source.objects.create(name="Marrow Courier", kind="outlet")
    client = login(editor)
    url = reverse("verify:source_edit", args=[source.pk])
    response = client.post(url, {"name": "The Marrow Courier", "kind": "outlet", "country": "IE"})
    assert response.status_code == 302 and response["Location"] == source.get_absolute_url()
    source.refresh_from_db()
    assert (source.name, source.country, source.state_affiliated) == ("The Marrow Courier", "IE", False)
    assert list(source.aliases.values_list("alias", flat=True)) == ["Marrow Courier"]
    clash = client.post(url, {"name": "TASS", "kind": "outlet"}, **HTMX)
    assert clash.status_code == 200 and "already the name or an alias of “TASS”" in clash.content.decode()
    source.refresh_from_db()
    assert source.name == "The Marrow Courier"


def test_an_editor_adds_and_removes_aliases_through_htmx(editor):
    source = Source.objects.create(name="Marrow Courier", kind="outlet")
    client = login(editor)
    response = client.post(
        reverse("verify:source_alias_add", args=[source.pk]), {"alias": "मैरो कूरियर"}, **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="source-head"' in body and "मैरो कूरियर" in body and "the next extraction reads it" in body
    alias = SourceAlias.objects.get(source=source, alias="मैरो कूरियर")
    remove = reverse("verify:source_alias_remove", args=[source.pk, alias.pk])
    assert remove in body, "each alias has its remove button"
    response = client.post(remove, **HTMX)
    assert response.status_code == 200 and "was removed" in response.content.decode()
    assert not source.aliases.exists()
    again = client.post(remove)  # already gone: said so, nothing else removed
    assert again.status_code == 200 and "no longer there" in again.content.decode()


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("", "The alias is empty."),
        ("क" * 201, "201 characters long; the limit is 200"),
        ("तास", "already used by “TASS”"),  # another outlet's alias
        ("टी.ए.एस.एस", None),  # not a clash: written differently
        ("Marrow Courier", "already a spelling of this source"),
        ("marrow  courier", "already a spelling of this source"),
    ],
)
def test_alias_rules(editor, alias, message):
    source = Source.objects.create(name="Marrow Courier", kind="outlet")
    client = login(editor)
    before = registry_state()
    response = client.post(reverse("verify:source_alias_add", args=[source.pk]), {"alias": alias})
    if message is None:
        assert response.status_code == 302 and source.aliases.filter(alias=alias).exists()
        return
    assert response.status_code == 200 and message in response.content.decode()
    assert registry_state() == before


def test_an_alias_of_an_outlet_may_also_name_a_person(editor):
    """The clash rule is per kind: "Sputnik" the agency and a person nicknamed so are apart."""
    person = Source.objects.create(name="Ivan Marrow", kind="person")
    response = login(editor).post(reverse("verify:source_alias_add", args=[person.pk]), {"alias": "Sputnik"})
    assert response.status_code == 302 and person.aliases.filter(alias="Sputnik").exists()


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_see_no_controls_and_are_refused(request, role):
    user = request.getfixturevalue(role)
    source = Source.objects.get(name="TASS")
    alias = source.aliases.first()
    client = login(user)
    list_page = client.get(reverse("verify:source_list")).content.decode()
    detail = client.get(source.get_absolute_url()).content.decode()
    assert "Add a source" not in list_page and reverse("verify:source_new") not in list_page
    for name in ("source_edit", "source_alias_add", "source_merge", "source_reextract"):
        assert reverse(f"verify:{name}", args=[source.pk]) not in detail
    assert reverse("verify:source_alias_remove", args=[source.pk, alias.pk]) not in detail
    before = registry_state()
    posts = [
        (reverse("verify:source_new"), new_source()),
        (reverse("verify:source_edit", args=[source.pk]), {"name": "X", "kind": "outlet"}),
        (reverse("verify:source_alias_add", args=[source.pk]), {"alias": "टीएएसएस न्यूज़"}),
        (reverse("verify:source_alias_remove", args=[source.pk, alias.pk]), {}),
        (reverse("verify:source_merge", args=[source.pk]), {"other_name": "RIA Novosti"}),
        (reverse("verify:source_reextract", args=[source.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
        assert client.post(url, data, **HTMX).status_code == 403, url
    assert registry_state() == before


# --- The registry as the extractor reads it ------------------------------------------------------

HINDI_STORY = "{name} के अनुसार, मैरो नदी पर पुल फिर से खुल गया है। {name} ने बताया कि नदी पर नया बांध बनेगा।"


def test_a_new_alias_takes_effect_in_the_next_extraction_without_a_restart(editor):
    """The alias is added through the page; the next ingest, in this same process, tags the
    claims with the outlet (before it, the same name was read as a new speaker)."""
    client = login(editor)
    client.post(reverse("verify:source_new"), new_source(name="Quillhaven Times"))
    outlet = Source.objects.get(name="Quillhaven Times")
    before = article_ingest(
        text=HINDI_STORY.format(name="क्विलहेवन टाइम्स"), title="before", by=editor, language="hi"
    ).article
    assert not before.claims.filter(outlet=outlet).exists(), "without the alias the outlet is unknown"

    response = client.post(reverse("verify:source_alias_add", args=[outlet.pk]), {"alias": "क्विलहेवन टाइम्स"})
    assert response.status_code == 302

    after = article_ingest(
        text=HINDI_STORY.format(name="क्विलहेवन टाइम्स").replace("मैरो", "क्विलहेवन"),
        title="after",
        by=editor,
        language="hi",
    ).article
    claims = list(after.claims.order_by("order"))
    assert len(claims) == 2 and all(c.outlet_id == outlet.pk and c.speaker_id is None for c in claims)


def test_re_extraction_after_an_alias_change_retags_unreviewed_claims_and_keeps_verdicts(editor, reviewer):
    client = login(editor)
    client.post(reverse("verify:source_new"), new_source(name="Quillhaven Times"))
    outlet = Source.objects.get(name="Quillhaven Times")
    article = article_ingest(
        text=HINDI_STORY.format(name="क्विलहेवन टाइम्स"), title="story", by=editor, language="hi"
    ).article
    judged, open_claim = article.claims.order_by("order")
    assert judged.outlet_id is None and open_claim.outlet_id is None
    judged.record_verdict(status="disputed", reviewer=reviewer, note="checked")
    judged.refresh_from_db()
    kept = (judged.pk, judged.speaker_id, judged.outlet_id, judged.status, judged.version)

    client.post(reverse("verify:source_alias_add", args=[outlet.pk]), {"alias": "क्विलहेवन टाइम्स"})
    assert article_reextract(article=article) == 2

    judged.refresh_from_db()
    assert (judged.pk, judged.speaker_id, judged.outlet_id, judged.status, judged.version) == kept
    assert judged.verdicts.get().note == "checked"
    retagged = article.claims.exclude(pk=judged.pk).get()
    assert retagged.outlet_id == outlet.pk and retagged.speaker_id is None and retagged.status == "unreviewed"


def test_an_editor_queues_the_re_extraction_of_the_articles_that_write_a_name(editor, monkeypatch):
    client = login(editor)
    client.post(reverse("verify:source_new"), new_source(name="Quillhaven Times"))
    outlet = Source.objects.get(name="Quillhaven Times")
    writes = article_ingest(
        text=HINDI_STORY.format(name="क्विलहेवन टाइम्स"), title="a", by=editor, language="hi"
    )
    article_ingest(text="AFP reported that the Marrow bridge reopened on Friday.", title="b", by=editor)
    SourceAlias.objects.create(source=outlet, alias="क्विलहेवन टाइम्स")
    queued = []
    monkeypatch.setattr(tasks, "queue", lambda task, *args: queued.append((task, args)) or True)
    response = client.post(reverse("verify:source_reextract", args=[outlet.pk]), **HTMX)
    assert response.status_code == 200 and "1 article queued" in response.content.decode()
    assert queued == [(tasks.reextract_article, (writes.article.pk,))]
    monkeypatch.setattr(tasks, "queue", lambda task, *args: False)
    down = client.post(reverse("verify:source_reextract", args=[outlet.pk]))
    assert down.status_code == 200 and "background queue cannot be reached" in down.content.decode()


# --- Merging duplicate speakers ---------------------------------------------------------------------


@pytest.fixture
def duplicate(db, editor) -> tuple[Source, Source, list[Claim]]:
    """Dmitry Peskov (the registry's, aliases removed) and a duplicate row "दिमित्री पेस्कोव" the
    extractor made before, with two claims of a stored article."""
    from tests.base import article_of_sentences

    peskov = Source.objects.get(name="Dmitry Peskov")
    SourceAlias.objects.filter(source=peskov).delete()
    dup = Source.objects.create(name="दिमित्री पेस्कोव", kind=Source.Kind.PERSON)
    SourceAlias.objects.create(source=dup, alias="पेसकोव")
    _article, claims = article_of_sentences(["He said talks go on.", "He said they meet again."], editor)
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(speaker=dup)
    return peskov, dup, claims


def test_a_persons_page_offers_its_possible_duplicates(duplicate, editor):
    peskov, dup, _claims = duplicate
    Source.objects.create(name="Dmitry Medvedev", kind=Source.Kind.PERSON)
    page = login(editor).get(peskov.get_absolute_url()).content.decode()
    assert "Possible duplicates" in page
    assert f'name="others" value="{dup.pk}"' in page and "दिमित्री पेस्कोव" in page
    assert "Dmitry Medvedev" not in page


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_merging_through_the_page_moves_claims_and_names(duplicate, editor, htmx):
    peskov, dup, claims = duplicate
    response = login(editor).post(
        reverse("verify:source_merge", args=[peskov.pk]), {"others": [dup.pk]}, **(HTMX if htmx else {})
    )
    if htmx:
        assert response.status_code == 200 and response["HX-Redirect"] == peskov.get_absolute_url()
    else:
        assert response.status_code == 302 and response["Location"] == peskov.get_absolute_url()
    assert not Source.objects.filter(pk=dup.pk).exists()
    assert set(Claim.objects.filter(pk__in=[c.pk for c in claims]).values_list("speaker", flat=True)) == {
        peskov.pk
    }
    assert set(peskov.aliases.values_list("alias", flat=True)) == {"दिमित्री पेस्कोव", "पेसकोव"}


def test_merging_by_name(duplicate, editor):
    peskov, dup, _claims = duplicate
    response = login(editor).post(reverse("verify:source_merge", args=[peskov.pk]), {"other_name": "पेसकोव"})
    assert response.status_code == 302 and not Source.objects.filter(pk=dup.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            lambda p, d: {"others": [Source.objects.get(name="TASS").pk]},
            "an outlet and a speaker cannot be merged",
        ),
        (lambda p, d: {"other_name": "Nobody Marrow"}, "No source is named “Nobody Marrow”"),
        (lambda p, d: {}, "Tick a source to merge"),
        (lambda p, d: {"others": [p.pk]}, "cannot be merged into itself"),
    ],
    ids=["outlet into person", "unknown name", "nothing ticked", "itself"],
)
def test_bad_merges_are_refused_and_change_nothing(duplicate, editor, data, message):
    peskov, dup, _claims = duplicate
    before = registry_state()
    response = login(editor).post(reverse("verify:source_merge", args=[peskov.pk]), data(peskov, dup), **HTMX)
    assert response.status_code == 200 and message in response.content.decode()
    assert registry_state() == before


def test_a_person_cannot_be_merged_into_an_outlet(duplicate, editor):
    _peskov, dup, _claims = duplicate
    tass = Source.objects.get(name="TASS")
    before = registry_state()
    response = login(editor).post(reverse("verify:source_merge", args=[tass.pk]), {"others": [dup.pk]})
    assert (
        response.status_code == 200
        and "an outlet and a speaker cannot be merged" in response.content.decode()
    )
    assert registry_state() == before


def test_rows_of_the_data_file_are_not_renamed_nor_merged_away(editor):
    """The registry sync re-creates a data-file row by its canonical name: renaming one, or
    merging it into another row, would bring back an empty twin. Merging into it is fine."""
    tass = Source.objects.get(name="TASS")
    stray = Source.objects.create(name="Tass Agency Marrow", kind="outlet")
    client = login(editor)
    before = registry_state()
    renamed = client.post(
        reverse("verify:source_edit", args=[tass.pk]), {"name": "TASS Agency", "kind": "outlet"}
    )
    assert renamed.status_code == 200 and "comes from the registry" in renamed.content.decode()
    away = client.post(reverse("verify:source_merge", args=[stray.pk]), {"others": [tass.pk]})
    assert away.status_code == 200 and "merge “Tass Agency Marrow” into it instead" in away.content.decode()
    assert registry_state() == before
    # its other fields may change, and another row may be merged into it
    edited = client.post(
        reverse("verify:source_edit", args=[tass.pk]), {"name": "TASS", "kind": "outlet", "country": "RU"}
    )
    assert edited.status_code == 302
    into = client.post(reverse("verify:source_merge", args=[tass.pk]), {"others": [stray.pk]})
    assert into.status_code == 302 and not Source.objects.filter(pk=stray.pk).exists()
    assert tass.aliases.filter(alias="Tass Agency Marrow").exists()
