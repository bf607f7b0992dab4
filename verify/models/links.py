"""Reference links and their fetches, per-host slots, articles ingested by URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .articles import Article, Claim


def _fetch_states(name: str, done: tuple[str, tuple[str, str]]) -> type[models.TextChoices]:
    """The states of work a worker fetches: pending, fetching, then done (named by ``done``),
    failed or refused. Links and URL ingests go through the same ones."""
    return models.TextChoices(
        name,
        [
            ("PENDING", ("pending", _("Pending"))),
            ("FETCHING", ("fetching", _("Fetching"))),
            done,
            ("FAILED", ("failed", _("Failed"))),
            ("REFUSED", ("refused", _("Refused"))),
        ],
    )


LinkState = _fetch_states("LinkState", ("FETCHED", ("fetched", _("Fetched"))))


class ReferenceLink(models.Model):
    """A URL attached to a claim (or to the whole article) and what fetching it found."""

    State = LinkState

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="links")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="links")
    url = models.URLField(max_length=2000)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=1000, blank=True)
    text = models.TextField(blank=True)
    text_sha256 = models.CharField(max_length=64, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    is_original = models.BooleanField(
        default=False, help_text="The reviewer marked this link as where the claim first appeared."
    )
    truncated = models.BooleanField(default=False, help_text="The page was cut at the size limit.")
    headers = models.JSONField(default=dict, blank=True, help_text="Response headers of interest.")
    # A worker holds the link while fetching; a lease older than the fetch timeout is taken over
    # (a worker killed mid-fetch must not leave the link stuck in "fetching").
    lease_until = models.DateTimeField(null=True, blank=True)
    # Link rot and drift: what the page said when the claim was judged, and whether it changed.
    baseline_sha256 = models.CharField(max_length=64, blank=True)
    baseline_text = models.TextField(blank=True)
    drifted_at = models.DateTimeField(
        null=True, blank=True, help_text="When a re-fetch found the page changed or gone since the verdict."
    )

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "url"], condition=Q(claim__isnull=False), name="link_unique_per_claim"
            ),
            models.UniqueConstraint(
                fields=["article", "url"], condition=Q(claim__isnull=True), name="link_unique_per_article"
            ),
            models.CheckConstraint(
                condition=Q(state__in=LinkState.values),
                name="link_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["state"], name="link_state_idx")]

    def __str__(self) -> str:
        return self.url

    @property
    def busy(self) -> bool:
        """Still on its way: the claim row keeps polling while any link is busy."""
        return self.state in {self.State.PENDING, self.State.FETCHING}

    @property
    def drifted(self) -> bool:
        return self.drifted_at is not None

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


class HostSlot(models.Model):
    """One concurrent request to a host: at most settings.VERIFY_FETCH_PER_HOST rows per host
    exist at a time, across every worker process and machine (the database is shared)."""

    host = models.CharField(max_length=255, db_index=True)
    link = models.OneToOneField(ReferenceLink, on_delete=models.CASCADE, related_name="host_slot")
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.host} ← {self.link_id}"


UrlIngestState = _fetch_states("UrlIngestState", ("DONE", ("done", _("Done"))))


class UrlIngest(models.Model):
    """An editor's request to ingest an article from a URL; a worker fetches it."""

    State = UrlIngestState

    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=8, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=UrlIngestState.values),
                name="urlingest_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("verify:url_ingest", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED, self.State.REFUSED}
