"""verify: a claim-and-source verification workbench for newsrooms.

The package itself imports nothing, so its pure libraries (``verify.text``, ``verify.extraction``,
``verify.evidence``, ``verify.fetch``) load without Django or Celery. The Celery app is set up by
``verify.apps`` when Django starts, and found by ``celery -A verify`` in ``verify.celery``.
"""
