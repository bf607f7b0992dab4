from __future__ import annotations

from django.core.management import BaseCommand

from verify.models import Source, SourceAlias
from verify.registry_sync import sync_registry


class Command(BaseCommand):
    help = (
        "Add the outlets, speakers and aliases of verify/extraction/data/sources.json that the "
        "database's source registry lacks. Never removes or changes what admins edited."
    )

    def handle(self, *args, **options):
        sources, aliases = sync_registry(Source, SourceAlias)
        self.stdout.write(f"Registry: {sources} sources and {aliases} aliases added.")
