"""CSV export of claims and verdicts: content read back against the database, spreadsheet safety,
history, filters, the management command and a constant number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, load_command_class
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.base import make_user
from verify import export
from verify.filters import ExportFilter
from verify.models import Article, Claim, ReferenceLink, Source, Verdict
from verify.services.articles import article_ingest
from verify.services.review import claim_set_excluded, claim_split

ROOT = Path(__file__).resolve().parent.parent

ENGLISH = (
    'Dmitry Peskov said "the talks, frankly, went well". '
    "TASS reported that grain exports rose by 5%.\n\n"
    "The minister said prices would fall."
)
HINDI = 'प्रवक्ता दिमित्री पेस्कोव ने कहा कि "बातचीत, अच्छी रही"। टीएएसएस के अनुसार, निर्यात बढ़ा।'

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1", "-2", "@SUM(A1:A2)", "\tx", "\rx"]


def read(lines) -> list[dict[str, str]]:
    """Parse exported lines the way a CSV consumer would."""
    text = "".join(lines)
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def export_rows(**options) -> list[dict[str, str]]:
    history = options.pop("history", False)
    return read(export.iter_csv_rows(export.claims_for_export(**options), history=history))


def claims_of(article: Article) -> list[Claim]:
    return list(article.claims.order_by("order"))


def verdict_at(claim: Claim, when: dt.datetime, *, status: str, reviewer, note: str = "") -> Verdict:
    """A verdict recorded at a given time (the history is append-only: it is inserted as it is)."""
    verdict = Verdict.objects.create(
        claim=claim, status=status, reviewer=reviewer, note=note, claim_text=claim.text, created_at=when
    )
    Claim.objects.filter(pk=claim.pk).update(status=status)
    return verdict


@pytest.fixture
def english(editor) -> Article:
    return article_ingest(
        text=ENGLISH,
        title='Grain, talks & "prices"',
        by=editor,
        language="en",
        source_url="https://news.example/grain",
    ).article


@pytest.fixture
def hindi(editor) -> Article:
    return article_ingest(text=HINDI, title="वार्ता, निर्यात", by=editor, language="hi").article


@pytest.fixture
def reviewed(english, hindi, reviewer):
    """Both articles, with verdicts on some claims (one claim reviewed twice) and links."""
    peskov = claims_of(english)[0]
    peskov.record_verdict(
        status="disputed",
        reviewer=reviewer,
        note="First look:\nKCNA, AP and TASS disagree",
        evidence_urls=["https://evidence.example/1", "https://evidence.example/2"],
    )
    peskov.record_verdict(
        status="corroborated",
        reviewer=make_user("second", "reviewers"),
        note='Confirmed by the "readout", see link',
        evidence_urls=["https://evidence.example/3", "https://evidence.example/1"],
    )
    ReferenceLink.objects.create(article=english, claim=peskov, url="https://evidence.example/1")
    ReferenceLink.objects.create(article=english, claim=peskov, url="https://kremlin.example/readout")
    ReferenceLink.objects.create(article=english, url="https://article-level.example/")
    hi_first = claims_of(hindi)[0]
    hi_first.record_verdict(status="unverifiable", reviewer=reviewer, note="स्रोत नहीं मिला, जाँच जारी")
    return english, hindi


# --- One row per claim ---------------------------------------------------------------------------


def test_rows_match_the_database(reviewed, settings):
    settings.VERIFY_PUBLIC_URL = "https://verify.example"
    rows = export_rows()
    claims = list(Claim.objects.filter(excluded=False).order_by("article_id", "order"))
    assert [int(r["claim_id"]) for r in rows] == [c.pk for c in claims]
    assert list(rows[0]) == list(export.HEADER)
    for row, claim in zip(rows, claims, strict=True):
        article = claim.article
        assert row["article_id"] == str(article.pk)
        assert row["article_title"] == article.title
        assert row["article_url"] == article.source_url
        assert row["claim_order"] == str(claim.order + 1)
        assert row["claim_text"] == claim.text
        assert row["speaker"] == (claim.speaker.name if claim.speaker else claim.speaker_text)
        assert row["outlet"] == (claim.outlet.name if claim.outlet else "")
        if claim.outlet:
            assert row["outlet_state_affiliated"] == ("yes" if claim.outlet.state_affiliated else "no")
        else:
            assert row["outlet_state_affiliated"] == ""
        assert row["attribution"] == claim.attribution
        assert row["cue"] == claim.cue
        assert row["status"] == claim.status
        assert row["claim_url"] == "https://verify.example" + claim.get_absolute_url()
        assert row["wire_credit"] == (article.wire_credit.name if article.wire_credit else "")
        assert (row["speaker_role"], row["speaker_kind"]) == (claim.speaker_role, claim.speaker_kind)
        latest = claim.verdicts.order_by("-created_at", "-id").first()
        if latest is None:
            assert row["note"] == row["reviewer"] == row["reviewed_at"] == ""
        else:
            assert row["note"] == latest.note
            assert row["reviewer"] == latest.reviewer.username
            assert dt.datetime.fromisoformat(row["reviewed_at"]) == latest.created_at.replace(microsecond=0)


def test_plain_rows_hold_hindi_quotes_commas_and_newlines(reviewed):
    english, hindi = reviewed
    by_id = {int(r["claim_id"]): r for r in export_rows()}
    peskov = claims_of(english)[0]
    assert by_id[peskov.pk]["claim_text"] == 'Dmitry Peskov said "the talks, frankly, went well".'
    assert by_id[peskov.pk]["note"] == 'Confirmed by the "readout", see link'
    first_hi = claims_of(hindi)[0]
    assert by_id[first_hi.pk]["claim_text"] == first_hi.text and "पेस्कोव" in first_hi.text
    assert by_id[first_hi.pk]["note"] == "स्रोत नहीं मिला, जाँच जारी"
    assert by_id[first_hi.pk]["article_title"] == "वार्ता, निर्यात"
    history = export_rows(history=True)
    assert "First look:\nKCNA, AP and TASS disagree" in [r["note"] for r in history]


def test_evidence_is_the_latest_verdicts_then_the_claims_links_without_repeats(reviewed):
    english, _ = reviewed
    peskov, tass, _ = claims_of(english)
    by_id = {int(r["claim_id"]): r for r in export_rows()}
    assert by_id[peskov.pk]["evidence_urls"].split(" ") == [
        "https://evidence.example/3",
        "https://evidence.example/1",
        "https://kremlin.example/readout",
    ]
    assert by_id[tass.pk]["evidence_urls"] == "", "an article-level link belongs to no claim"


def test_reviewed_at_is_iso_8601_with_the_offset_of_the_time_zone(english, reviewer, settings):
    settings.TIME_ZONE = "Asia/Kolkata"
    claim = claims_of(english)[0]
    verdict_at(claim, dt.datetime(2026, 11, 27, 1, 2, 3, tzinfo=dt.UTC), status="disputed", reviewer=reviewer)
    [row] = export_rows(status="disputed")
    assert row["reviewed_at"] == "2026-11-27T06:32:03+05:30"
    settings.TIME_ZONE = "UTC"
    [row] = export_rows(status="disputed")
    assert row["reviewed_at"] == "2026-11-27T01:02:03+00:00"


def test_excluded_claims_are_left_out(english, editor):
    claim = claims_of(english)[1]
    claim_set_excluded(claim=claim, by=editor, excluded=True, expected_version=None)
    ids = {int(r["claim_id"]) for r in export_rows()}
    assert claim.pk not in ids and len(ids) == 2
    assert claim.pk not in {int(r["claim_id"]) for r in export_rows(history=True)}


# --- Spreadsheet safety and the file format ----------------------------------------------------


@pytest.mark.parametrize("payload", FORMULAS)
def test_formula_payloads_in_notes_and_speakers_get_an_apostrophe(english, reviewer, payload):
    claim = claims_of(english)[0]
    speaker = Source.objects.create(name=payload, kind=Source.Kind.PERSON)
    credit = Source.objects.create(name=f"{payload} (agency)", kind=Source.Kind.OUTLET)
    Claim.objects.filter(pk=claim.pk).update(speaker=speaker, speaker_role=payload)
    Article.objects.filter(pk=english.pk).update(wire_credit=credit)
    claim.record_verdict(status="disputed", reviewer=reviewer, note=payload)
    for history in (False, True):
        [row] = [r for r in export_rows(history=history) if r["claim_id"] == str(claim.pk)]
        assert row["note"] == "'" + payload
        assert row["speaker"] == "'" + payload
        assert row["speaker_role"] == "'" + payload
        assert row["wire_credit"] == "'" + credit.name


# --- The wire credit and the speaker's role and kind ------------------------------------------------

#: The columns of the first exports: readers that take cells by position keep finding them there.
FIRST_COLUMNS = (
    "article_id,article_title,article_url,claim_id,claim_order,claim_text,speaker,outlet,"
    "outlet_state_affiliated,attribution,cue,status,note,reviewer,reviewed_at,evidence_urls,claim_url"
).split(",")


def test_the_later_columns_come_last_so_no_earlier_column_moves():
    later = ["wire_credit", "speaker_role", "speaker_kind"]
    assert list(export.HEADER) == [*FIRST_COLUMNS, *later]
    assert list(export.HISTORY_HEADER) == [*FIRST_COLUMNS, "verdict_id", "current_status", *later]


@pytest.mark.parametrize("history", [False, True])
def test_the_credit_role_and_kind_are_exported_for_each_claim(english, hindi, reviewer, history):
    pti = Source.objects.get(name="PTI")
    Article.objects.filter(pk=english.pk).update(wire_credit=pti)
    peskov, tass, minister = claims_of(english)
    Claim.objects.filter(pk=peskov.pk).update(speaker_role="Kremlin spokesman", speaker_kind="person")
    Claim.objects.filter(pk=minister.pk).update(
        speaker=None, speaker_text="an official", speaker_role="", speaker_kind="anonymous"
    )
    peskov.record_verdict(status="disputed", reviewer=reviewer)
    peskov.record_verdict(status="corroborated", reviewer=reviewer)
    rows = export_rows(history=history)
    cells = {}
    for row in rows:
        cells.setdefault(int(row["claim_id"]), set()).add(
            (row["wire_credit"], row["speaker_role"], row["speaker_kind"])
        )
    assert cells[peskov.pk] == {("PTI", "Kremlin spokesman", "person")}, "each verdict's row too"
    assert cells[minister.pk] == {("PTI", "", "anonymous")}
    assert cells[tass.pk] == {("PTI", "", Claim.objects.get(pk=tass.pk).speaker_kind)}
    assert {cells[c.pk].pop()[0] for c in claims_of(hindi)} == {""}, "an uncredited article: empty"


def test_neutralise_leaves_ordinary_cells_alone():
    for cell in (
        "Peskov said -2 things",
        '"The talks went well," he said',
        "“=1” is a quote",
        "पेस्कोव",
        "'=1",
        "",
    ):
        assert export.neutralise(cell) == cell
    assert [export.neutralise(p)[0] for p in FORMULAS] == ["'"] * len(FORMULAS)


# Cell starts that spreadsheets can read as a formula although they are no ASCII trigger:
# full-width and small forms, blank or invisible characters first, and (after quote marks) a
# ";", tab or line break, which ends a quoted field early for a spreadsheet splitting on ";".
HIDDEN_FORMULAS = [
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(1;1)",
    "﹦1+1",
    "⁼1+1",
    "\u200b=1+1",
    "\ufeff=1+1",
    "\u200d+1",
    "\u202e=1+1",
    " =1+1",
    "\u00a0=1+1",
    ";x",
    '";x',
    '"";x',
    '"\tx',
    '"\nx',
]


@pytest.mark.parametrize("payload", HIDDEN_FORMULAS)
def test_neutralise_catches_hidden_triggers_at_the_start(payload):
    assert export.neutralise(payload) == "'" + payload


@pytest.mark.parametrize(
    ("cell", "exported"),
    [
        ("The talks failed;=1+1;", "The talks failed;'=1+1;"),
        ("First look:\n- KCNA says no", "First look:\n'- KCNA says no"),
        ('x\t"=1+1"', 'x\t\'"=1+1"'),
        ("a\r\n@SUM(1)", "a\r\n'@SUM(1)"),
        ("\n=1+1", "'\n'=1+1"),
        ("a;＝1", "a;'＝1"),
        ("prices fell; -2% in May", "prices fell; -2% in May"),
        ("one;two\nthree", "one;two\nthree"),
    ],
)
def test_neutralise_marks_a_trigger_after_a_semicolon_tab_or_line_break(cell, exported):
    assert export.neutralise(cell) == exported


def test_the_formula_triggers_are_every_character_nfkc_folds_to_one():
    import unicodedata

    folded = {
        c
        for c in map(chr, range(0x110000))
        if not 0xD800 <= ord(c) <= 0xDFFF and unicodedata.normalize("NFKC", c)[:1] in "=+-@"
    }
    assert folded == export.FORMULA_TRIGGERS


def test_every_field_is_quoted_so_no_separator_of_another_locale_splits_a_cell(reviewed):
    english, _ = reviewed
    claim = claims_of(english)[0]
    claim.record_verdict(status="disputed", reviewer=make_user("x", "reviewers"), note="failed;=1+1;\tand=2")
    lines = list(export.iter_csv_rows(export.claims_for_export(article=english)))
    assert lines[0].startswith('"article_id","article_title",')
    for line in lines[1:]:
        cells = next(csv.reader([line]))
        assert line == ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\r\n"
    assert '"failed;\'=1+1;\tand=2"' in "".join(lines)


def test_lines_are_crlf_terminated_and_newlines_inside_cells_stay_inside(reviewed):
    lines = list(export.iter_csv_rows(export.claims_for_export(), history=True))
    assert all(line.endswith("\r\n") for line in lines)
    assert len(lines) == 1 + len(read(lines)), "one line per row; a note's newline is inside quotes"
    assert any('"First look:\nKCNA, AP and TASS disagree"' in line for line in lines)


def test_bom_only_with_excel(reviewed):
    plain = "".join(export.iter_csv_rows(export.claims_for_export()))
    excel = "".join(export.iter_csv_rows(export.claims_for_export(), excel=True))
    assert not plain.startswith("\ufeff") and "\ufeff" not in plain
    assert excel.encode("utf-8").startswith(b'\xef\xbb\xbf"article_id",')
    assert excel.count("\ufeff") == 1 and excel[1:] == plain


# --- History -----------------------------------------------------------------------------------


def test_history_has_a_row_per_verdict_and_unreviewed_claims_once(reviewed):
    english, _ = reviewed
    rows = export_rows(history=True)
    assert list(rows[0]) == list(export.HISTORY_HEADER)
    assert len(rows) == Verdict.objects.count() + Claim.objects.filter(verdicts__isnull=True).count()
    peskov = claims_of(english)[0]
    mine = [r for r in rows if r["claim_id"] == str(peskov.pk)]
    verdicts = list(peskov.verdicts.order_by("created_at", "id"))
    assert [r["verdict_id"] for r in mine] == [str(v.pk) for v in verdicts]
    for row, verdict in zip(mine, verdicts, strict=True):
        assert row["status"] == verdict.status and row["note"] == verdict.note
        assert row["reviewer"] == verdict.reviewer.username
        assert row["evidence_urls"].split(" ") == verdict.evidence_urls
        assert row["claim_text"] == verdict.claim_text
        assert row["current_status"] == "corroborated"
    tass = claims_of(english)[1]
    [row] = [r for r in rows if r["claim_id"] == str(tass.pk)]
    assert row["status"] == row["note"] == row["reviewer"] == row["reviewed_at"] == row["verdict_id"] == ""
    assert row["current_status"] == "unreviewed" and row["claim_text"] == tass.text


def test_a_split_claim_keeps_the_text_each_verdict_was_given_for(english, editor, reviewer):
    claim = claims_of(english)[0]
    claim.record_verdict(status="disputed", reviewer=reviewer, note="judged whole")
    judged = claim.text
    claim_split(claim=claim, by=editor, at=claim.text.index(" said") + 5, expected_version=None)
    claim.refresh_from_db()
    [latest] = [r for r in export_rows() if r["claim_id"] == str(claim.pk)]
    assert latest["status"] == "unreviewed" and latest["note"] == "", "the verdict was for another text"
    [past] = [r for r in export_rows(history=True) if r["claim_id"] == str(claim.pk)]
    assert past["claim_text"] == judged != claim.text
    assert past["note"] == "judged whole" and past["current_status"] == "unreviewed"


# --- Filters -----------------------------------------------------------------------------------


def test_filter_by_article_status_outlet_and_speaker(reviewed):
    english, hindi = reviewed
    peskov = claims_of(english)[0]
    assert {r["article_id"] for r in export_rows(article=hindi)} == {str(hindi.pk)}
    assert {r["claim_id"] for r in export_rows(article=english.pk)} == {str(c.pk) for c in claims_of(english)}
    assert [r["claim_id"] for r in export_rows(status="corroborated")] == [str(peskov.pk)]
    tass_outlet = Source.objects.get(name="TASS")
    assert {r["outlet"] for r in export_rows(outlet=tass_outlet)} == {"TASS"}
    assert {r["speaker"] for r in export_rows(speaker=peskov.speaker_id)} == {"Dmitry Peskov"}


def test_reviewer_and_dates_apply_to_the_latest_verdict(english, hindi, reviewer):
    other = make_user("other", "reviewers")
    a, b, c = claims_of(english)
    verdict_at(a, dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC), status="disputed", reviewer=reviewer)
    verdict_at(a, dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), status="corroborated", reviewer=other)
    verdict_at(b, dt.datetime(2026, 2, 15, 23, 59, tzinfo=dt.UTC), status="unverifiable", reviewer=reviewer)

    def ids(**filters):
        return [int(r["claim_id"]) for r in export_rows(**filters)]

    assert ids(reviewer=reviewer) == [b.pk], "a's latest verdict is by the other reviewer"
    assert ids(reviewer=other.pk) == [a.pk]
    assert ids(since=dt.date(2026, 2, 1)) == [a.pk, b.pk]
    assert ids(until=dt.date(2026, 2, 15)) == [b.pk], "a date bound includes the whole day"
    assert ids(until=dt.date(2026, 2, 14)) == []
    assert ids(since=dt.date(2026, 2, 16)) == [a.pk]
    assert ids(since=dt.datetime(2026, 3, 1, 9), until=dt.datetime(2026, 3, 1, 9)) == [a.pk]
    assert c.pk not in ids(until=dt.date(2030, 1, 1)), "unreviewed claims have no verdict date"


def test_an_unknown_status_is_refused():
    with pytest.raises(export.ExportFilterError, match="unknown status 'true'"):
        export.claims_for_export(status="true")


def test_filters_from_request_parameters():
    params = {"article": "3", "status": "disputed", "since": "2026-01-02", "until": "", "outlet": " "}
    assert ExportFilter(params).cleaned() == {
        "article": 3,
        "status": "disputed",
        "since": dt.date(2026, 1, 2),
    }
    for bad in ({"status": "false"}, {"since": "yesterday"}, {"article": "1 OR 1=1"}):
        with pytest.raises(export.ExportFilterError):
            ExportFilter(bad).cleaned()


# --- Queries -----------------------------------------------------------------------------------


def article_with(n: int, by, reviewer) -> Article:
    text = "\n".join(f"Reuters reported that shipment number {i} left the port of Odesa." for i in range(n))
    article = article_ingest(text=text, title=f"{n} claims", by=by, language="en").article
    for claim in article.claims.all()[: n // 2]:
        claim.record_verdict(status="disputed", reviewer=reviewer, evidence_urls=["https://e.example/1"])
        ReferenceLink.objects.create(article=article, claim=claim, url=f"https://e.example/{claim.pk}")
    return article


def count_queries(article: Article, *, history: bool) -> int:
    with CaptureQueriesContext(connection) as ctx:
        rows = read(export.iter_csv_rows(export.claims_for_export(article=article), history=history))
    assert len(rows) >= article.claims.count()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("history", [False, True])
def test_queries_do_not_grow_with_rows(editor, reviewer, history):
    small, large = article_with(10, editor, reviewer), article_with(200, editor, reviewer)
    assert count_queries(small, history=history) == count_queries(large, history=history) == 1


def test_rows_are_read_lazily(english, django_assert_num_queries):
    lines = export.iter_csv_rows(export.claims_for_export())
    with django_assert_num_queries(0):
        assert next(lines).startswith('"article_id",')
    with django_assert_num_queries(1):
        assert len(list(lines)) == 3


# --- HTTP response -----------------------------------------------------------------------------


def test_export_response_streams_an_attachment(reviewed):
    response = export.export_response(
        export.claims_for_export(), history=False, excel=True, filename="verdicts-वार्ता.csv"
    )
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''verdicts-")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body == "".join(export.iter_csv_rows(export.claims_for_export(), excel=True))


def test_default_filename():
    today = timezone.localdate().isoformat()
    assert export.default_filename() == f"verdicts-{today}.csv"
    assert export.default_filename(article=7, history=True) == f"verdict-history-article-7-{today}.csv"


# --- Management command ------------------------------------------------------------------------


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_verdicts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_writes_to_stdout(reviewed):
    out, _ = run()
    assert out == "".join(export.iter_csv_rows(export.claims_for_export()))


def test_command_writes_a_file_with_filters_history_and_bom(reviewed, tmp_path):
    english, _ = reviewed
    path = tmp_path / "history.csv"
    out, err = run("--article", str(english.pk), "--history", "--excel", "--output", str(path))
    data = path.read_bytes()
    assert out == "" and "row(s) written" in err
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    expected = export.iter_csv_rows(export.claims_for_export(article=english), history=True, excel=True)
    assert data.decode("utf-8") == "".join(expected)
    rows = read([data.decode("utf-8")])
    assert len(rows) == 4 and {r["article_id"] for r in rows} == {str(english.pk)}
    assert err.startswith("4 row(s)")


def test_command_filters_by_status_and_dates(english, reviewer):
    a, b, _ = claims_of(english)
    verdict_at(a, dt.datetime(2026, 1, 10, tzinfo=dt.UTC), status="disputed", reviewer=reviewer)
    verdict_at(b, dt.datetime(2026, 2, 10, tzinfo=dt.UTC), status="disputed", reviewer=reviewer)
    out, _ = run("--status", "disputed", "--since", "2026-02-01", "--until", "2026-02-10")
    assert [r["claim_id"] for r in read([out])] == [str(b.pk)]
    out, _ = run("--reviewer", reviewer.username)
    assert len(read([out])) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "fake"], "--status fake: not a status"),
        (["--since", "27/11/2026"], "--since: '27/11/2026' is not a date"),
        (["--until", "tomorrow"], "--until: 'tomorrow' is not a date"),
        (["--article", "999999"], "--article 999999: no such article"),
        (["--reviewer", "nobody"], "--reviewer nobody: no such user"),
        (["--output", "/nonexistent/dir/x.csv"], "cannot write it"),
    ],
)
def test_command_refuses_bad_arguments_with_one_line(db, args, message):
    with pytest.raises(CommandError, match=message) as refused:
        run(*args)
    assert "\n" not in str(refused.value)


def test_command_exits_non_zero_with_a_one_line_error(tmp_path):
    env = {**os.environ, "VERIFY_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "verify.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "export_verdicts", "--status", "fake"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr.strip().count("\n") == 0 and "--status fake" in done.stderr


def test_command_help_lists_the_options():
    command = load_command_class("verify", "export_verdicts")
    text = command.create_parser("manage.py", "export_verdicts").format_help()
    for option in ("--article", "--status", "--since", "--until", "--history", "--excel", "--output"):
        assert option in text
    assert "unverifiable" in text


def test_any_claim_queryset_can_be_exported(reviewed):
    plain = read(export.iter_csv_rows(Claim.objects.filter(status="corroborated")))
    assert plain == export_rows(status="corroborated")
