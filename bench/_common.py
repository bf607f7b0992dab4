"""Shared helpers of the benchmarks: a throwaway database, Django set-up, timing and the BENCH line.

Not a benchmark itself (``make bench`` runs it as a script too: it then only says so). Every
benchmark measures against a baseline taken in the same run, on a database that exists only for
that run, so a figure never depends on what a developer's ``var/db.sqlite3`` holds.

``ThrowawayDatabase`` is the one bench/export.py introduced, made reusable: it can insist on
PostgreSQL (bench/verdicts.py needs concurrent writers) and tells what a subprocess needs in its
environment to reach the same database (gunicorn, the ingest command).
"""

from __future__ import annotations

import os
import secrets
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Where PostgreSQL is on the development machines and in CI (trust authentication).
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench reviewer password 2024"  # every generated user's; never a real account


def _is_pg(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


class ThrowawayDatabase:
    """Points Django at a database that exists only for this run (enter before django.setup()).

    SQLite in a temporary folder, or, when ``DATABASE_URL`` names a PostgreSQL server (or
    ``require_postgres`` is set, which falls back to ``DEFAULT_PG_URL``), a temporary database on
    that server, dropped afterwards. Settings are the production ones (``DEBUG=0``: no query log
    to slow things down), except plain HTTP and the hosts the test client and loopback use.
    """

    def __init__(self, *, require_postgres: bool = False, prefix: str = "verify_bench") -> None:
        self.require_postgres = require_postgres
        self.prefix = prefix
        self.tmp = tempfile.TemporaryDirectory(prefix="verify-bench-")
        self.pg_admin_url: str | None = None
        self.pg_name: str | None = None
        self._saved: dict[str, str | None] = {}

    def _set(self, name: str, value: str) -> None:
        self._saved.setdefault(name, os.environ.get(name))
        os.environ[name] = value

    def __enter__(self) -> ThrowawayDatabase:
        self._set("VERIFY_VAR_DIR", self.tmp.name)
        self._set("DJANGO_SETTINGS_MODULE", "verify.settings")
        self._set("SECRET_KEY", os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50))
        self._set("DEBUG", "0")  # no query log
        self._set("HTTPS", "0")
        self._set("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
        # Warnings and errors only: request logging would be part of what is timed.
        self._set("LOG_LEVEL", os.environ.get("LOG_LEVEL", "WARNING"))
        url = os.environ.get("DATABASE_URL", "")
        if not _is_pg(url):
            if url and not url.startswith("sqlite"):
                raise SystemExit(f"benchmarks run on SQLite or PostgreSQL, not {url.split(':', 1)[0]}")
            if self.require_postgres:
                url = DEFAULT_PG_URL
        if _is_pg(url):
            import psycopg
            from psycopg import sql

            self.pg_admin_url = url
            self.pg_name = f"{self.prefix}_{secrets.token_hex(4)}"
            try:
                with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.pg_name)))
            except psycopg.OperationalError as exc:
                raise SystemExit(f"PostgreSQL at {url} cannot be reached: {exc}") from None
            base, _, query = url.partition("?")
            base = base.rsplit("/", 1)[0]
            self._set("DATABASE_URL", f"{base}/{self.pg_name}" + (f"?{query}" if query else ""))
        else:
            self._saved.setdefault("DATABASE_URL", os.environ.get("DATABASE_URL"))
            os.environ.pop("DATABASE_URL", None)
        return self

    @property
    def is_postgres(self) -> bool:
        return self.pg_name is not None

    def describe(self) -> str:
        return (
            f"PostgreSQL (temporary database {self.pg_name})" if self.pg_name else "SQLite (temporary file)"
        )

    def env(self) -> dict[str, str]:
        """The environment a subprocess needs to use the same database and settings."""
        return dict(os.environ)

    def __exit__(self, *exc) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not be set up yet
            pass
        if self.pg_name and self.pg_admin_url:
            import psycopg
            from psycopg import sql

            with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.pg_name))
                )
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self.tmp.cleanup()


def setup_django(*, migrate: bool = True) -> None:
    """django.setup(), the migrations (roles and the source registry come with them), and plain
    static files: with DEBUG off the settings want collectstatic's manifest, which a throwaway
    run does not have, and serving static files is not what any benchmark measures."""
    import warnings

    import django

    # WhiteNoise warns that collectstatic's folder is missing; no benchmark serves static files.
    warnings.filterwarnings("ignore", message=r"No directory at: .*staticfiles", category=UserWarning)
    django.setup()
    use_plain_static_storage()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def use_plain_static_storage() -> None:
    """Swap the manifest storage for the plain one, before anything renders a template."""
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def analyze() -> None:
    """Planner statistics, as a live PostgreSQL database has them (a no-op elsewhere)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def make_users(names: list[str], group: str | None, **extra) -> list:
    """Users with ``PASSWORD``, in a role group (made by migration 0004); one hash for all, so
    making hundreds costs one PBKDF2 run."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    User = get_user_model()
    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create([User(username=n, password=hashed, **extra) for n in names])
    users = list(User.objects.filter(username__in=names).order_by("id"))
    if group:
        Group.objects.get(name=group).user_set.add(*users)
    return users


def wire_sentence(i: int, variant: int = 0) -> str:
    """An English wire-style sentence the extractor takes as one attributed claim."""
    outlets = ["Reuters", "AP", "AFP", "Bloomberg"]
    return f"{outlets[variant % len(outlets)]} reported that shipment number {i} left the port."


def wire_article(n_claims: int, variant: int = 0) -> str:
    """``n_claims`` sentences, one per line: one claim each."""
    return "\n".join(wire_sentence(i, variant) for i in range(n_claims))


def timings_ms(fn: Callable[[], object], runs: int, warmup: int = 1) -> list[float]:
    """``fn`` run ``warmup`` times untimed, then ``runs`` times; each run's wall time in ms."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def bench_line(name: str, value: float, unit: str, baseline: float, digits: int = 3) -> str:
    """The last line every benchmark prints; ``make bench`` output is read for it."""
    ratio = value / baseline if baseline else float("nan")
    return (
        f"BENCH name={name} value={value:.{digits}f} unit={unit} "
        f"baseline={baseline:.{digits}f} ratio={ratio:.3f}"
    )


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain-text table with right-aligned columns (left for the first)."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def fmt(row: list[str]) -> str:
        return "  ".join(
            (c.ljust(w) if i == 0 else c.rjust(w)) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )

    lines = [fmt(cells[0]), "  ".join("-" * w for w in widths)]
    lines += [fmt(r) for r in cells[1:]]
    return "\n".join(lines)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine() -> str:
    """'<cores> cores, <model>' from /proc/cpuinfo, for the printed header."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}"


if __name__ == "__main__":
    print("bench/_common.py holds shared helpers; it is not a benchmark.")
