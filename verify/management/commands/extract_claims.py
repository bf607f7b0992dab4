from __future__ import annotations

import json

from django.core.management import BaseCommand
from django.db import DatabaseError

from verify import extraction
from verify.management.commands._common import read_article_file
from verify.services.registry import registry_from_db


class Command(BaseCommand):
    help = (
        "Extract claims from a UTF-8 text file and print them; writes nothing to the database. "
        'With --json prints {"language", "claims": [{"text", "start", "end", "paragraph", '
        '"speaker", "outlet", "cue", "attribution", ...}], "removed": [{"text", "reason", ...}]}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="UTF-8 text file, or - to read standard input")
        parser.add_argument("--json", action="store_true", help="print the JSON contract instead of a table")
        parser.add_argument("--lang", choices=["hi", "en"], help="language (default: detected)")

    def handle(self, *args, **options):
        text = read_article_file(options["path"])
        try:
            registry = registry_from_db()
        except DatabaseError:  # no migrated database here: the built-in registry still works
            registry = extraction.default_registry()
        found = extraction.extract(text, lang=options["lang"], registry=registry)
        if options["json"]:
            self.stdout.write(json.dumps(found.as_dict(), ensure_ascii=False, indent=1))
            return
        self.stdout.write(
            f"language: {found.language}; {len(found.claims)} claims; {len(found.removed)} lines removed"
        )
        for i, c in enumerate(found.claims):
            source = " · ".join(
                x for x in (c.speaker, c.outlet and f"via {c.outlet}", c.cue and f"“{c.cue}”") if x
            )
            self.stdout.write(f"#{i + 1} ¶{c.paragraph + 1} [{c.attribution}] {source or '—'}\n    {c.text}")
        for r in found.removed:
            self.stdout.write(f"removed ({r.reason}): {r.text}")
