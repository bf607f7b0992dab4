"""WSGI applications that bench/verdicts.py serves with gunicorn (``--pythonpath bench``).

Not a benchmark (``make bench`` runs it as a script too: it then only says so). Two factories,
so each gunicorn run configures Django for its own app only:

- ``verify_app()``: verify exactly as ``verify.wsgi`` serves it, except plain static-file
  storage. With DEBUG off the settings want collectstatic's manifest, which a throwaway run does
  not have, and the login page links the stylesheet; serving static files is not measured.
- ``bare_app()``: the yardstick for the verdict POST. One path, ``/bare/row/<claim id>/``, whose
  view loads the claim as the verdict view's response does (same ``select_related`` and
  prefetched links) and renders ``verify/article_detail.html#claim-row`` with a reviewer's
  permissions (so the verdict form is in it, as in a real row). No middleware, no session, no
  login, no write: what is left is the least any "render a row" response can cost. The
  reviewer is the user named by ``BENCH_BARE_USER``, loaded once per worker process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

_reviewer = None


def _setup():
    import django
    from _common import use_plain_static_storage

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verify.settings")
    django.setup(set_prefix=False)
    use_plain_static_storage()


def verify_app():
    """The real application (verify.wsgi), for the verdict POSTs."""
    _setup()
    from django.core.handlers.wsgi import WSGIHandler

    return WSGIHandler()


def row_view(request, pk: int):
    from django.contrib.auth import get_user_model
    from django.shortcuts import render

    from verify.models import Claim

    global _reviewer
    if _reviewer is None:
        _reviewer = get_user_model().objects.get(username=os.environ["BENCH_BARE_USER"])
    request.user = _reviewer
    claim = (
        Claim.objects.select_related(
            "article", "speaker", "outlet", "inherited_from", "updated_by", "corrected_by"
        )
        .prefetch_related("links")
        .get(pk=pk)
    )
    return render(request, "verify/article_detail.html#claim-row", {"claim": claim, "article": claim.article})


class _BareUrls:
    """The URLconf of ``bare_app``: the one route, then verify's own, which the row's
    ``{% url %}`` tags reverse (never requested here)."""

    @property
    def urlpatterns(self) -> list:
        from django.urls import path

        import verify.urls

        return [path("bare/row/<int:pk>/", row_view), *verify.urls.urlpatterns]


def bare_app():
    """A Django handler with no middleware and a single route (see the module docstring)."""
    _setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    settings.MIDDLEWARE = []
    settings.ROOT_URLCONF = _BareUrls()
    return WSGIHandler()


if __name__ == "__main__":
    print("bench/_bare_wsgi.py holds the WSGI apps bench/verdicts.py serves; it is not a benchmark.")
