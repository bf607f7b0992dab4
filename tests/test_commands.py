"""Management commands: ingest_article, load_demo, extract_claims."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from tests.conftest import SEED
from verify.models import Article, Claim


def run(*args, **kwargs) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def test_ingest_article_prints_the_new_article_id(db):
    out, _ = run("ingest_article", str(SEED), "--title", "Kim and Putin", "--url", "https://example.org/kim")
    article = Article.objects.get()
    assert out.strip() == str(article.pk)
    assert article.title == "Kim and Putin" and article.source_url == "https://example.org/kim"
    assert article.claims.exists()


def test_ingest_article_twice_prints_the_same_id_and_says_so(db):
    first, _ = run("ingest_article", str(SEED))
    second, err = run("ingest_article", str(SEED))
    assert first == second and "already ingested" in err
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Café said".encode("cp1252"), "not UTF-8"),
    ],
)
def test_ingest_article_refuses_bad_files_with_one_line(db, tmp_path, content, message):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("ingest_article", str(path))
    assert not Article.objects.exists()


def test_ingest_article_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("ingest_article", str(tmp_path / "nope.txt"))


def test_load_demo_creates_users_and_the_seed_and_prints_logins(db, tmp_path):
    creds = tmp_path / "demo.json"
    out, _ = run("load_demo", "--credentials", str(creds))
    lines = re.findall(r"^Demo login: username=(\w+) password=(\S+)$", out, flags=re.M)
    assert [u for u, _ in lines] == ["editor", "reviewer", "viewer", "admin"]
    for username, password in lines:
        assert authenticate(username=username, password=password) is not None
        assert len(password) >= 12
    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["editor"].groups.get().name == "editors"
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not users["viewer"].is_staff
    article = Article.objects.get()
    assert article.language == "hi" and article.ingested_by == users["editor"] and article.claims.exists()
    assert json.loads(creds.read_text()) == dict(lines)
    assert creds.stat().st_mode & 0o077 == 0, "the passwords file is private"


def test_load_demo_is_idempotent_and_keeps_the_passwords(db, tmp_path):
    creds = tmp_path / "demo.json"
    first, _ = run("load_demo", "--credentials", str(creds))
    n_claims = Claim.objects.count()
    second, _ = run("load_demo", "--credentials", str(creds))
    logins = lambda out: [line for line in out.splitlines() if line.startswith("Demo login:")]  # noqa: E731
    assert logins(first) == logins(second)
    assert "already there" in second
    assert Article.objects.count() == 1 and Claim.objects.count() == n_claims
    assert get_user_model().objects.count() == 4


def test_extract_claims_json_contract_and_no_writes(db):
    out, _ = run("extract_claims", str(SEED), "--json")
    data = json.loads(out)
    assert data["language"] == "hi"
    text = SEED.read_text(encoding="utf-8")
    for claim in data["claims"]:
        assert {"text", "start", "end", "paragraph", "speaker", "outlet", "cue", "attribution"} <= set(claim)
        assert text[claim["start"] : claim["end"]] == claim["text"]
        assert claim["attribution"] in {"explicit", "inherited", "none"}
    assert isinstance(data["removed"], list)
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"\x00\x01binary\x00", "binary"),
        (b"caf\xe9", "not UTF-8"),
        (b"x" * 200_001, "the limit is 200,000 characters"),
    ],
)
def test_extract_claims_fails_with_one_line_and_a_nonzero_exit(tmp_path, content, message):
    import subprocess
    import sys

    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "manage.py", "extract_claims", str(path), "--json"],
        cwd=SEED.parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
