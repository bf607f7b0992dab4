"""Shared bits of the management commands."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management import CommandError

from verify.services.articles import ArticleRejected, check_article_text, decode_article_bytes


def read_article_file(path: str) -> str:
    """Read an article from PATH (or standard input for "-") as text, or fail with one line."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a directory, not an article file") from None
    except OSError as exc:
        raise CommandError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        return check_article_text(decode_article_bytes(data, name=path))
    except ArticleRejected as exc:
        raise CommandError(f"{path}: {exc}") from None
