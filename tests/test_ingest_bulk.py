"""ingest_article --dir / --jsonl: many articles at once, each on its own, with a summary."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import SEED
from verify.models import Article


def run(*args, **kwargs) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest_article", *args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def wire(n: int) -> str:
    return f"Reuters reported that shipment number {n} left the port.\nAP said the ship {n} was late."


def jsonl(tmp_path, *records) -> str:
    path = tmp_path / "articles.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_dir_ingests_every_txt_file_titled_by_its_name_and_refuses_bad_ones(db, tmp_path):
    (tmp_path / "port_report.txt").write_text(wire(1), encoding="utf-8")
    (tmp_path / "kim-putin.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "notes.md").write_text(wire(2), encoding="utf-8")  # not a .txt: not taken
    out, err = run("--dir", str(tmp_path))
    assert out.splitlines()[0] == "ingested 2, already there 0, refused 1"
    assert "refused scan.txt:" in out and "binary" in out
    assert sorted(Article.objects.values_list("title", flat=True)) == ["kim-putin", "port report"]
    assert Article.objects.get(title="kim-putin").language == "hi"
    assert err.strip().splitlines()[-1].startswith("3/3 articles")


def test_dir_again_finds_everything_already_there_and_still_succeeds(db, tmp_path):
    (tmp_path / "a.txt").write_text(wire(1), encoding="utf-8")
    (tmp_path / "b.txt").write_text(wire(2), encoding="utf-8")
    run("--dir", str(tmp_path))
    out, _ = run("--dir", str(tmp_path))
    assert out.splitlines()[0] == "ingested 0, already there 2, refused 0"
    assert Article.objects.count() == 2


def test_jsonl_takes_text_title_url_and_lang_and_says_why_it_refuses_lines(db, tmp_path, editor):
    path = jsonl(
        tmp_path,
        {"text": wire(1), "title": "Port", "url": "https://wire.example/1", "lang": "en", "id": 7},
        {"text": SEED.read_text(encoding="utf-8")},
        "",
        "{not json",
        {"title": "no text"},
        {"text": wire(3), "lang": "fr"},
        {"text": wire(4), "url": "javascript:alert(1)"},
        {"text": "   "},
        ["a", "list"],
        {"text": wire(1), "title": "the same text again"},
    )
    out, _ = run("--jsonl", path, "--by", "editor")
    lines = out.splitlines()
    assert lines[0] == "ingested 2, already there 1, refused 6"
    refused = "\n".join(lines[1:])
    for where, why in [
        (":4", "not JSON"),
        (":5", 'no "text"'),
        (":6", "'fr'"),
        (":7", "is not an http(s) link"),
        (":8", "empty"),
        (":9", "not a JSON object"),
    ]:
        assert f"articles.jsonl{where}: " in refused and why in refused, (where, why, refused)
    port = Article.objects.get(title="Port")
    assert port.source_url == "https://wire.example/1" and port.language == "en"
    assert port.ingested_by == editor
    seed = Article.objects.exclude(pk=port.pk).get()
    assert seed.language == "hi" and seed.title  # no title given: taken from the first claim


def test_lang_applies_to_items_that_name_none(db, tmp_path):
    path = jsonl(tmp_path, {"text": wire(1)}, {"text": wire(2), "lang": "en"})
    run("--jsonl", path, "--lang", "en")
    assert set(Article.objects.values_list("language", flat=True)) == {"en"}


def test_nothing_ingested_is_an_error_after_the_summary(db, tmp_path):
    path = jsonl(tmp_path, "{bad", {"text": ""})
    out = StringIO()
    with pytest.raises(CommandError, match=r"nothing could be ingested \(2 refused\)"):
        call_command("ingest_article", "--jsonl", path, stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("ingested 0, already there 0, refused 2")
    assert not Article.objects.exists()


def test_an_empty_folder_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="no items found"):
        run("--dir", str(tmp_path))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jsonl", "missing.jsonl"], "no such file"),
        (["--dir", "missing-folder"], "no such folder"),
        ([str(SEED), "--dir", "."], "give one of"),
        ([], "give one of"),
        (["--dir", ".", "--title", "x"], "--title is for one article"),
    ],
)
def test_bulk_arguments_are_checked(db, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_many_refusals_are_counted_by_reason_after_the_first_fifty(db, tmp_path):
    path = jsonl(tmp_path, {"text": wire(0)}, *[{"text": wire(i), "lang": "xx"} for i in range(1, 61)])
    out, _ = run("--jsonl", path)
    assert out.splitlines()[0] == "ingested 1, already there 0, refused 60"
    assert out.count("refused articles.jsonl:") == 50
    assert "… and 10 more refused:" in out and "10 × \"lang\" is 'xx'" in out


def test_verbosity_zero_prints_no_progress(db, tmp_path):
    path = jsonl(tmp_path, {"text": wire(1)})
    _, err = run("--jsonl", path, verbosity=0)
    assert err == ""


# --- Lines that used to stop the whole run -------------------------------------------------------


def test_a_lone_surrogate_deep_nesting_or_a_nul_refuses_that_line_and_the_rest_go_on(db, tmp_path):
    path = jsonl(
        tmp_path,
        {"text": wire(1)},
        '{"text": "\\ud800 Reuters reported that the port closed."}',
        "[" * 100_000 + "]" * 100_000,
        '{"text": "Reuters reported that the ship sailed.", "title": "a\\u0000b"}',
        '{"text": "AP said the ship was late.", "url": "https://wire.example/\\u0000"}',
        '{"text": "AP said the ship was late.", "title": "\\udfff"}',
        {"text": wire(2)},
    )
    out, _ = run("--jsonl", path)
    lines = out.splitlines()
    assert lines[0] == "ingested 2, already there 0, refused 5", out
    refused = "\n".join(lines[1:])
    for where, why in [
        (":2", '"text" holds a lone surrogate (\\ud800)'),
        (":3", "nested too deeply"),
        (":4", '"title" holds a control character (U+0000)'),
        (":5", "control character (U+0000)"),
        (":6", '"title" holds a lone surrogate (\\udfff)'),
    ]:
        assert f"articles.jsonl{where}: " in refused and why in refused, (where, why, refused)
    assert Article.objects.count() == 2


# --- One URL check for every way in ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("javascript:alert(1)", "is not an http(s) link"),
        ("ftp://files.example/a.txt", "is not an http(s) link"),
        ("https://wire.example/" + "x" * 2000, "the limit is 2,000"),
    ],
)
def test_the_single_file_url_is_checked_like_the_bulk_ones(db, tmp_path, url, why):
    article = tmp_path / "a.txt"
    article.write_text(wire(1), encoding="utf-8")
    with pytest.raises(CommandError, match=f"--url: .*{re.escape(why)}"):
        run(str(article), "--url", url)
    out = StringIO()
    with pytest.raises(CommandError, match="nothing could be ingested"):
        path = jsonl(tmp_path, {"text": wire(1), "url": url})
        call_command("ingest_article", "--jsonl", path, stdout=out, stderr=StringIO())
    assert why in out.getvalue()
    assert not Article.objects.exists()


def test_article_ingest_itself_refuses_a_url_no_caller_checked(db):
    from verify.services.articles import ArticleRejected, article_ingest

    with pytest.raises(ArticleRejected, match="is not an http"):
        article_ingest(text=wire(1), title="", source_url="javascript:alert(1)")
    assert not Article.objects.exists()


def test_a_database_error_on_one_item_is_reported_and_the_rest_go_on(db, tmp_path, monkeypatch):
    from django.db import DataError

    from verify.management.commands import ingest_article

    real = ingest_article.article_ingest

    def failing_on_boom(**kwargs):
        if kwargs["title"] == "boom":
            raise DataError("value too long for type character varying(500)\nDETAIL: …")
        return real(**kwargs)

    monkeypatch.setattr(ingest_article, "article_ingest", failing_on_boom)
    path = jsonl(tmp_path, {"text": wire(1)}, {"text": wire(2), "title": "boom"}, {"text": wire(3)})
    out, _ = run("--jsonl", path)
    assert out.splitlines()[0] == "ingested 2, already there 0, refused 1"
    assert "articles.jsonl:2: the database refused it (DataError: value too long" in out
