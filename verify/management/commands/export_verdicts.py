"""``manage.py export_verdicts``: the CSV export of claims and verdicts, to a file or stdout."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError

from verify import export
from verify.filters import ExportFilter, ExportFilterError
from verify.models import Article, Claim


class Command(BaseCommand):
    help = (
        "Export claims with their latest verdict as CSV (UTF-8, RFC 4180, one row per claim; "
        "claims marked 'not a claim' are left out). --history writes one row per verdict "
        "instead. Cells that a spreadsheet would run as a formula start with an apostrophe. "
        "Columns are described in docs/export.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--article", type=int, metavar="ID", help="only this article's claims")
        parser.add_argument(
            "--status",
            metavar="STATUS",
            help=f"only claims with this status: {', '.join(Claim.Status.values)}",
        )
        parser.add_argument(
            "--reviewer", metavar="USERNAME", help="only claims whose latest verdict is by this user"
        )
        parser.add_argument(
            "--since",
            metavar="DATE",
            help="only claims whose latest verdict is from this day on (YYYY-MM-DD or ISO date-time)",
        )
        parser.add_argument(
            "--until",
            metavar="DATE",
            help="only claims whose latest verdict is up to this day, inclusive (YYYY-MM-DD or ISO date-time)",
        )
        parser.add_argument(
            "--history", action="store_true", help="one row per verdict (the full review history)"
        )
        parser.add_argument(
            "--excel", action="store_true", help="start with a UTF-8 byte order mark, for Microsoft Excel"
        )
        parser.add_argument(
            "--output",
            "-o",
            default="-",
            metavar="FILE",
            help="write to FILE (default: - for standard output)",
        )

    def handle(self, *args, **options):
        try:
            claims = ExportFilter(self._params(options)).claims()
        except ExportFilterError as exc:  # the message starts with the parameter's name
            raise CommandError(f"--{exc}") from None
        lines = export.iter_csv_rows(claims, history=options["history"], excel=options["excel"])
        path = options["output"]
        if path == "-":
            self._write(lines, lambda chunk: self.stdout.write(chunk, ending=""))
            self.stdout.flush()
            return
        try:
            with open(path, "w", encoding="utf-8", newline="") as out:
                rows = self._write(lines, out.write)
        except OSError as exc:
            raise CommandError(f"{path}: cannot write it ({exc.strerror or exc})") from None
        self.stderr.write(f"{rows} row(s) written to {path}")

    def _params(self, options) -> dict:
        """The options as ExportFilter parameters (the same names). An article or a reviewer
        (a username here, an id there) that does not exist is refused here."""
        params = {name: options[name] for name in ("article", "status", "since", "until")}
        if options["article"] is not None and not Article.objects.filter(pk=options["article"]).exists():
            raise CommandError(f"--article {options['article']}: no such article")
        if options["reviewer"]:
            user = get_user_model().objects.filter(username=options["reviewer"]).first()
            if user is None:
                raise CommandError(f"--reviewer {options['reviewer']}: no such user")
            params["reviewer"] = user.pk
        return params

    @staticmethod
    def _write(lines, write) -> int:
        """Write the lines in pieces of about 64 KB; returns the number of data rows."""
        count = -1  # the header is not a row
        buffer: list[str] = []
        size = 0
        for line in lines:
            count += 1
            buffer.append(line)
            size += len(line)
            if size >= 64 * 1024:
                write("".join(buffer))
                buffer, size = [], 0
        if buffer:
            write("".join(buffer))
        return count
