"""Races between an editor's merge and everything else done to the claims it takes.

Each round makes a fresh article whose one paragraph holds claims A, B and C. Two threads, each
with a client of its own, are released together by a barrier: the editor merges A with the next
claim (B) while the other POSTs something on B — a verdict, links, "not a claim", an attribution,
a split — with the version it loaded. Real threads against the real database, so the tests are
transactional and run on SQLite (writers serialised by BEGIN IMMEDIATE) and on PostgreSQL (row
locks) alike.

What must hold in every round: no 500; a POST answered as done did what it said (a verdict or a
link answered 200 is stored, on B or on the merged claim); a POST on B after the merge took it
answers with a clear message naming the merged claim ("merged into #1 … decide again"), in
the place conflicts are answered today, and writes nothing. A POST whose page load came after
the merge finds no claim (404, as any claim that does not exist); that one writes nothing
either.

The second half reproduces the same moments deterministically: the claim is merged away right
after the view loaded it.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.base import article_of_sentences, make_user
from verify import tasks, views
from verify.models import Article, Claim, ReferenceLink, Verdict
from verify.services import review

HTMX = {"HTTP_HX_REQUEST": "true"}
VERDICT_ROUNDS = 40
OTHER_ROUNDS = 15
MERGED = "merged into #1"  # what the answer names when B went into A (claim #1) meanwhile


def article_abc(n: int, by) -> tuple[Article, Claim, Claim]:
    """An article whose one paragraph is three one-sentence claims; returns it with A and B."""
    sentences = [
        f"Official {n} said the district counted {1000 + n} ballots on Thursday.",
        f"The commission in round {n} said the turnout was 61 percent and rising.",
        f"Observers in round {n} said the count went on late into the night.",
    ]
    article, (a, b, _c) = article_of_sentences(sentences, by, title=f"Round {n}")
    return article, a, b


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def race(first: tuple[Client, str, dict], second: tuple[Client, str, dict]):
    """POST both at once (htmx), each from a thread of its own; returns both responses."""
    barrier = threading.Barrier(2, timeout=30)
    answers: dict[int, object] = {}
    errors: list[BaseException] = []

    def post(i: int, client: Client, url: str, data: dict) -> None:
        try:
            barrier.wait()
            answers[i] = client.post(url, data, **HTMX)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, *job)) for i, job in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a POST is still running after 120 s"
    assert not errors, errors
    return answers[0], answers[1]


def merge_job(client: Client, a: Claim) -> tuple[Client, str, dict]:
    return client, reverse("verify:claim_merge", args=[a.pk]), {"version": a.version}


def check_merged(a: Claim, b: Claim, merge_answer) -> None:
    """The merge itself always goes through (nothing it was given changed) and leaves the article
    whole: B gone, A reaching into where B was, orders 0..n-1, every text its span."""
    page = merge_answer.content.decode()
    assert merge_answer.status_code == 200, page[:2000]
    assert "changed meanwhile" not in page and "merged into" not in page, page[:2000]
    a.refresh_from_db()
    assert not Claim.objects.filter(pk=b.pk).exists()
    assert a.start < b.start < a.end, "A took B (or, after a split of B, its first part)"
    claims = list(a.article.claims.order_by("order"))
    assert [c.order for c in claims] == list(range(len(claims)))
    assert all(c.text == a.article.body[c.start : c.end] for c in claims)


def outcome(answer, *, done_marker: str | None = None) -> str:
    """Classify the answer to the POST on B: "done", "merged" (the clear answer naming the merged
    claim) or "not found" (its page load came after the merge); anything else fails the round."""
    page = answer.content.decode()
    assert answer.status_code in (200, 404), f"HTTP {answer.status_code}: {page[:2000]}"
    if answer.status_code == 404:
        return "not found"
    if "merged into" in page:
        assert MERGED in page and "decide again" in page, page[:2000]
        return "merged"
    assert "changed meanwhile" not in page and "Nothing was overwritten" not in page, page[:2000]
    if done_marker is not None:
        assert done_marker in page, page[:2000]
    return "done"


@pytest.fixture
def people(db):
    return make_user("ed", "editors"), make_user("rita", "reviewers")


@pytest.mark.django_db(transaction=True)
def test_a_verdict_racing_a_merge_is_stored_or_answered_merged_never_lost(people):
    """The issue's race: of 150 rounds on PostgreSQL, 20 verdicts answered 200 were gone, 93
    verdict POSTs and 30 merges got a 500; on SQLite 102 verdict POSTs got a 500."""
    editor, reviewer = people
    merger, judge = client_for(editor), client_for(reviewer)
    seen = []
    for n in range(VERDICT_ROUNDS):
        _article, a, b = article_abc(n, editor)
        tag = f"round {n}"
        merged, answer = race(
            merge_job(merger, a),
            (
                judge,
                reverse("verify:claim_verdict", args=[b.pk]),
                {"status": "disputed", "version": b.version, "note": tag},
            ),
        )
        check_merged(a, b, merged)
        result = outcome(answer, done_marker='data-status="disputed"')
        stored = list(Verdict.objects.filter(note=tag).values_list("claim_id", flat=True))
        if result == "done":
            assert stored == [a.pk], f"round {n}: a verdict answered 200 must be on the merged claim"
        else:
            assert stored == [], f"round {n}: answered {result}, yet a verdict was stored"
        seen.append(result)
    print("verdict vs merge:", {r: seen.count(r) for r in set(seen)})


def links_job(client, b, n):
    return client, reverse("verify:claim_links", args=[b.pk]), {"urls": f"https://example.org/round-{n}"}


def exclude_job(client, b, n):
    return client, reverse("verify:claim_exclude", args=[b.pk]), {"version": b.version}


def edit_job(client, b, n):
    return client, reverse("verify:claim_edit", args=[b.pk]), {"version": b.version, "attribution": "none"}


def split_job(client, b, n):
    return client, reverse("verify:claim_split", args=[b.pk]), {"version": b.version, "before": "said the"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("job", [links_job, exclude_job, edit_job, split_job], ids=lambda j: j.__name__)
def test_links_exclude_edit_or_split_racing_a_merge_never_fail(people, job, monkeypatch):
    """The issue saw a 500 in 15–31 of 40 rounds for each of these, on both databases."""

    monkeypatch.setattr(tasks, "queue", lambda task, *args, **kwargs: True)  # nothing to fetch here
    editor, _reviewer = people
    merger, other = client_for(editor), client_for(make_user("eve", "editors"))
    seen = []
    for n in range(OTHER_ROUNDS):
        _article, a, b = article_abc(n, editor)
        tail = b.text[b.text.index("said the") :]
        merged, answer = race(merge_job(merger, a), job(other, b, n))
        check_merged(a, b, merged)
        result = outcome(answer)
        url = f"https://example.org/round-{n}"
        if job is links_job:
            stored = list(ReferenceLink.objects.filter(url=url).values_list("claim_id", flat=True))
            assert stored == ([a.pk] if result == "done" else []), (n, result, stored)
        if job is split_job and result == "done":  # split first: A took B's first part only
            assert a.article.claims.filter(text=tail).exists(), n
        seen.append(result)
    print(job.__name__, "vs merge:", {r: seen.count(r) for r in set(seen)})


# --- The same moments, deterministically: merged away right after the view loaded the claim ---


@pytest.fixture
def merged_after_load(db, people, monkeypatch):
    """B of a fresh article; the next request on B loads it, then the editor merges A with B
    before the request writes."""
    editor, _reviewer = people
    _article, a, b = article_abc(0, editor)
    load = views._get_claim_for_user

    def load_then_merge(request, pk, perm):
        claim = load(request, pk, perm)
        review.claim_merge_next(claim=Claim.objects.get(pk=a.pk), by=editor, expected_version=None)
        return claim

    monkeypatch.setattr(views, "_get_claim_for_user", load_then_merge)
    return a, b


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("claim_verdict", {"status": "corroborated", "note": "late"}),
        ("claim_links", {"urls": "https://example.org/late"}),
        ("claim_exclude", {}),
        ("claim_edit", {"attribution": "none"}),
        ("claim_split", {"before": "said the"}),
    ],
)
def test_a_claim_merged_away_after_the_page_loaded_gets_the_merged_claim_named(
    merged_after_load, people, name, data
):
    a, b = merged_after_load
    client = client_for(people[0] if name != "claim_verdict" else people[1])
    answer = client.post(reverse(f"verify:{name}", args=[b.pk]), {"version": b.version, **data}, **HTMX)
    page = answer.content.decode()
    assert answer.status_code == 200, page[:2000]
    assert MERGED in page and "decide again" in page and "#2" in page, page[:2000]
    assert answer["HX-Retarget"] == "#review-region", "the article changed shape: the whole region is new"
    a.refresh_from_db()
    assert a.end == b.end and a.version == 1, "nothing but the merge was written to the merged claim"
    assert not a.verdicts.exists() and not a.links.exists() and not a.excluded
    assert a.article.claims.count() == 2, "nothing was split"


def test_without_htmx_a_claim_merged_away_goes_back_to_the_merged_claim_with_the_message(
    merged_after_load, people
):
    a, b = merged_after_load
    client = client_for(people[1])
    answer = client.post(
        reverse("verify:claim_verdict", args=[b.pk]),
        {"status": "disputed", "version": b.version},
        follow=True,
    )
    assert answer.redirect_chain[-1][0].endswith(f"#claim-{a.pk}")
    assert MERGED in answer.content.decode() and not Verdict.objects.exists()
