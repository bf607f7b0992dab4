from __future__ import annotations

import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand
from django.db import transaction

from verify.models import Source, SourceAlias
from verify.registry_sync import sync_registry
from verify.services.articles import article_ingest, article_reextract

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_ARTICLES = [
    {
        "file": "article-hi-kim-putin.txt",
        "title": "पुतिन ने किम जोंग-उन को राइफल भेंट की",
        "lang": "hi",
    },
]
# username -> (group, is staff/superuser)
DEMO_USERS = {
    "editor": ("editors", False),
    "reviewer": ("reviewers", False),
    "viewer": ("viewers", False),
    "admin": (None, True),
}


class Command(BaseCommand):
    help = (
        "Load the demo: users editor, reviewer, viewer and admin, and the seed Hindi article with "
        "its claims. Safe to run again. Passwords are generated on first run, kept in "
        "var/demo-credentials.json (git-ignored) and printed as 'Demo login: username=… password=…'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--credentials",
            type=Path,
            default=None,
            help="file that keeps the generated passwords (default: var/demo-credentials.json)",
        )

    def handle(self, *args, **options):
        path = options["credentials"] or Path(settings.VAR_DIR) / "demo-credentials.json"
        # A checkout updated since its database was made may have a larger registry file.
        sync_registry(Source, SourceAlias)
        passwords = self._passwords(path)
        with transaction.atomic():
            users = {name: self._user(name, passwords[name]) for name in DEMO_USERS}
        for spec in DEMO_ARTICLES:
            text = (DEMO_DIR / spec["file"]).read_text(encoding="utf-8")
            result = article_ingest(text=text, title=spec["title"], by=users["editor"], language=spec["lang"])
            state = "loaded"
            if not result.created:
                # Bring an older demo up to the current extractor; reviewers' work is kept.
                article_reextract(article=result.article)
                state = "already there, claims re-extracted"
            self.stdout.write(
                f"Demo article {result.article.pk} ({state}): {result.article.title} — "
                f"{result.article.claims.count()} claims"
            )
        for name in DEMO_USERS:
            self.stdout.write(f"Demo login: username={name} password={passwords[name]}")

    def _passwords(self, path: Path) -> dict[str, str]:
        known = json.loads(path.read_text()) if path.exists() else {}
        wanted = {name: known.get(name) or secrets.token_urlsafe(12) for name in DEMO_USERS}
        if wanted != known:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(json.dumps(wanted, indent=1))
        return wanted

    def _user(self, name: str, password: str):
        group, staff = DEMO_USERS[name]
        user, _ = get_user_model().objects.get_or_create(username=name)
        user.is_staff = user.is_superuser = staff
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        if group:
            user.groups.set([Group.objects.get(name=group)])
        return user
