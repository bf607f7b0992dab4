"""Template helpers for the review screens (registered as a builtin: no {% load %} needed)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()

STATUSES = ("corroborated", "disputed", "unverifiable", "unreviewed")
ICONS = {"corroborated": "✓", "disputed": "✗", "unverifiable": "?", "unreviewed": "○"}


@register.inclusion_tag("verify/_progress.html")
def progress_bar(counts) -> dict:
    """A stacked bar of claim counts per status; ``counts`` is a dict or an article annotated by
    ``Article.objects.with_progress()``. SVG geometry, not inline styles, so the strict
    Content-Security-Policy holds."""
    if not isinstance(counts, dict):
        counts = {s: getattr(counts, f"n_{s}", 0) for s in STATUSES}
    total = sum(counts.get(s, 0) for s in STATUSES)
    parts, x = [], 0.0
    for status in STATUSES:
        n = counts.get(status, 0)
        width = 100.0 * n / total if total else 0.0
        parts.append(
            {"status": status, "n": n, "x": f"{x:.3f}", "width": f"{width:.3f}", "icon": ICONS[status]}
        )
        x += width
    label = _("%(c)d corroborated, %(d)d disputed, %(u)d unverifiable, %(o)d unreviewed") % {
        "c": counts.get("corroborated", 0),
        "d": counts.get("disputed", 0),
        "u": counts.get("unverifiable", 0),
        "o": counts.get("unreviewed", 0),
    }
    return {"parts": parts, "total": total, "label": label}


@register.filter
def status_icon(status: str) -> str:
    return ICONS.get(status, "")
