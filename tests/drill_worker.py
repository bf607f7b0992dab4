"""Start a real Celery worker in its own process, able to fetch from a test server on 127.0.0.1.

Why a separate process: the kill drill (tests/test_fetch_drill.py) must SIGKILL a worker in the
middle of a fetch, which an in-process thread worker cannot survive, and bench/fetch.py measures
the worker as it runs in production (its own process, the Procfile's threads pool).

Why it sets ``VERIFY_FETCH_POLICY``: the fetcher refuses 127.0.0.0/8 unless its policy says
``allow_loopback`` (see verify/fetch/guard.py, "Loopback for tests"). This process stands in for
a test process and talks only to that test's loopback server, so it injects the tests' policy
factory (``tests.httpfixtures.loopback_policy``) in its own settings, as the ``loopback`` fixture
does in the test process. The setting is code, never read from the environment: a production
worker, started by ``celery -A verify worker``, keeps the default policy; nothing in this file is
reachable from the app.

Usage (from the project root; the parent chooses the database, broker and queue)::

    DATABASE_URL=... CELERY_BROKER_URL=... VERIFY_DRILL_BROKER_OPTIONS='{"data_folder_in": ...}' \\
        python tests/drill_worker.py --queue Q --allow-port 43210 [--per-host 2] [--sweep-after 1] \\
        [--total-timeout 3] [--concurrency 4] [--hostname drill-a@%h]

``VERIFY_DRILL_BROKER_OPTIONS`` (JSON) replaces ``broker_transport_options``: on the filesystem
broker the test's conftest gives the run private folders, and a worker that polled the default
``var/broker`` folders would never see the test's messages.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROKER_OPTIONS_ENV = "VERIFY_DRILL_BROKER_OPTIONS"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queue", required=True, help="the only queue this worker consumes")
    parser.add_argument("--allow-port", type=int, action="append", default=[], help="test server port")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--per-host", type=int, help="VERIFY_FETCH_PER_HOST (default: the settings')")
    parser.add_argument("--sweep-after", type=int, help="VERIFY_FETCH_SWEEP_AFTER, seconds")
    parser.add_argument(
        "--total-timeout", type=int, help="VERIFY_FETCH_TOTAL_TIMEOUT; the link lease is this + 30 s"
    )
    parser.add_argument("--hostname", default="drill@%h")
    parser.add_argument("--loglevel", default="INFO")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verify.settings")
    # Read by verify/settings.py at import: the worker_ready sweep and every re-queue go here.
    os.environ["CELERY_QUEUE"] = args.queue

    import django

    django.setup()

    from django.conf import settings

    from tests.fetch_cases import LOOPBACK_POLICY
    from verify.celery import app

    settings.VERIFY_FETCH_POLICY = LOOPBACK_POLICY  # the module docstring says why
    settings.VERIFY_FETCH_ALLOWED_PORTS = [80, 443, *args.allow_port]
    if args.per_host is not None:
        settings.VERIFY_FETCH_PER_HOST = args.per_host
    if args.sweep_after is not None:
        settings.VERIFY_FETCH_SWEEP_AFTER = args.sweep_after
    if args.total_timeout is not None:
        settings.VERIFY_FETCH_TOTAL_TIMEOUT = args.total_timeout
        settings.VERIFY_FETCH_READ_TIMEOUT = min(settings.VERIFY_FETCH_READ_TIMEOUT, args.total_timeout)
        settings.VERIFY_FETCH_CONNECT_TIMEOUT = min(settings.VERIFY_FETCH_CONNECT_TIMEOUT, args.total_timeout)

    app.conf.task_default_queue = args.queue
    if os.environ.get(BROKER_OPTIONS_ENV):
        app.conf.broker_transport_options = json.loads(os.environ[BROKER_OPTIONS_ENV])
    print(
        f"drill worker: queue={args.queue} concurrency={args.concurrency} "
        f"per_host={settings.VERIFY_FETCH_PER_HOST} sweep_after={settings.VERIFY_FETCH_SWEEP_AFTER} "
        f"total_timeout={settings.VERIFY_FETCH_TOTAL_TIMEOUT} ports={settings.VERIFY_FETCH_ALLOWED_PORTS} "
        f"db={settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}:{settings.DATABASES['default']['NAME']}",
        flush=True,
    )
    app.worker_main(
        [
            "worker",
            "--pool",
            "threads",
            "--concurrency",
            str(args.concurrency),
            "-Q",
            args.queue,
            "--hostname",
            args.hostname,
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            args.loglevel,
        ]
    )


if __name__ == "__main__":
    main(sys.argv[1:])
