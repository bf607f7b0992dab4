from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError

from verify import services
from verify.management.commands._common import read_article_file


class Command(BaseCommand):
    help = (
        "Ingest an article from a UTF-8 text file (or - for standard input): store it with its "
        "extracted claims and print the article id. The same text ingested again prints the "
        "existing article's id and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="UTF-8 text file, or - to read standard input")
        parser.add_argument("--title", default="", help="title (default: the first claim, shortened)")
        parser.add_argument("--url", default="", help="where the article was published")
        parser.add_argument("--lang", choices=["hi", "en"], help="language (default: detected)")
        parser.add_argument("--published", type=dt.date.fromisoformat, help="publication date, YYYY-MM-DD")
        parser.add_argument("--by", help="username recorded as the one who ingested it")

    def handle(self, *args, **options):
        text = read_article_file(options["path"])
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"--by {options['by']}: no such user")
        try:
            result = services.article_ingest(
                text=text,
                title=options["title"],
                by=by,
                language=options["lang"],
                source_url=options["url"],
                published_on=options["published"],
            )
        except services.ArticleRejected as exc:
            raise CommandError(f"{options['path']}: {exc}") from None
        if not result.created:
            self.stderr.write(f"already ingested as article {result.article.pk}; nothing written")
        self.stdout.write(str(result.article.pk))
