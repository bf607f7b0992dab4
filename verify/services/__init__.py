"""Operations that span models or leave the process, one module per sub-domain:

- :mod:`~verify.services.articles` — the one text check, ingest, re-extraction;
- :mod:`~verify.services.review` — verdicts and editors' corrections;
- :mod:`~verify.services.links` — evidence links, fetch leases, host slots, drift;
- :mod:`~verify.services.url_ingest` — articles fetched by URL;
- :mod:`~verify.services.registry` — the source registry as the extractor sees it, merges.

Views, tasks, admin actions and management commands call these and hold no business logic.
Services import models, extraction, evidence and fetch; never views, forms or Celery (callers
enqueue follow-up work through :func:`verify.tasks.queue`).
"""
