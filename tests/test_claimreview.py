"""ClaimReview JSON-LD: Google's required and recommended fields, the rating scale, shortening,
Hindi text and a constant number of queries per article."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import RequestFactory
from django.utils import timezone

from verify.claimreview import (
    MAX_CLAIM_CHARS,
    NotReviewed,
    article_claim_reviews,
    claim_review,
    dumps,
    script_tag,
    shorten,
)
from verify.models import Article, Claim, ReferenceLink, Source
from verify.services.articles import article_ingest
from verify.services.review import claim_set_excluded

ENGLISH = (
    'Dmitry Peskov said "the talks, frankly, went well". '
    "TASS reported that grain exports rose by 5%.\n\n"
    "The minister said prices would fall."
)
HINDI = 'प्रवक्ता दिमित्री पेस्कोव ने कहा कि "बातचीत, अच्छी रही"। टीएएसएस के अनुसार, निर्यात बढ़ा।'


@pytest.fixture
def english(editor) -> Article:
    return article_ingest(
        text=ENGLISH,
        title="Grain talks",
        by=editor,
        language="en",
        source_url="https://news.example/grain",
        published_on=dt.date(2026, 11, 20),
    ).article


@pytest.fixture
def hindi(editor) -> Article:
    return article_ingest(text=HINDI, title="वार्ता", by=editor, language="hi").article


def claims_of(article: Article) -> list[Claim]:
    return list(article.claims.order_by("order"))


def assert_google_valid(review: dict) -> None:
    """Google's ClaimReview markup: required fields, and the recommended ones verify knows."""
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert isinstance(review["claimReviewed"], str) and 0 < len(review["claimReviewed"]) <= MAX_CLAIM_CHARS
    assert review["url"].startswith(("http://", "https://"))
    assert review["author"]["@type"] == "Organization" and review["author"]["name"]
    assert review["author"]["url"].startswith("http")
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"]
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert dt.datetime.fromisoformat(review["datePublished"]).tzinfo is not None
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["appearance"]["@type"] == "CreativeWork"
    assert item["appearance"]["url"].startswith(("http://", "https://"))
    if "author" in item:
        assert item["author"]["@type"] in {"Person", "Organization"} and item["author"]["name"]
    assert json.loads(json.dumps(review)) == review, "JSON-serialisable"


def test_a_reviewed_claim_has_every_field(english, reviewer, settings):
    settings.VERIFY_PUBLIC_URL = "https://verify.example"
    settings.VERIFY_NEWSROOM_NAME = "Fact Desk"
    settings.VERIFY_NEWSROOM_URL = "https://factdesk.example"
    claim = claims_of(english)[0]
    verdict = claim.record_verdict(status="disputed", reviewer=reviewer, note="no readout")
    ReferenceLink.objects.create(
        article=english, claim=claim, url="https://kremlin.example/readout", is_original=True, title="Readout"
    )
    review = claim_review(claim)
    assert_google_valid(review)
    assert review["claimReviewed"] == claim.text
    assert review["url"] == f"https://verify.example/articles/{english.pk}/#claim-{claim.pk}"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Fact Desk",
        "url": "https://factdesk.example",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 3,
        "worstRating": 1,
        "alternateName": "Disputed",
    }
    assert review["datePublished"] == timezone.localtime(verdict.created_at).isoformat(timespec="seconds")
    assert review["inLanguage"] == "en"
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Dmitry Peskov"},
        "datePublished": "2026-11-20",
        "appearance": {
            "@type": "CreativeWork",
            "url": "https://news.example/grain",
            "headline": "Grain talks",
            "datePublished": "2026-11-20",
        },
        "firstAppearance": {
            "@type": "CreativeWork",
            "url": "https://kremlin.example/readout",
            "headline": "Readout",
        },
    }


@pytest.mark.parametrize(
    ("status", "value", "label"),
    [("corroborated", 3, "Corroborated"), ("unverifiable", 2, "Unverifiable"), ("disputed", 1, "Disputed")],
)
def test_rating_scale(english, reviewer, status, value, label):
    claim = claims_of(english)[0]
    claim.record_verdict(status=status, reviewer=reviewer)
    rating = claim_review(claim)["reviewRating"]
    assert (rating["ratingValue"], rating["alternateName"]) == (value, label)


def test_the_latest_verdict_decides_rating_and_date(english, reviewer):
    claim = claims_of(english)[0]
    claim.record_verdict(status="disputed", reviewer=reviewer)
    latest = claim.record_verdict(status="corroborated", reviewer=reviewer)
    review = claim_review(claim)
    assert review["reviewRating"]["alternateName"] == "Corroborated"
    assert review["datePublished"] == timezone.localtime(latest.created_at).isoformat(timespec="seconds")


def test_an_outlets_own_claim_has_the_outlet_as_author(english, reviewer):
    tass = claims_of(english)[1]
    tass.record_verdict(status="unverifiable", reviewer=reviewer)
    item = claim_review(tass)["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "TASS"}
    assert "publisher" not in item


def test_a_speaker_carried_by_an_outlet_has_the_outlet_as_publisher(english, reviewer):
    claim = claims_of(english)[0]
    ministry = Source.objects.create(name="Russian Foreign Ministry", kind=Source.Kind.ORGANISATION)
    Claim.objects.filter(pk=claim.pk).update(speaker=ministry, outlet=Source.objects.get(name="TASS"))
    claim.refresh_from_db()
    claim.record_verdict(status="corroborated", reviewer=reviewer)
    item = claim_review(claim)["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Russian Foreign Ministry"}
    assert item["publisher"] == {"@type": "Organization", "name": "TASS"}


def test_the_articles_own_voice_has_no_claim_author(english, reviewer, editor):
    claim = claims_of(english)[2]
    Claim.objects.filter(pk=claim.pk).update(speaker=None, outlet=None, speaker_text="", attribution="none")
    claim.refresh_from_db()
    claim.record_verdict(status="disputed", reviewer=reviewer)
    review = claim_review(claim)
    assert_google_valid(review)
    assert "author" not in review["itemReviewed"]


def test_without_a_source_url_the_appearance_is_the_article_in_verify(hindi, reviewer, settings):
    settings.VERIFY_PUBLIC_URL = "https://verify.example"
    claim = claims_of(hindi)[0]
    claim.record_verdict(status="unverifiable", reviewer=reviewer)
    item = claim_review(claim)["itemReviewed"]
    assert item["appearance"]["url"] == f"https://verify.example/articles/{hindi.pk}/"
    assert "datePublished" not in item and "firstAppearance" not in item


def test_hindi_is_kept_as_is(hindi, reviewer):
    claim = claims_of(hindi)[0]
    claim.record_verdict(status="corroborated", reviewer=reviewer)
    review = claim_review(claim)
    assert_google_valid(review)
    assert review["claimReviewed"] == claim.text and review["inLanguage"] == "hi"
    text = dumps(review)
    assert claim.text.replace('"', '\\"') in text and "\\u09" not in text
    assert json.loads(text) == review


def test_unreviewed_and_excluded_claims_have_no_review(english, reviewer, editor):
    first, second, third = claims_of(english)
    with pytest.raises(NotReviewed):
        claim_review(first)
    second.record_verdict(status="disputed", reviewer=reviewer)
    claim_set_excluded(claim=second, by=editor, excluded=True, expected_version=None)
    with pytest.raises(NotReviewed):
        claim_review(second)
    third.record_verdict(status="disputed", reviewer=reviewer)
    assert [r["url"].rsplit("-", 1)[1] for r in article_claim_reviews(english)] == [str(third.pk)]


def test_article_reviews_use_two_queries_whatever_the_size(editor, reviewer, django_assert_num_queries):
    def article_with(n: int) -> Article:
        text = "\n".join(
            f"Reuters reported that shipment number {i} left the port of Odesa." for i in range(n)
        )
        article = article_ingest(text=text, title=f"{n}", by=editor, language="en").article
        for claim in article.claims.all():
            claim.record_verdict(status="corroborated", reviewer=reviewer)
            ReferenceLink.objects.create(
                article=article, claim=claim, url="https://o.example/", is_original=True
            )
        return article

    small, large = article_with(3), article_with(30)
    for article, n in ((small, 3), (large, 30)):
        with django_assert_num_queries(2):
            reviews = article_claim_reviews(article)
        assert len(reviews) == n
        for review in reviews:
            assert_google_valid(review)
            assert review["itemReviewed"]["firstAppearance"]["url"] == "https://o.example/"
    claims = claims_of(large)
    assert reviews == [claim_review(Claim.objects.get(pk=c.pk)) for c in claims]


def test_links_follow_the_request_when_no_public_url_is_set(english, reviewer, settings):
    settings.VERIFY_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["desk.example"]
    claim = claims_of(english)[0]
    claim.record_verdict(status="disputed", reviewer=reviewer)
    request = RequestFactory().get("/", HTTP_HOST="desk.example")
    assert claim_review(claim, request=request)["url"] == (
        f"http://desk.example/articles/{english.pk}/#claim-{claim.pk}"
    )


def test_script_tag_cannot_be_closed_by_claim_text():
    tag = script_tag({"claimReviewed": "</script><script>alert(1)</script> & more"})
    assert tag.startswith('<script type="application/ld+json">') and tag.count("</script>") == 1
    inner = tag.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(inner) == {"claimReviewed": "</script><script>alert(1)</script> & more"}


# --- Shortening --------------------------------------------------------------------------------


def test_a_short_claim_is_unchanged_but_for_spaces():
    assert shorten("Peskov  said\nthe talks went well.") == "Peskov said the talks went well."
    exact = "x" * MAX_CLAIM_CHARS
    assert shorten(exact) == exact


@pytest.mark.parametrize(
    "word", ["word", "शब्द", "deliberately", "a"], ids=["english", "hindi", "long-word", "short-word"]
)
def test_a_long_claim_is_cut_at_a_word_with_an_ellipsis(word):
    text = " ".join(f"{word}{i}," for i in range(200))
    short = shorten(text)
    assert len(short) <= MAX_CLAIM_CHARS and short.endswith("…")
    kept = short.removesuffix("…")
    assert text.startswith(kept)
    assert text[len(kept)] in " ,", "cut at a word boundary"
    assert not kept.endswith((",", " "))
    assert len(kept) > MAX_CLAIM_CHARS - 2 * len(word) - 8, "nothing more fits"


def test_one_huge_word_is_cut_inside_it():
    short = shorten("x" * 1000)
    assert short == "x" * (MAX_CLAIM_CHARS - 1) + "…"


def test_a_long_claim_in_a_review(english, reviewer):
    claim = claims_of(english)[0]
    Claim.objects.filter(pk=claim.pk).update(status="disputed")
    claim.refresh_from_db()
    claim.text = "Peskov said " + "the talks went very well " * 30
    review = claim_review(claim)
    short = review["claimReviewed"]
    assert len(short) <= MAX_CLAIM_CHARS and short.startswith("Peskov said the talks") and short.endswith("…")
    assert short.removesuffix("…").split()[-1] in {"the", "talks", "went", "very", "well"}


# --- The wire credit and the speaker's kind --------------------------------------------------------


def credit(article: Article, name: str = "PTI") -> Source:
    """Credit ``article`` to an agency, as the extractor does from a dateline "(PTI)"."""
    agency = Source.objects.get(name=name)
    Article.objects.filter(pk=article.pk).update(wire_credit=agency)
    return agency


def reviewed_as(claim: Claim, reviewer, **fields) -> dict:
    """The claim's itemReviewed after setting ``fields`` and a verdict, read as the article's
    reviews read it (one query for all)."""
    Claim.objects.filter(pk=claim.pk).update(**fields)
    claim.refresh_from_db()
    claim.record_verdict(status="disputed", reviewer=reviewer)
    [review] = [r for r in article_claim_reviews(claim.article) if r["url"].endswith(f"-{claim.pk}")]
    assert_google_valid(review)
    fresh = Claim.objects.select_related("article", "speaker", "outlet").get(pk=claim.pk)
    assert claim_review(fresh) == review, "one claim's review reads the same"
    return review["itemReviewed"]


OWN_VOICE = {"speaker": None, "outlet": None, "speaker_text": "", "attribution": "none"}


def test_the_articles_own_voice_is_the_credited_agencys(english, reviewer):
    credit(english)
    item = reviewed_as(claims_of(english)[2], reviewer, **OWN_VOICE)
    assert item["author"] == {"@type": "Organization", "name": "PTI"}
    assert "publisher" not in item


def test_a_speaker_without_an_outlet_is_published_by_the_credit(english, reviewer):
    credit(english)
    item = reviewed_as(claims_of(english)[0], reviewer, outlet=None)
    assert item["author"] == {"@type": "Person", "name": "Dmitry Peskov"}
    assert item["publisher"] == {"@type": "Organization", "name": "PTI"}


def test_a_speakers_own_outlet_wins_over_the_credit(english, reviewer):
    credit(english)
    item = reviewed_as(claims_of(english)[0], reviewer, outlet=Source.objects.get(name="TASS"))
    assert item["publisher"] == {"@type": "Organization", "name": "TASS"}


def test_an_outlets_report_in_a_credited_article_is_the_outlets(english, reviewer):
    credit(english)
    item = reviewed_as(claims_of(english)[1], reviewer)
    assert item["author"] == {"@type": "Organization", "name": "TASS"} and "publisher" not in item


def test_the_credit_speaking_for_itself_is_not_its_own_publisher(english, reviewer):
    agency = credit(english)
    item = reviewed_as(claims_of(english)[0], reviewer, speaker=agency, outlet=None)
    assert item["author"] == {"@type": "Organization", "name": "PTI"} and "publisher" not in item


@pytest.mark.parametrize("credited", [True, False])
def test_an_anonymous_source_is_no_author(english, reviewer, credited):
    if credited:
        credit(english)
    item = reviewed_as(
        claims_of(english)[2],
        reviewer,
        speaker=None,
        outlet=None,
        speaker_text="a senior official",
        speaker_kind="anonymous",
        attribution="explicit",
    )
    assert "author" not in item, "an unnamed source is not emitted as a Person"
    assert "a senior official" not in json.dumps(item)
    if credited:
        assert item["publisher"] == {"@type": "Organization", "name": "PTI"}
    else:
        assert "publisher" not in item


def test_an_anonymous_source_carried_by_an_outlet_has_it_as_publisher_only(english, reviewer):
    item = reviewed_as(
        claims_of(english)[1], reviewer, speaker=None, speaker_text="officials", speaker_kind="anonymous"
    )
    assert "author" not in item and item["publisher"] == {"@type": "Organization", "name": "TASS"}


@pytest.mark.parametrize(("kind", "schema_type"), [("organisation", "Organization"), ("person", "Person")])
def test_a_speaker_outside_the_registry_has_the_type_of_its_kind(english, reviewer, kind, schema_type):
    credit(english)
    item = reviewed_as(
        claims_of(english)[2],
        reviewer,
        speaker=None,
        outlet=None,
        speaker_text="कृषि मंत्रालय" if kind == "organisation" else "Ramesh Kumar",
        speaker_kind=kind,
        attribution="explicit",
    )
    assert item["author"]["@type"] == schema_type
    assert item["publisher"] == {"@type": "Organization", "name": "PTI"}


def test_a_credited_articles_reviews_still_take_two_queries(english, reviewer, django_assert_num_queries):
    credit(english)
    for claim in claims_of(english):
        claim.record_verdict(status="corroborated", reviewer=reviewer)
    Claim.objects.filter(pk=claims_of(english)[2].pk).update(**OWN_VOICE)
    with django_assert_num_queries(2):
        reviews = article_claim_reviews(english)
    assert [r["itemReviewed"].get("author", {}).get("name") for r in reviews][2] == "PTI"
