"""The review page in a real browser: verdicts by mouse and keyboard over htmx, the editor's
corrections, read-only viewers, concurrent reviewers and the no-JavaScript fallback."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.base import make_user
from tests.browser.conftest import log_in
from verify.models import Claim, Source, Verdict

pytestmark = pytest.mark.django_db(transaction=True)


def status_class(status: str) -> re.Pattern:
    return re.compile(rf"(^|\s)status-{status}(\s|$)")


CURRENT = re.compile(r"(^|\s)current(\s|$)")


@pytest.fixture
def claim_ids(seed_article) -> list[int]:
    ids = list(seed_article.claims.order_by("order").values_list("pk", flat=True))
    assert len(ids) == 20
    return ids


def verdict_requests(page) -> list[str]:
    """The verdict POSTs the page sends from now on."""
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/verdict/" in r.url else None)
    return sent


def expect_counts(page, corroborated: int, disputed: int, unverifiable: int, unreviewed: int) -> None:
    expect(page.locator("#progress .count-corroborated")).to_have_text(f"✓ {corroborated}")
    expect(page.locator("#progress .count-disputed")).to_have_text(f"✗ {disputed}")
    expect(page.locator("#progress .count-unverifiable")).to_have_text(f"? {unverifiable}")
    expect(page.locator("#progress .count-unreviewed")).to_have_text(f"○ {unreviewed}")


def expect_marked(page, pk: int, status: str, label: str) -> None:
    """The claim's row, its badge and its highlight in the article body all show ``status``."""
    row = page.locator(f"#claim-{pk}")
    expect(row).to_have_class(status_class(status))
    expect(row).to_have_attribute("data-status", status)
    expect(row.locator(".badge")).to_have_text(re.compile(label))
    expect(page.locator(f"#hl-{pk}")).to_have_class(status_class(status))


def test_reviewer_marks_claims_by_mouse_and_keyboard_without_reload(page, reviewer, seed_article, claim_ids):
    first, second, third = claim_ids[:3]
    log_in(page, reviewer, seed_article.get_absolute_url())
    expect(page.locator(".claim-row")).to_have_count(20)
    expect_counts(page, 0, 0, 0, 20)
    page.evaluate("window.__noReload = 1")

    # j focuses the first claim (its row and its highlight).
    page.keyboard.press("j")
    expect(page.locator(f"#claim-{first}")).to_have_class(CURRENT)
    expect(page.locator(f"#hl-{first}")).to_have_class(CURRENT)

    # A click disputes the second claim; the focus goes on to the next unreviewed one.
    page.click(f"#claim-{second} button[name=status][value=disputed]")
    expect_marked(page, second, "disputed", "Disputed")
    expect_counts(page, 0, 1, 0, 19)
    expect(page.locator(f"#claim-{third}")).to_have_class(CURRENT)

    # Back to the first claim with k, and c marks it corroborated: the focus skips the
    # already-disputed second claim and lands on the third.
    page.keyboard.press("k")
    page.keyboard.press("k")
    expect(page.locator(f"#claim-{first}")).to_have_class(CURRENT)
    page.keyboard.press("c")
    expect_marked(page, first, "corroborated", "Corroborated")
    expect_counts(page, 1, 1, 0, 18)
    expect(page.locator(f"#claim-{third}")).to_have_class(CURRENT)
    expect(page.locator(f"#hl-{third}")).to_have_class(CURRENT)
    expect(page.locator(".claim-row.current")).to_have_count(1)
    expect(page.locator(f"#claim-{third}")).to_have_attribute("data-status", "unreviewed")

    assert page.evaluate("window.__noReload") == 1, "the page was reloaded"

    page.reload()
    assert page.evaluate("window.__noReload") is None
    expect_marked(page, first, "corroborated", "Corroborated")
    expect_marked(page, second, "disputed", "Disputed")
    expect_counts(page, 1, 1, 0, 18)

    statuses = dict(Claim.objects.filter(pk__in=claim_ids).values_list("pk", "status"))
    assert statuses.pop(first) == "corroborated"
    assert statuses.pop(second) == "disputed"
    assert set(statuses.values()) == {"unreviewed"}
    history = Verdict.objects.order_by("id").values_list("claim_id", "status", "reviewer__username")
    assert list(history) == [(second, "disputed", "reviewer"), (first, "corroborated", "reviewer")]


def test_viewer_sees_the_article_but_no_verdict_buttons_or_editor_tools(
    page, viewer, seed_article, claim_ids
):
    log_in(page, viewer, seed_article.get_absolute_url())
    expect(page.locator(".claim-row")).to_have_count(20)
    expect(page.locator(".article-body mark.hl")).to_have_count(20)
    expect(page.locator(f"#claim-{claim_ids[0]} .claim-text")).to_have_text(
        Claim.objects.get(pk=claim_ids[0]).text
    )
    expect(page.locator("form.verdict")).to_have_count(0)
    expect(page.locator("button[name=status]")).to_have_count(0)
    expect(page.locator(".editor-tools")).to_have_count(0)
    expect(page.get_by_text("Correct attribution")).to_have_count(0)

    # The keys have no buttons to press either.
    sent = verdict_requests(page)
    page.keyboard.press("j")
    page.keyboard.press("c")
    page.wait_for_timeout(300)
    assert sent == []
    assert not Claim.objects.exclude(status="unreviewed").exists()


def test_editor_corrects_a_wrong_speaker(page, editor, seed_article, claim_ids):
    claim = Claim.objects.select_related("speaker").get(pk=claim_ids[0])
    assert claim.speaker.name == "Dmitry Peskov" and not claim.corrected
    # The registry knows another spokesperson, whom the extractor confused with Peskov.
    other = Source.objects.create(name="Maria Zakharova", kind=Source.Kind.PERSON, country="RU")

    log_in(page, editor, seed_article.get_absolute_url())
    page.evaluate("window.__noReload = 1")
    row = page.locator(f"#claim-{claim.pk}")
    expect(row.locator(".corrected")).to_have_count(0)

    # An existing speaker, chosen from the registry.
    row.get_by_role("link", name="Correct attribution…").click()
    form = page.locator(f"#edit-{claim.pk} form.edit-form")
    expect(form).to_be_visible()
    expect(form.locator("select[name=speaker]")).to_have_value(str(claim.speaker_id))
    form.locator("select[name=speaker]").select_option(str(other.pk))
    form.get_by_role("button", name="Save correction").click()
    expect(row.locator(".speaker")).to_have_text(other.name)
    expect(row.locator(".corrected")).to_contain_text("corrected")
    expect(row.locator(".corrected")).to_contain_text("editor")
    expect(page.locator(f"#edit-{claim.pk} form")).to_have_count(0)

    claim.refresh_from_db()
    assert claim.corrected and claim.corrected_by == editor
    assert claim.speaker_id == other.pk and claim.speaker_text == other.name

    # A new speaker, typed in, on a claim in the article's own voice: typed in Devanagari, she
    # is the registry's Maria Zakharova, not a second row.
    own_voice = Claim.objects.filter(pk__in=claim_ids, attribution="none").order_by("order").first()
    row = page.locator(f"#claim-{own_voice.pk}")
    expect(row.locator(".own-voice")).to_be_visible()
    row.get_by_role("link", name="Correct attribution…").click()
    form = page.locator(f"#edit-{own_voice.pk} form.edit-form")
    form.locator("select[name=attribution]").select_option("explicit")
    form.locator("input[name=new_speaker]").fill("मारिया ज़खारोवा")
    form.get_by_role("button", name="Save correction").click()
    expect(row.locator(".speaker")).to_have_text(other.name)
    expect(row.locator(".corrected")).to_be_visible()
    expect(row.locator(".own-voice")).to_have_count(0)

    own_voice.refresh_from_db()
    assert own_voice.corrected and own_voice.attribution == "explicit"
    assert own_voice.speaker == other and own_voice.speaker.kind == Source.Kind.PERSON
    assert not Source.objects.filter(name="मारिया ज़खारोवा").exists()
    assert page.evaluate("window.__noReload") == 1, "the page was reloaded"

    page.reload()
    expect(page.locator(f"#claim-{claim.pk} .speaker")).to_have_text(other.name)
    expect(page.locator(f"#claim-{claim.pk} .corrected")).to_be_visible()


def test_typing_a_note_after_n_does_not_fire_shortcuts_and_question_mark_opens_help(
    page, reviewer, seed_article, claim_ids
):
    first = claim_ids[0]
    log_in(page, reviewer, seed_article.get_absolute_url())
    sent = verdict_requests(page)

    page.keyboard.press("j")
    page.keyboard.press("n")
    note = page.locator(f"#claim-{first} textarea[name=note]")
    expect(note).to_be_focused()
    page.keyboard.type("c d u j k ?")
    expect(note).to_have_value("c d u j k ?")
    expect(page.locator("#shortcuts")).not_to_be_visible()
    page.wait_for_timeout(300)
    assert sent == []
    expect(page.locator(f"#claim-{first}")).to_have_attribute("data-status", "unreviewed")

    # Escape leaves the field; then ? opens the list of shortcuts, and closes it again.
    page.keyboard.press("Escape")
    expect(note).not_to_be_focused()
    page.keyboard.press("?")
    dialog = page.locator("#shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("mark corroborated")
    page.keyboard.press("?")
    expect(dialog).not_to_be_visible()
    page.click("[data-shortcuts-toggle]")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).not_to_be_visible()

    assert sent == []
    assert not Claim.objects.exclude(status="unreviewed").exists()
    assert not Verdict.objects.exists()


def test_clicking_into_the_note_of_another_claim_and_typing_does_not_fire_shortcuts(
    page, reviewer, seed_article, claim_ids
):
    """The natural way to write a note: click into its field (the claim is not the current one)."""
    log_in(page, reviewer, seed_article.get_absolute_url())
    sent = verdict_requests(page)
    page.keyboard.press("j")  # the first claim is current; the note is the third claim's

    note = page.locator(f"#claim-{claim_ids[2]} textarea[name=note]")
    note.click()
    page.keyboard.type("c")
    page.wait_for_timeout(300)
    focused = page.evaluate("document.activeElement.id || document.activeElement.tagName")
    assert sent == [], f"typing 'c' into the note sent a verdict (the focus was on {focused!r}, not the note)"
    expect(note).to_be_focused()
    expect(note).to_have_value("c")
    expect(page.locator(f"#claim-{claim_ids[2]}")).to_have_attribute("data-status", "unreviewed")
    assert not Verdict.objects.exists()


def test_second_reviewer_on_a_stale_claim_gets_a_conflict_and_overwrites_nothing(
    new_page, reviewer, seed_article, claim_ids
):
    pk = claim_ids[0]
    second = make_user("second-reviewer", "reviewers")
    page_a, page_b = new_page(), new_page()
    log_in(page_a, reviewer, seed_article.get_absolute_url())
    log_in(page_b, second, seed_article.get_absolute_url())
    page_b.evaluate("window.__noReload = 1")

    page_a.click(f"#claim-{pk} button[name=status][value=corroborated]")
    expect_marked(page_a, pk, "corroborated", "Corroborated")

    # Reviewer 2 still sees the claim unreviewed, writes a note and disputes it.
    row_b = page_b.locator(f"#claim-{pk}")
    expect(row_b).to_have_attribute("data-status", "unreviewed")
    row_b.locator("textarea[name=note]").fill("KCNA says otherwise")
    row_b.locator("button[name=status][value=disputed]").click()
    conflict = row_b.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Changed by reviewer")
    expect(conflict).to_contain_text("now Corroborated")
    expect(conflict).to_contain_text("Nothing was overwritten")
    # The row now shows the claim as it is, and keeps the note that was not saved.
    expect_marked(page_b, pk, "corroborated", "Corroborated")
    expect(row_b.locator("textarea[name=note]")).to_have_value("KCNA says otherwise")
    expect(row_b).to_have_class(CURRENT)

    claim = Claim.objects.get(pk=pk)
    assert claim.status == "corroborated" and claim.updated_by == reviewer
    assert list(Verdict.objects.values_list("status", "reviewer__username")) == [("corroborated", "reviewer")]

    # Having seen the change, reviewer 2 decides again, and that verdict counts.
    row_b.locator("button[name=status][value=disputed]").click()
    expect_marked(page_b, pk, "disputed", "Disputed")
    expect(row_b.locator(".conflict")).to_have_count(0)
    expect_counts(page_b, 0, 1, 0, 19)
    assert page_b.evaluate("window.__noReload") == 1, "the page was reloaded"

    claim.refresh_from_db()
    assert claim.status == "disputed" and claim.updated_by == second
    history = Verdict.objects.order_by("id").values_list("status", "reviewer__username", "note")
    assert list(history) == [
        ("corroborated", "reviewer", ""),
        ("disputed", "second-reviewer", "KCNA says otherwise"),
    ]

    # Reviewer 1, on the now stale page, gets the conflict in turn.
    page_a.click(f"#claim-{pk} button[name=status][value=unverifiable]")
    expect(page_a.locator(f"#claim-{pk} .conflict")).to_contain_text("Changed by second-reviewer")
    assert Claim.objects.get(pk=pk).status == "disputed"


def test_without_javascript_a_verdict_posts_the_form_and_comes_back(
    new_page, reviewer, seed_article, claim_ids
):
    pk = claim_ids[3]
    page = new_page(java_script_enabled=False)
    log_in(page, reviewer, seed_article.get_absolute_url())
    row = page.locator(f"#claim-{pk}")
    expect(row).to_have_attribute("data-status", "unreviewed")

    row.locator("textarea[name=note]").fill("no second source")
    with page.expect_navigation():
        row.locator("button[name=status][value=unverifiable]").click()
    assert page.url.endswith(f"{seed_article.get_absolute_url()}#claim-{pk}")
    expect_marked(page, pk, "unverifiable", "Unverifiable")
    expect_counts(page, 0, 0, 1, 19)

    claim = Claim.objects.get(pk=pk)
    assert claim.status == "unverifiable" and claim.updated_by == reviewer
    assert list(Verdict.objects.values_list("claim_id", "status", "note")) == [
        (pk, "unverifiable", "no second source")
    ]


@pytest.mark.parametrize(
    ("width", "height", "columns"),
    [(1366, 768, 2), (820, 1180, 1)],  # a laptop, and a tablet held upright
)
def test_the_review_page_fits_laptops_and_tablets(new_page, reviewer, seed_article, width, height, columns):
    page = new_page(viewport={"width": width, "height": height})
    log_in(page, reviewer, seed_article.get_absolute_url())
    expect(page.locator(".claim-row")).to_have_count(20)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    body, rows = page.locator(".article-body").bounding_box(), page.locator("#claim-list").bounding_box()
    side_by_side = rows["x"] >= body["x"] + body["width"] - 1
    assert side_by_side == (columns == 2)
    # Hindi is drawn with real glyphs, not the "missing glyph" boxes a machine without a
    # Devanagari font shows: the word's width differs from that of as many unassigned characters.
    widths = page.evaluate(
        """() => ['पेस्कोव', '\\uE000'.repeat('पेस्कोव'.length)].map((text) => {
            const s = document.createElement('span'); s.lang = 'hi'; s.textContent = text;
            document.querySelector('.article-body').appendChild(s);
            const w = s.getBoundingClientRect().width; s.remove(); return w; })"""
    )
    assert abs(widths[0] - widths[1]) > 1, f"Devanagari renders as boxes: {widths}"


def test_a_claim_merged_away_before_the_click_says_so_and_saves_nothing(
    page, page_errors, reviewer, editor, seed_article, claim_ids
):
    """The reviewer's page still shows claim 2; an editor merges it into claim 1 meanwhile and
    then someone's request for claim 2 finds no row at all (404). The click must not look as if
    it worked: the page says what happened, and no verdict is stored."""
    from verify.services import review

    first, second = claim_ids[:2]
    log_in(page, reviewer, seed_article.get_absolute_url())
    page.evaluate("window.__noReload = 1")
    alert = page.locator("#request-failed")
    expect(alert).to_be_hidden()
    claim = Claim.objects.get(pk=first)
    review.claim_merge_next(claim=claim, by=editor, expected_version=claim.version)
    assert not Claim.objects.filter(pk=second).exists()

    page.click(f"#claim-{second} button[name=status][value=disputed]")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("no longer there")
    expect(alert).to_contain_text("nothing was saved")
    assert not Verdict.objects.exists()
    assert page.evaluate("window.__noReload") == 1, "the page was reloaded"
    # The 404 itself is what this test provokes; the browser logs it, nothing else may be logged.
    gone = f"/claims/{second}/verdict/"
    page_errors.errors[:] = [error for error in page_errors.errors if gone not in error]
