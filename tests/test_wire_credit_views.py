"""The wire credit ("via PTI": the agency of the article's dateline) and the speaker's role and
kind, on the article list (a chip, the outlet mix, a filter) and on the review page (the header,
each claim row), at the pages' fixed query counts.

The fields are set directly, so these tests do not depend on what the extractor credits."""

from __future__ import annotations

import html as html_lib

import pytest
import regex
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.base import article_of_sentences, login
from verify.models import Article, Claim, Source

HTMX = {"HTTP_HX_REQUEST": "true"}

OWN_VOICE = "The ministry raised the support price by seven percent."
MINISTER = "Prices in {title} will fall by spring, the agriculture minister said."
ANONYMOUS = "The stock is running low, an official said."
CARRIED = "TASS reported that grain exports rose."


def source(name: str) -> Source:
    return Source.objects.get(name=name)


def credited(by, credit: Source | None, *, title: str = "Credited", extra: int = 0) -> tuple[Article, list]:
    """An article of SENTENCES (and ``extra`` more own-voice sentences) as the extractor would
    store it: own voice, a minister with his title, an anonymous official, a TASS report (the
    minister names the title, so that each article's text is new)."""
    more = [f"The harvest of district {i} was counted." for i in range(extra)]
    sentences = [OWN_VOICE, MINISTER.format(title=title), ANONYMOUS, CARRIED, *more]
    article, claims = article_of_sentences(sentences, by, title=title)
    Article.objects.filter(pk=article.pk).update(wire_credit=credit)
    minister = Source.objects.get_or_create(name="शिवराज सिंह चौहान", kind=Source.Kind.PERSON)[0]
    said, anonymous, carried = claims[1:4]
    Claim.objects.filter(pk=said.pk).update(
        attribution="explicit",
        speaker=minister,
        speaker_text="शिवराज सिंह चौहान",
        speaker_role="कृषि मंत्री",
        speaker_kind="person",
        cue="said",
    )
    Claim.objects.filter(pk=anonymous.pk).update(
        attribution="explicit", speaker=None, speaker_text="an official", speaker_kind="anonymous", cue="said"
    )
    Claim.objects.filter(pk=carried.pk).update(attribution="explicit", outlet=source("TASS"), cue="reported")
    article.refresh_from_db()
    return article, list(article.claims.order_by("order"))


def text_of(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html_lib.unescape(regex.sub(r"<[^>]+>", " ", fragment)).split())


def row_of(page: str, claim: Claim) -> str:
    """The chip part of a claim's row on the review page (from its <li> to the row's foot)."""
    match = regex.search(rf'id="claim-{claim.pk}"(.*?)class="row-foot"', page, flags=regex.S)
    assert match, f"claim {claim.pk} has no row"
    return match.group(1)


def queries(client, url: str, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


# --- The article list ------------------------------------------------------------------------------


def test_the_list_shows_each_articles_credit_linked_to_its_record(editor, viewer):
    pti, tass = source("PTI"), source("TASS")
    credited(editor, pti, title="Support price")
    credited(editor, tass, title="Grain")
    credited(editor, None, title="No dateline")
    page = login(viewer).get(reverse("verify:article_list")).content.decode()
    cells = {
        title: row
        for title in ("Support price", "Grain", "No dateline")
        for row in page.split("<tr>")
        if f">{title}</a>" in row
    }
    assert f'via <a href="{pti.get_absolute_url()}">PTI</a>' in cells["Support price"]
    assert f'via <a href="{tass.get_absolute_url()}">TASS</a>' in cells["Grain"]
    assert 'class="wire-credit"' not in cells["No dateline"]
    credit_chip = regex.search(r'class="wire-credit".*?</td>', cells["Grain"], flags=regex.S).group(0)
    assert "state-affiliated outlet" in credit_chip, "a state outlet's credit is marked as such"
    assert "state-affiliated" not in regex.search(
        r'class="wire-credit".*?</td>', cells["Support price"], flags=regex.S
    ).group(0)


def mix_of(client, article: Article) -> list[dict]:
    response = client.get(reverse("verify:article_list"))
    return next(a for a in response.context["page"].object_list if a.pk == article.pk).outlet_mix


def test_the_credit_carries_the_articles_own_voice_in_the_outlet_mix(editor, viewer):
    pti = source("PTI")
    article, claims = credited(editor, pti, extra=2)  # three own-voice claims
    plain, _ = credited(editor, None, title="Uncredited", extra=2)
    Claim.objects.filter(pk=claims[-1].pk).update(excluded=True)  # "not a claim": not counted
    client = login(viewer)
    mix = {row["carrier_name"]: (row["n"], row["n_wire"]) for row in mix_of(client, article)}
    assert mix == {"PTI": (2, 2), "TASS": (1, 0)}, "the anonymous and the minister have no carrier"
    assert [row["carrier_name"] for row in mix_of(client, article)] == ["PTI", "TASS"], "most first"
    assert {row["carrier_name"] for row in mix_of(client, plain)} == {"TASS"}, "no credit, no carrier"
    page = client.get(reverse("verify:article_list")).content.decode()
    row = next(r for r in page.split("<tr>") if f">{article.title}</a>" in r)
    mix_cell = regex.search(r'<td class="mix">(.*?)</td>', row, flags=regex.S).group(1)
    assert "wire credit: carries 2 claims in the article's own voice" in mix_cell
    assert text_of(mix_cell).startswith("PTI 2 wire 2 TASS 1 state")


def test_an_outlet_that_is_also_the_credit_is_one_entry_of_the_mix(editor, viewer):
    tass = source("TASS")
    article, _ = credited(editor, tass)  # TASS carries claim 4 and, as the credit, claim 1
    mix = mix_of(login(viewer), article)
    assert [(r["carrier_name"], r["n"], r["n_wire"], r["carrier_state"]) for r in mix] == [
        ("TASS", 2, 1, True)
    ]


def test_the_list_filters_by_credit_and_offers_the_credits_in_its_form(editor, viewer):
    pti, tass = source("PTI"), source("TASS")
    credited(editor, pti, title="Support price")
    credited(editor, tass, title="Grain")
    credited(editor, None, title="No dateline")
    client = login(viewer)

    def titles(**params) -> set[str]:
        page = client.get(reverse("verify:article_list"), params).content.decode()
        return {a.title for a in Article.objects.all() if f">{a.title}</a>" in page}

    assert titles() == {"Support price", "Grain", "No dateline"}
    assert titles(credit=pti.pk) == {"Support price"}
    assert titles(credit=tass.pk, lang="en") == {"Grain"}
    assert titles(credit="x") == titles(credit="9" * 30) == titles(), "a bad id is ignored"
    page = client.get(reverse("verify:article_list"), {"credit": pti.pk}).content.decode()
    select = regex.search(r'<select name="credit">(.*?)</select>', page, flags=regex.S).group(1)
    assert f'<option value="{pti.pk}" selected>PTI</option>' in select
    assert f'<option value="{tass.pk}">TASS</option>' in select
    assert source("AFP").name not in select, "only outlets that are some article's credit"
    empty = client.get(reverse("verify:article_list"), {"credit": source("AFP").pk}).content.decode()
    assert "No article matches these filters." in empty


def test_the_list_runs_one_query_more_than_before_whatever_the_credits(editor, viewer):
    client = login(viewer)
    credited(editor, None, title="uncredited")
    client.get(reverse("verify:article_list"))  # warm the session
    plain = queries(client, reverse("verify:article_list"))
    for i, name in enumerate(["PTI", "TASS", "AFP", "Reuters"] * 5):
        credited(editor, source(name), title=f"credited {i}", extra=i % 3)
    many = queries(client, reverse("verify:article_list"))
    assert many == plain <= 10, "9 before the credit; its filter's choices are the one more"
    table = queries(client, reverse("verify:article_list"), **HTMX)
    assert table == queries(client, reverse("verify:article_list"), credit=source("PTI").pk, **HTMX)
    assert table <= many - 2, "the table partial runs neither filter's choices"


# --- The review page --------------------------------------------------------------------------------


def test_the_review_page_names_the_credit_and_who_speaks(editor, viewer):
    pti = source("PTI")
    article, (own, said, anonymous, carried) = credited(editor, pti)
    page = login(viewer).get(article.get_absolute_url()).content.decode()
    head = regex.search(r'<p class="meta">(.*?)</p>', page, flags=regex.S).group(1)
    assert "Wire credit: PTI" in text_of(head)
    assert f'<a href="{pti.get_absolute_url()}">PTI</a>' in head
    assert "article's own voice via PTI" in text_of(row_of(page, own))
    assert "via PTI" not in text_of(row_of(page, carried)) and "via TASS" in text_of(row_of(page, carried))
    assert "via PTI" not in text_of(row_of(page, said)), "a speaker's words are not the agency's voice"
    assert "शिवराज सिंह चौहान · कृषि मंत्री" in text_of(row_of(page, said))
    assert "anonymous source" in text_of(row_of(page, anonymous))
    assert "an official" in text_of(row_of(page, anonymous)), "the article's words are kept"
    assert "anonymous source" not in text_of(row_of(page, said))


def test_an_uncredited_article_says_no_via_for_its_own_voice(editor, viewer):
    article, (own, *_) = credited(editor, None)
    page = login(viewer).get(article.get_absolute_url()).content.decode()
    assert "Wire credit:" not in page
    assert "via" not in text_of(row_of(page, own))


def test_the_review_page_queries_do_not_grow_with_claims_or_the_credit(editor, viewer):
    pti = source("PTI")
    small, _ = credited(editor, pti, title="small")
    large, _ = credited(editor, pti, title="large", extra=60)
    plain, _ = credited(editor, None, title="plain", extra=60)
    client = login(viewer)
    client.get(small.get_absolute_url())  # warm the session
    assert (
        queries(client, small.get_absolute_url())
        == queries(client, large.get_absolute_url())
        == queries(client, plain.get_absolute_url())
        <= 10
    )


def test_a_verdicts_row_says_via_the_credit_at_the_same_cost(editor, reviewer):
    pti = source("PTI")
    article, (own, *_) = credited(editor, pti)
    _, (plain_own, *_) = credited(editor, None, title="plain")
    client = login(reviewer)
    client.get(article.get_absolute_url())  # warm the session

    def post(claim: Claim) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                reverse("verify:claim_verdict", args=[claim.pk]),
                {"status": "corroborated", "version": claim.version},
                **HTMX,
            )
        assert response.status_code == 200
        return response.content.decode(), len(ctx.captured_queries)

    row, cost = post(own)
    plain_row, plain_cost = post(plain_own)
    assert "via PTI" in text_of(row_of(row, own))
    assert "via" not in text_of(row_of(plain_row, plain_own))
    assert cost == plain_cost, "the credit comes with the claim's article, no query of its own"


@pytest.mark.parametrize("kind", ["organisation", ""])
def test_a_named_speaker_is_not_marked_anonymous(editor, viewer, kind):
    article, (_, said, *_) = credited(editor, None)
    Claim.objects.filter(pk=said.pk).update(speaker_kind=kind, speaker_role="")
    page = login(viewer).get(article.get_absolute_url()).content.decode()
    shown = text_of(row_of(page, said))
    assert "शिवराज सिंह चौहान" in shown and "anonymous source" not in shown and "·" not in shown
