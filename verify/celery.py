"""The Celery app: configured from Django settings (CELERY_* names), tasks in verify/tasks.py."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verify.settings")

app = Celery("verify")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders() -> None:
    """The filesystem transport needs its folders to exist before anyone publishes or consumes."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder", "processed_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_finalize.connect
def _make_broker_folders(sender: Celery, **kwargs) -> None:
    ensure_broker_folders()


@worker_ready.connect
def _prune_processed_messages(sender, **kwargs) -> None:
    """Processed messages of the embedded broker are kept until a later worker start.

    A file is taken by renaming it into the processed folder and read right after; only files
    renamed there more than ten minutes ago (ctime) are certainly read, so only those go.
    """
    folder = (app.conf.broker_transport_options or {}).get("processed_folder")
    if folder:
        cutoff = time.time() - 600
        for path in Path(folder).glob("*.msg"):
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_ctime < cutoff:
                    path.unlink()
