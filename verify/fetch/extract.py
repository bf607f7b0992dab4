"""The page-text step of a fetch in a child process, ended after the policy's time limit.

trafilatura's time grows faster than the page, and it runs in a worker *thread* (the Celery
worker's threads pool): a thread cannot be stopped from outside, and Celery's hard time limit
does not apply to that pool. So :func:`page_text` hands the page to a child process and kills it
if no answer comes within ``policy.extract_timeout`` seconds; :func:`~verify.fetch.pagetext.
extract_page` inside it keeps the HTML the extractor sees under ``policy.max_extract_bytes``.

The children come from multiprocessing's *forkserver*: a clean process started once (not a fork
of the threaded worker, whose locks other threads may hold at the moment of a fork), with this
package and trafilatura already imported, that forks one child per page. A child costs a few
milliseconds (about 20 ms, measured in tests/test_fetch_extract.py); its memory (100-150 MB for
a page at the size limit) goes back to the system when it ends, so a large page's parse trees
do not stay in the worker.

As with every forkserver or spawn child, the child imports the parent's main module (as
``__mp_main__``): an entry script must keep its work under ``if __name__ == "__main__":``, as
celery's, gunicorn's, ``manage.py``, pytest's and the scripts of ``bench/`` do.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection

from verify.fetch.pagetext import PageText, extract_page
from verify.fetch.policy import FetchPolicy

logger = logging.getLogger(__name__)

_CONTEXT = multiprocessing.get_context("forkserver")
# Imported once by the fork server, so each child starts with trafilatura and lxml loaded.
_CONTEXT.set_forkserver_preload(["verify.fetch.pagetext"])
# Starting a process reaps finished children of *every* thread (multiprocessing's _cleanup polls
# their sentinels), and closing one frees its sentinel's file descriptor: one at a time, so a
# thread never polls a descriptor another just closed (and the system may have handed out again).
_PROCESS_TABLE = threading.Lock()


class ExtractionError(Exception):
    """The page's text could not be had within the limits; the message says which and why."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


def _child(answer: Connection, html: str, base_url: str, max_bytes: int) -> None:
    """Runs in the child: extract, send back the PageText (or the error), end."""
    try:
        answer.send(("ok", extract_page(html, base_url, max_bytes=max_bytes)))
    except Exception as exc:
        answer.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        answer.close()


def page_text(html: str, base_url: str, *, policy: FetchPolicy) -> PageText:
    """:func:`~verify.fetch.pagetext.extract_page` in a child process, within
    ``policy.extract_timeout`` seconds. Raises :class:`ExtractionError` when the child gives no
    answer in time (it is killed), ends without one, or cannot be started."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(
        target=_child,
        args=(sender, html, base_url, policy.max_extract_bytes),
        name="verify-page-text",
        daemon=True,
    )
    answered = False
    try:
        try:
            with _PROCESS_TABLE:
                child.start()
        except OSError as exc:
            raise ExtractionError(f"could not start the text extractor: {exc}", retryable=True) from exc
        sender.close()
        if not receiver.poll(policy.extract_timeout):
            raise ExtractionError(
                f"the page's text could not be extracted within {policy.extract_timeout:g} s "
                "(the extraction time limit): the page is too large or too complex"
            )
        try:
            status, value = receiver.recv()
            answered = True
        except EOFError:
            child.join(1)
            raise ExtractionError(
                f"the text extractor ended without an answer (exit code {child.exitcode})", retryable=True
            ) from None
    finally:
        receiver.close()
        sender.close()
        _end(child, wait=1.0 if answered else 0.0)
    if status != "ok":
        raise ExtractionError(f"the text extractor failed: {value}")
    return value


def _end(child: multiprocessing.process.BaseProcess, *, wait: float) -> None:
    """Make sure the child is gone and reaped: one that answered gets ``wait`` seconds to end
    by itself, any other is killed at once."""
    if child.pid is None:  # never started
        return
    child.join(wait)
    if child.is_alive():
        child.kill()
        child.join(5)
    if child.exitcode is not None:
        with _PROCESS_TABLE:
            child.close()
    else:
        logger.error("text extractor %s did not end after SIGKILL", child.pid)
