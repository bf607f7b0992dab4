"""verify: a claim-and-source verification workbench for newsrooms."""

from verify.celery import app as celery_app

__all__ = ["celery_app"]
