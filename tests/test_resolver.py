"""The resolver from the extractor's speaker phrases to registry rows: one person is one row,
however the stories spell them (across scripts, with or without a title, a surname alone)."""

from __future__ import annotations

import pytest

from verify.models import Claim, Source, SourceAlias
from verify.services.articles import article_ingest
from verify.services.registry import NameIndex, SourceResolver, name_keys, names_match, possible_duplicates


@pytest.fixture
def peskov(db) -> Source:
    """The registry's Dmitry Peskov with none of his aliases: only his Latin name is known, so
    every other spelling has to be found across scripts."""
    source = Source.objects.get(name="Dmitry Peskov")
    SourceAlias.objects.filter(source=source).delete()
    return source


@pytest.mark.parametrize(
    "phrase", ["दिमित्री पेस्कोव", "Dmitri Peskov", "पेसकोव", "पेस्कोव", "Peskov", "DMITRY PESKOV"]
)
def test_one_person_across_scripts_and_spellings_is_one_row(peskov, phrase):
    before = Source.objects.count()
    assert SourceResolver().speaker(phrase, "person") == peskov
    assert Source.objects.count() == before, "no new speaker row"


def test_a_surname_alone_is_nobodys_when_two_people_have_it(peskov):
    other = Source.objects.create(name="Ivan Peskov", kind=Source.Kind.PERSON)
    found = SourceResolver().speaker("पेसकोव", "person")
    assert found not in (peskov, other) and found.name == "पेसकोव" and found.kind == Source.Kind.PERSON
    # a full name still tells them apart
    assert SourceResolver().speaker("इवान पेस्कोव", "person") == other
    assert SourceResolver().speaker("दिमित्री पेस्कोव", "person") == peskov


@pytest.mark.parametrize(
    "registered",
    ["Shivraj Singh Chouhan", "शिवराज सिंह चौहान", "कृषि मंत्री शिवराज सिंह चौहान"],
    ids=["latin", "devanagari", "old row with the title"],
)
@pytest.mark.parametrize(
    "phrase",
    ["कृषि मंत्री शिवराज सिंह चौहान", "शिवराज सिंह चौहान", "Shivraj Singh Chouhan", "Shivraj Singh Chauhan"],
)
def test_a_title_before_a_name_does_not_block_the_match(db, registered, phrase):
    source = Source.objects.create(name=registered, kind=Source.Kind.PERSON)
    before = Source.objects.count()
    assert SourceResolver().speaker(phrase, "person") == source
    assert Source.objects.count() == before


@pytest.mark.parametrize(
    ("registered", "phrase"),
    [
        ("Hunter Biden", "Joe Biden"),  # one surname, two people
        ("Mary Smith", "Mark Smith"),  # one letter apart, but a two-word name allows no loose word
        ("Shivraj Singh Chouhan", "Shivraj Singh Rathore"),  # another surname
        ("विदेश मंत्रालय", "रक्षा मंत्रालय"),  # two ministries
    ],
)
def test_different_people_are_not_merged(db, registered, phrase):
    source = Source.objects.create(name=registered, kind=Source.Kind.PERSON)
    found = SourceResolver().speaker(phrase, "person")
    assert found != source and found.name == phrase


def test_an_organisations_one_word_is_not_read_as_a_persons_surname(db):
    person = Source.objects.create(name="Arvind Mantralay", kind=Source.Kind.PERSON)
    found = SourceResolver().speaker("मंत्रालय", "organisation")
    assert found != person and found.kind == Source.Kind.ORGANISATION


def test_organisations_are_created_as_organisations_and_anonymous_sources_never(db):
    resolver = SourceResolver()
    union = resolver.speaker("Marrow Dock Union", "organisation")
    assert union.kind == Source.Kind.ORGANISATION and union.name == "Marrow Dock Union"
    assert SourceResolver().speaker("the Marrow Dock Union", "organisation") == union
    before = Source.objects.count()
    assert resolver.speaker("एक अधिकारी", "anonymous") is None
    assert Source.objects.count() == before


def test_a_speaker_created_during_an_ingest_is_found_again_in_another_script(db):
    resolver = SourceResolver()
    created = resolver.speaker("Oleksandr Brovko", "person")
    assert created.kind == Source.Kind.PERSON
    assert resolver.speaker("ओलेक्सांद्र ब्रोवको", "person") == created
    assert SourceResolver().speaker("ओलेक्सांद्र ब्रोवको", "person") == created, "and by a fresh resolver"
    assert Source.objects.filter(name__in=["Oleksandr Brovko", "ओलेक्सांद्र ब्रोवको"]).count() == 1


def test_ingesting_a_hindi_story_tags_the_registry_person(peskov, editor):
    text = "क्रेमलिन के प्रवक्ता दिमित्री पेस्कोव ने कहा कि बातचीत जारी रहेगी। पेसकोव ने बताया कि अगली बैठक मास्को में होगी।"
    before = Source.objects.count()
    article = article_ingest(text=text, title="पेस्कोव", by=editor, language="hi").article
    speakers = set(
        Claim.objects.filter(article=article).exclude(speaker=None).values_list("speaker", flat=True)
    )
    assert speakers == {peskov.pk}
    assert not Source.objects.filter(kind=Source.Kind.PERSON, name__contains="पेस").exists()
    assert Source.objects.count() == before


def test_names_match_reads_the_shorter_name_at_the_end_of_the_longer():
    assert names_match(name_keys("कृषि मंत्री शिवराज सिंह चौहान"), name_keys("Shivraj Singh Chouhan"))
    assert names_match(name_keys("दिमित्री पेस्कोव"), name_keys("Dmitry Peskov"))
    assert not names_match(name_keys("Shivraj Singh Chouhan"), name_keys("Chouhan"))  # one word: see find
    assert not names_match(name_keys("Dmitry Peskov"), name_keys("Dmitry Medvedev"))
    assert not names_match(name_keys("Peskov Dmitry"), name_keys("Dmitry Peskov")), "the surname is last"


def test_the_name_index_finds_only_one_candidate():
    index = NameIndex()
    a = Source(pk=1, name="Dmitry Peskov", kind=Source.Kind.PERSON)
    b = Source(pk=2, name="Ivan Peskov", kind=Source.Kind.PERSON)
    index.add(a.name, a)
    assert index.find("पेसकोव") == a
    index.add(b.name, b)
    assert index.find("पेसकोव") is None and len(index.candidates("पेसकोव")) == 2


def test_possible_duplicates_find_a_person_across_scripts(peskov):
    hindi = Source.objects.create(name="दिमित्री पेस्कोव", kind=Source.Kind.PERSON)
    surname = Source.objects.create(name="पेसकोव", kind=Source.Kind.PERSON)
    Source.objects.create(name="Dmitry Medvedev", kind=Source.Kind.PERSON)
    Source.objects.create(name="Peskov News", kind=Source.Kind.OUTLET)
    assert possible_duplicates(peskov) == sorted([hindi, surname], key=lambda s: s.name)
    assert peskov in possible_duplicates(hindi)
    assert possible_duplicates(Source.objects.get(name="AFP")) == [], "outlets: not offered"
