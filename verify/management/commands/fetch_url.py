"""manage.py fetch_url: one guarded fetch, run here and now, to see what a worker would get.

The same code path as the workers' (``verify.fetch.fetch`` with this installation's policy,
``verify.services.policy.fetch_policy``), without the queue, the leases or the database.
"""

from __future__ import annotations

import json
from argparse import RawDescriptionHelpFormatter

from django.core.management import BaseCommand
from django.core.management.base import DjangoHelpFormatter

from verify.fetch import FetchResult, fetch
from verify.services.policy import fetch_policy

EXIT_FETCHED, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2

EPILOG = """\
output:
  fetched: status, final URL, title, content type and charset, text length, sha256 of the text
  (on standard output); refused or failed: the reason (on standard error). With --json, one JSON
  object on standard output whatever happened: the FetchResult fields (url, state, final_url,
  http_status, content_type, charset, title, text, text_sha256, headers, error, retry_after,
  retryable, truncated, bytes_read, redirects, elapsed, links) plus "ok".

exit status:
  0  fetched
  1  failed: network, HTTP or content trouble (the output says whether it is retryable)
  2  refused: the URL is not allowed (scheme, credentials, port, or a host that is or resolves
     to a loopback, private, link-local, metadata ... address); nothing was connected to
"""


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's argument order, with the epilog's lines kept as written."""


class Command(BaseCommand):
    help = (
        "Fetch URL through the SSRF guard with this installation's fetch policy (the VERIFY_FETCH_* "
        "settings), synchronously, and print what came back. Writes nothing to the database."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _HelpFormatter
        parser.epilog = EPILOG
        return parser

    def add_arguments(self, parser):
        parser.add_argument("url", help="the http(s) URL to fetch")
        parser.add_argument(
            "--json", action="store_true", help="print the FetchResult as one JSON object, plus ok"
        )

    def handle(self, *args, **options):
        result = fetch(options["url"], policy=fetch_policy())
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self._report(result)
        code = {"fetched": EXIT_FETCHED, "refused": EXIT_REFUSED}.get(result.state, EXIT_FAILED)
        if code != EXIT_FETCHED:
            raise SystemExit(code)

    def _report(self, result: FetchResult) -> None:
        if result.state == "refused":
            self.stderr.write(result.error)
            return
        if result.state == "failed":
            again = "retryable" if result.retryable else "not retryable"
            status = f"HTTP {result.http_status}; " if result.http_status else ""
            self.stderr.write(f"failed ({status}{again}): {result.error}")
            return
        rows = [
            ("status", str(result.http_status)),
            ("final URL", result.final_url),
            ("title", result.title),
            ("type", f"{result.content_type}; charset {result.charset}"),
            ("text", f"{len(result.text)} characters" + (" (truncated)" if result.truncated else "")),
            ("sha256", result.text_sha256),
            ("redirects", str(len(result.redirects))),
            ("links", str(len(result.links))),
            ("elapsed", f"{result.elapsed:.3f} s"),
        ]
        for name, value in rows:
            self.stdout.write(f"{name + ':':<11} {value}")
