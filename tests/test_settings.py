"""Settings come from the environment and fail loudly on what they cannot understand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from verify.envconf import EnvError, env_bool, env_list

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS"}}
    base["VERIFY_VAR_DIR"] = str(tmp_path)
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("word", ["1", "true", "Yes", " on "])
def test_true_words_read_as_true(monkeypatch, word):
    monkeypatch.setenv("FLAG", word)
    assert env_bool("FLAG", default=False) is True


@pytest.mark.parametrize("word", ["0", "false", "NO", "off"])
def test_false_words_read_as_false(monkeypatch, word):
    monkeypatch.setenv("FLAG", word)
    assert env_bool("FLAG", default=True) is False


@pytest.mark.parametrize("typo", ["ture", "flase", "2", "enabled", "y"])
def test_a_typo_in_a_boolean_is_an_error_naming_the_variable(monkeypatch, typo):
    monkeypatch.setenv("FLAG", typo)
    with pytest.raises(EnvError, match=f"FLAG={typo!r} is not a boolean"):
        env_bool("FLAG", default=True)


def test_unset_or_empty_boolean_takes_the_default(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", default=True) is True
    monkeypatch.setenv("FLAG", "")
    assert env_bool("FLAG", default=False) is False


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_django_refuses_to_start_with_a_mistyped_debug(tmp_path):
    result = manage("check", env={"DEBUG": "treu"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG='treu' is not a boolean" in result.stderr


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = manage("check", env={"DEBUG": "0", "ALLOWED_HOSTS": "verify.example"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_local_secret_key_is_generated_once_and_kept_out_of_the_repo(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = manage("shell", "--no-imports", "-c", code, env={"DEBUG": "1"}, tmp_path=tmp_path)
    second = manage("shell", "--no-imports", "-c", code, env={"DEBUG": "1"}, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_deploy_check_is_clean_under_production_settings(tmp_path):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp2Lm9Zr4Tn8Vb3Kc6Wd1Hf5Jg0Ys",
        "ALLOWED_HOSTS": "verify.example.org",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_can_be_chosen_for_local_production_runs(tmp_path):
    env = {"DEBUG": "0", "SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "localhost", "HTTPS": "0"}
    code = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)"
    result = manage("shell", "--no-imports", "-c", code, env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False"


def test_database_and_broker_urls_come_from_the_environment(tmp_path):
    env = {
        "DATABASE_URL": "postgres://u:p@db.example:6543/newsroom",
        "CELERY_BROKER_URL": "redis://cache.example:6379/3",
    }
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'], s.CELERY_BROKER_URL,"
        " sorted(s.CELERY_BROKER_TRANSPORT_OPTIONS.items()))"
    )
    result = manage("shell", "--no-imports", "-c", code, env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.example",
        "6543",
        "newsroom",
        "redis://cache.example:6379/3",
        # A frozen Redis must not hang a request that queues a task: no folders, socket timeouts.
        "[('socket_connect_timeout',",
        "1),",
        "('socket_timeout',",
        "1)]",
    ]


def test_defaults_are_sqlite_with_wal_and_the_filesystem_broker(tmp_path):
    env = {"DATABASE_URL": "", "CELERY_BROKER_URL": ""}
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['OPTIONS']['transaction_mode'], s.CELERY_BROKER_URL,"
        " s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'])"
    )
    result = manage("shell", "--no-imports", "-c", code, env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    engine, name, mode, broker, folder = result.stdout.split()
    assert engine == "django.db.backends.sqlite3" and name == str(tmp_path / "db.sqlite3")
    assert mode == "IMMEDIATE" and broker == "filesystem://" and folder.startswith(str(tmp_path))


def test_the_suite_runs_on_the_database_the_environment_names():
    """CI's second run must really be on PostgreSQL, not silently on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    if expected == "sqlite":
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
