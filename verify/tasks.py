"""Celery tasks: take primary keys, load the row, call the service."""

from __future__ import annotations

from celery import shared_task

from verify import services
from verify.models import Article


@shared_task(acks_late=True)
def reextract_article(article_pk: int) -> int:
    """Re-run claim extraction over a stored article, keeping reviewers' work."""
    article = Article.objects.filter(pk=article_pk).first()
    if article is None:  # deleted since it was queued: nothing to do
        return 0
    return services.article_reextract(article=article)
