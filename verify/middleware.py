"""Small middleware of our own."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import render


class ContentSecurityPolicyMiddleware:
    """Send settings.CONTENT_SECURITY_POLICY on every response that has none yet."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


def too_big_response(request) -> HttpResponse:
    """The 413 page for a request over Django's size cap: it names the article limit."""
    return render(request, "verify/too_big.html", {"limit": settings.VERIFY_MAX_ARTICLE_CHARS}, status=413)


class RequestTooBigMiddleware:
    """Answer a POST over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with the 413 page, in every mode.

    Django raises ``RequestDataTooBig`` when the body is first read (by the CSRF check, before
    any view) and answers with ``handler400`` — but with DEBUG on (``make run``) with its
    technical page instead. Reading the form here, before the CSRF check, under the same caps,
    lets this one place answer; the body is parsed once either way (the views reuse it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 -- parses the body now, under Django's caps
            except RequestDataTooBig:
                return too_big_response(request)
        return self.get_response(request)
