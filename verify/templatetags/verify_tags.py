"""Template helpers for the review screens (registered as a builtin: no {% load %} needed)."""

from __future__ import annotations

import functools

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from verify.models import ClaimStatus
from verify.services.urls import publishable_url

register = template.Library()

# Display order: the verdicts, then what is still open.
STATUSES = (ClaimStatus.CORROBORATED, ClaimStatus.DISPUTED, ClaimStatus.UNVERIFIABLE, ClaimStatus.UNREVIEWED)
ICONS = dict(zip(STATUSES, ("✓", "✗", "?", "○"), strict=True))


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
        "c": counts.get(ClaimStatus.CORROBORATED, 0),
        "d": counts.get(ClaimStatus.DISPUTED, 0),
        "u": counts.get(ClaimStatus.UNVERIFIABLE, 0),
        "o": counts.get(ClaimStatus.UNREVIEWED, 0),
    }
    return {"parts": parts, "total": total, "label": label}


@register.filter
def status_icon(status: str) -> str:
    return ICONS.get(status, "")


@register.inclusion_tag("verify/_month_chart.html")
def month_chart(timeline) -> dict:
    """Stacked monthly bars of claims per status, drawn as SVG (no script, no inline style).
    ``timeline`` is ``[(first day of month, {status: count}), …]`` as ``Claim.objects.track_record()`` gives."""
    height, bar, gap = 100.0, 16.0, 6.0
    peak = max((sum(counts.values()) for _, counts in timeline), default=0) or 1
    columns = []
    for i, (month, counts) in enumerate(timeline):
        x, y, stack = i * (bar + gap), height, []
        for status in STATUSES:
            h = height * counts.get(status, 0) / peak
            y -= h
            stack.append({"status": status, "n": counts.get(status, 0), "y": f"{y:.2f}", "h": f"{h:.2f}"})
        columns.append({"month": month, "x": f"{x:.1f}", "stack": stack, "total": sum(counts.values())})
    return {
        "columns": columns,
        "width": len(timeline) * (bar + gap),
        "height": height,
        "bar": bar,
        "peak": peak,
    }


@register.filter
def links_busy(claim) -> bool:
    """Any of the claim's links still pending or being fetched (uses prefetched links)."""
    return any(link.busy for link in claim.links.all())


@register.filter
def links_drifted(claim) -> bool:
    """Any of the claim's evidence pages changed or vanished since the verdict."""
    return any(link.drifted for link in claim.links.all())


@functools.cache
def _route(name: str) -> tuple[str, str]:
    sentinel = "987654321"
    before, after = reverse(name, args=[sentinel]).split(sentinel)
    return before, after


@register.filter
def path(pk, name: str) -> str:
    """``{{ claim.pk|path:"verify:claim_verdict" }}``: the same as ``{% url name pk %}`` for a
    route with one id, without resolving the route again for each of hundreds of rows."""
    before, after = _route(name)
    return f"{before}{pk}{after}"


@register.filter
def safe_href(url: str) -> str:
    """The URL if verify would store it today (http(s), no control characters: the one URL rule of
    :mod:`verify.services.urls`), else "" (then render no link): a ``javascript:`` URL written by
    other means never becomes clickable."""
    return publishable_url(str(url) if url is not None else "")
