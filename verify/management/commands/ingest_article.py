"""manage.py ingest_article: one article from a file, or many at once (--dir, --jsonl).

Bulk mode exists for newsrooms that bring an archive: a folder of text files or a JSON-lines
export from another system. Each article is ingested on its own (its own transaction), so one
bad item never loses the others; the summary says what became of every item, and the exit code
is non-zero only when nothing could be ingested, so a re-run over an archive already loaded
(everything "already there") still succeeds.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import regex
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError

from verify.management.commands._common import read_article_file
from verify.services.articles import ArticleRejected, article_ingest, check_article_text, decode_article_bytes
from verify.services.registry import SourceContext
from verify.services.urls import UrlRefused, check_url

LANGUAGES = ("hi", "en")
REFUSALS_LISTED = 50  # refused items named one by one in the summary; the rest are counted
# What a JSON string may not hold: a lone surrogate ("\ud800" is valid JSON but no character, and
# cannot be stored as UTF-8) or, in a title or language, a control character (NUL included).
_SURROGATE = regex.compile(r"\p{Cs}")
_CONTROL = regex.compile(r"\p{Cc}")


@dataclass(frozen=True, slots=True)
class Item:
    """One article of a bulk run, or why it cannot be one (``refused``)."""

    name: str  # "file.txt" or "file.jsonl:12", as the summary names it
    text: str = ""
    title: str = ""
    url: str = ""
    lang: str | None = None
    refused: str = ""


@dataclass
class Tally:
    ingested: int = 0
    already: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (item name, reason)


class Progress:
    """A hand-written counter on stderr: rewritten in place on a terminal (at most ten times a
    second), a plain line every tenth of the way otherwise, so logs stay readable."""

    def __init__(self, stream, total: int, enabled: bool) -> None:
        self.stream, self.total, self.enabled = stream, total, enabled
        self.tty = enabled and stream.isatty()
        self.start = self.last = time.monotonic()
        self.step = max(1, total // 10)

    def update(self, done: int, tally: Tally) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        final = done == self.total
        rate = done / (now - self.start) if now > self.start else 0.0
        line = (
            f"{done}/{self.total} articles ({rate:.1f}/s): {tally.ingested} ingested, "
            f"{tally.already} already there, {len(tally.refused)} refused"
        )
        if self.tty:
            if final or now - self.last >= 0.1:
                self.stream.write(f"\r{line}\x1b[K", ending="\n" if final else "")
                self.stream.flush()
                self.last = now
        elif final or done % self.step == 0:
            self.stream.write(line)
            self.stream.flush()


def _not_text(key: str, value: str) -> str:
    """Why a string of a JSON line cannot be stored ("" when it can): a lone surrogate anywhere,
    a control character in a title or language (the text has its own check, the URL its own)."""
    if found := _SURROGATE.search(value):
        return f'"{key}" holds a lone surrogate ({found[0].encode("unicode_escape").decode()}), which is no character'
    if key in ("title", "lang") and (found := _CONTROL.search(value)):
        return f'"{key}" holds a control character (U+{ord(found[0]):04X})'
    return ""


def _count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip())


def items_from_dir(folder: Path) -> tuple[int, Iterator[Item]]:
    """Every *.txt file directly in ``folder``, in name order; the title is the file name."""
    if not folder.is_dir():
        raise CommandError(f"{folder}: no such folder")
    paths = sorted(p for p in folder.glob("*.txt") if p.is_file())

    def items() -> Iterator[Item]:
        for path in paths:
            title = path.stem.replace("_", " ").strip() or path.name
            try:
                data = path.read_bytes()
                text = check_article_text(decode_article_bytes(data, name=path.name))
            except OSError as exc:
                yield Item(path.name, refused=f"cannot read it ({exc.strerror})")
            except ArticleRejected as exc:
                yield Item(path.name, refused=str(exc))
            else:
                yield Item(path.name, text=text, title=title)

    return len(paths), items()


def items_from_jsonl(path: Path) -> tuple[int, Iterator[Item]]:
    """One JSON object a line: {"text", "title"?, "url"?, "lang"?}; blank lines are skipped and
    other keys ignored (exports carry ids and dates of their own)."""
    try:
        total = _count_lines(path)
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a directory; use --dir for a folder of .txt files") from None
    except OSError as exc:
        raise CommandError(f"{path}: cannot read it ({exc.strerror})") from None

    def items() -> Iterator[Item]:
        with path.open("rb") as f:
            for number, raw in enumerate(f, start=1):
                if not raw.strip():
                    continue
                name = f"{path.name}:{number}"
                yield _jsonl_item(name, raw)

    return total, items()


def _jsonl_item(name: str, raw: bytes) -> Item:
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        return Item(name, refused="not UTF-8 text")
    except ValueError as exc:
        return Item(name, refused=f"not JSON ({exc.args[0] if exc.args else exc})")
    except RecursionError:
        return Item(name, refused="not an article: its JSON is nested too deeply to read")
    if not isinstance(data, dict):
        return Item(name, refused="not a JSON object")
    text, title, url, lang = (data.get(k) for k in ("text", "title", "url", "lang"))
    if not isinstance(text, str):
        return Item(name, refused='no "text" string')
    for key, value in (("text", text), ("title", title), ("url", url), ("lang", lang)):
        if value is not None and not isinstance(value, str):
            return Item(name, refused=f'"{key}" is not a string')
        if value and (reason := _not_text(key, value)):
            return Item(name, refused=reason)
    if lang and lang not in LANGUAGES:
        return Item(name, refused=f'"lang" is {lang!r}; use one of {", ".join(LANGUAGES)}')
    try:
        url = check_url(url or "")
    except UrlRefused as exc:
        return Item(name, refused=f'"url": {exc}')
    try:
        text = check_article_text(text)
    except ArticleRejected as exc:
        return Item(name, refused=str(exc))
    return Item(name, text=text, title=title or "", url=url, lang=lang or None)


class Command(BaseCommand):
    help = (
        "Ingest an article from a UTF-8 text file (or - for standard input): store it with its "
        "extracted claims and print the article id. The same text ingested again prints the "
        "existing article's id and writes nothing. With --dir or --jsonl, ingest many articles: "
        "progress on stderr, a summary (ingested / already there / refused, with reasons) on "
        "stdout, and a non-zero exit only when nothing could be ingested."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="UTF-8 text file, or - to read standard input")
        parser.add_argument(
            "--dir", type=Path, help="ingest every *.txt file in this folder (title: the file name)"
        )
        parser.add_argument(
            "--jsonl",
            type=Path,
            help='ingest one article per line of this file: {"text", "title"?, "url"?, "lang"?}',
        )
        parser.add_argument("--title", default="", help="title (default: the first claim, shortened)")
        parser.add_argument("--url", default="", help="where the article was published")
        parser.add_argument(
            "--lang", choices=LANGUAGES, help="language (default: detected; in bulk, for items without one)"
        )
        parser.add_argument("--published", type=dt.date.fromisoformat, help="publication date, YYYY-MM-DD")
        parser.add_argument("--by", help="username recorded as the one who ingested it")

    def handle(self, *args, **options):
        sources = [k for k in ("path", "dir", "jsonl") if options[k] is not None]
        if len(sources) != 1:
            raise CommandError("give one of: a file (or -), --dir FOLDER, --jsonl FILE")
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"--by {options['by']}: no such user")
        if options["path"] is not None:
            self._single(options, by)
            return
        for flag in ("title", "url"):
            if options[flag]:
                raise CommandError(f"--{flag} is for one article; in bulk it comes from each item")
        if options["dir"] is not None:
            total, items = items_from_dir(options["dir"])
        else:
            total, items = items_from_jsonl(options["jsonl"])
        self._bulk(total, items, options, by)

    def _single(self, options, by) -> None:
        try:
            url = check_url(options["url"])
        except UrlRefused as exc:
            raise CommandError(f"--url: {exc}") from None
        text = read_article_file(options["path"])
        try:
            result = article_ingest(
                text=text,
                title=options["title"],
                by=by,
                language=options["lang"],
                source_url=url,
                published_on=options["published"],
            )
        except ArticleRejected as exc:
            raise CommandError(f"{options['path']}: {exc}") from None
        if not result.created:
            self.stderr.write(f"already ingested as article {result.article.pk}; nothing written")
        self.stdout.write(str(result.article.pk))

    def _bulk(self, total: int, items: Iterator[Item], options, by) -> None:
        tally = Tally()
        progress = Progress(self.stderr, total, enabled=options["verbosity"] > 0)
        sources = SourceContext()  # the registry, read once for the whole run
        done = 0
        for item in items:
            if item.refused:
                tally.refused.append((item.name, item.refused))
            else:
                try:
                    result = article_ingest(
                        text=item.text,
                        title=item.title,
                        by=by,
                        language=item.lang or options["lang"],
                        source_url=item.url,
                        published_on=options["published"],
                        sources=sources,
                    )
                except ArticleRejected as exc:
                    tally.refused.append((item.name, str(exc)))
                except DatabaseError as exc:  # one item's failure never stops the run
                    why = str(exc).strip().split("\n", 1)[0]
                    tally.refused.append(
                        (item.name, f"the database refused it ({type(exc).__name__}: {why})")
                    )
                else:
                    if result.created:
                        tally.ingested += 1
                    else:
                        tally.already += 1
            done += 1
            progress.update(done, tally)
        if done < total:  # lines that vanished while we read: keep the counter honest
            progress.total = done
            progress.update(done, tally)
        self._summary(tally)
        if not tally.ingested and not tally.already:
            raise CommandError(
                "nothing could be ingested" + (": no items found" if not done else f" ({done} refused)")
            )

    def _summary(self, tally: Tally) -> None:
        self.stdout.write(
            f"ingested {tally.ingested}, already there {tally.already}, refused {len(tally.refused)}"
        )
        for name, reason in tally.refused[:REFUSALS_LISTED]:
            self.stdout.write(f"refused {name}: {reason}")
        if len(tally.refused) > REFUSALS_LISTED:
            rest = Counter(reason.split(";")[0] for _, reason in tally.refused[REFUSALS_LISTED:])
            self.stdout.write(f"… and {len(tally.refused) - REFUSALS_LISTED} more refused:")
            for reason, n in rest.most_common():
                self.stdout.write(f"  {n} × {reason}")
