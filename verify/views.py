"""Function views; htmx partials come from the page templates (``template#partial``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from verify.models import Article


@require_GET
@permission_required("verify.view_article", raise_exception=True)
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.with_progress().select_related("ingested_by").order_by("-ingested_at", "-id")
    query = request.GET.get("q", "").strip()
    if query:
        articles = articles.filter(Q(title__icontains=query) | Q(body__icontains=query))
    page = Paginator(articles, 25).get_page(request.GET.get("page"))
    return render(request, "verify/article_list.html", {"page": page, "query": query})


@require_GET
@permission_required("verify.view_article", raise_exception=True)
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    claims = article.claims.select_related("speaker", "outlet", "inherited_from")
    return render(
        request,
        "verify/article_detail.html",
        {"article": article, "claims": claims, "progress": article.progress()},
    )


@require_GET
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and `make run`: the process answers and the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
