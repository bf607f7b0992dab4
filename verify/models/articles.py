"""Articles, the claims extracted from them and their verdicts.

Rules about one row are database constraints; the rule that spans two tables (a claim's text is
exactly ``article.body[start:end]``) is a trigger installed by migration 0002, so no code path —
ORM, bulk insert or raw SQL — can store a claim that points at the wrong text.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .sources import Source


class ReviewProgress(models.TextChoices):
    """Where an article's review stands (the article list's and the admin's progress filter)."""

    UNREVIEWED = "unreviewed", _("unreviewed")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


def _claim_count(**lookups) -> Subquery:
    """How many of the outer article's counted claims match ``lookups``: COUNT as a Func, not an
    aggregate, so there is no GROUP BY even inside; one row always, 0 when none match."""
    claims = Claim.objects.filter(article=OuterRef("pk"), excluded=False, **lookups).order_by()
    return Subquery(claims.annotate(n=Func("pk", function="COUNT")).values("n"), models.IntegerField())


class ArticleQuerySet(models.QuerySet):
    def with_progress(self) -> ArticleQuerySet:
        """Annotate claim counts, ``n_claims`` and ``n_<status>``, not counting "not a claim" (one
        query for a list page), each a subquery: a Count over a join grouped by every article
        column, so each claim row was sorted with its article's body (issue #11)."""
        per_status = {f"n_{status}": _claim_count(status=status) for status in ClaimStatus.values}
        return self.annotate(n_claims=_claim_count(), **per_status)

    def with_state(self, state: str) -> ArticleQuerySet:
        """Articles whose review is at ``state`` (a :class:`ReviewProgress` value), counting the
        claims not marked "not a claim": none reviewed yet, some, or all. An article without
        claims is in no state. Adds :meth:`with_progress`'s counts when they are missing."""
        articles = self if "n_claims" in self.query.annotations else self.with_progress()
        rules = {
            ReviewProgress.UNREVIEWED: Q(n_claims__gt=0, n_unreviewed=F("n_claims")),
            ReviewProgress.IN_PROGRESS: Q(n_unreviewed__gt=0, n_unreviewed__lt=F("n_claims")),
            ReviewProgress.DONE: Q(n_claims__gt=0, n_unreviewed=0),
        }
        return articles.filter(rules[ReviewProgress(state)])


class ArticleLanguage(models.TextChoices):
    HINDI = "hi", _("Hindi")
    ENGLISH = "en", _("English")


class Article(models.Model):
    """A news story as ingested: its NFC body is what every claim offset refers to."""

    Language = ArticleLanguage

    title = models.CharField(max_length=500)
    body = models.TextField(help_text="NFC-normalised text; claim offsets refer to it.")
    language = models.CharField(max_length=8, choices=Language.choices)
    source_url = models.URLField(max_length=2000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ingested_articles",
    )
    ingested_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Lines the extractor dropped as boilerplate: [{"start", "end", "reason"}], offsets into body.
    removed = models.JSONField(default=list, blank=True, editable=False)
    # The agency that carried the story, from its dateline ("नई दिल्ली, 5 मार्च (भाषा)", "MOSCOW
    # (Reuters) -"): an outlet of the registry; claims in the article's own voice come "via" it.
    wire_credit = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="credited_articles"
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-ingested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
            models.CheckConstraint(
                condition=Q(language__in=ArticleLanguage.values), name="article_language_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("verify:article_detail", args=[self.pk])

    def body_segments(self, claims) -> list[dict]:
        """The body cut into consecutive pieces for display: plain text, a claim's span (with the
        claim) or a removed boilerplate line (with the reason). Joined, the pieces are the body."""
        marks = [(c.start, c.end, {"claim": c}) for c in claims]
        marks += [(r["start"], r["end"], {"removed": r["reason"]}) for r in self.removed]
        marks.sort(key=lambda m: (m[0], m[1]))
        pieces, pos = [], 0
        for start, end, what in marks:
            if start < pos:  # overlapping spans (an editor's merge over a removed line): skip
                continue
            if start > pos:
                pieces.append({"text": self.body[pos:start]})
            pieces.append({"text": self.body[start:end], **what})
            pos = end
        if pos < len(self.body):
            pieces.append({"text": self.body[pos:]})
        return pieces

    def progress(self) -> dict[str, int]:
        """Claim counts per status, e.g. {"unreviewed": 12, "corroborated": 3, …}."""
        counts = dict.fromkeys(Claim.Status.values, 0)
        for row in self.claims.filter(excluded=False).values("status").annotate(n=Count("id")):
            counts[row["status"]] = row["n"]
        return counts


class ClaimQuerySet(models.QuerySet):
    def attributed_to(self, source: Source) -> ClaimQuerySet:
        """Claims the source spoke or carried (as speaker or outlet), not marked "not a claim"."""
        return self.filter(Q(speaker=source) | Q(outlet=source), excluded=False)

    def track_record(self, source: Source, *, months: int = 12) -> dict:
        """``source``'s track record: claim counts per status, per month over the last
        ``months`` months (by the article's ingest date), in two queries."""
        claims = self.attributed_to(source)
        totals = dict.fromkeys(Claim.Status.values, 0)
        for row in claims.values("status").annotate(n=Count("id")):
            totals[row["status"]] = row["n"]
        now = timezone.localtime()
        year, month = divmod(now.year * 12 + now.month - 1 - (months - 1), 12)
        start = now.replace(year=year, month=month + 1, day=1, hour=0, minute=0, second=0, microsecond=0)
        per_month: dict[dt.date, dict[str, int]] = {}
        rows = (
            claims.filter(article__ingested_at__gte=start)
            .annotate(month=TruncMonth("article__ingested_at"))
            .values("month", "status")
            .annotate(n=Count("id"))
        )
        for row in rows:
            month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
            per_month.setdefault(month, dict.fromkeys(Claim.Status.values, 0))[row["status"]] = row["n"]
        timeline, cursor = [], start.date()
        for _i in range(months):
            timeline.append((cursor, per_month.get(cursor, dict.fromkeys(Claim.Status.values, 0))))
            cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
        return {"totals": totals, "total": sum(totals.values()), "timeline": timeline}

    def carried_as_wire_credit(self, source: Source) -> ClaimQuerySet:
        """Claims in the own voice of the articles ``source`` is the wire credit of ("नई दिल्ली,
        5 मार्च (भाषा)"): the agency carried them without being named in the sentence. (Own
        voice without an outlet, as the article list's outlet mix counts it; not counted by
        :meth:`attributed_to`.)"""
        return self.filter(OWN_VOICE, article__wire_credit=source, excluded=False)

    def wire_record(self, source: Source) -> dict:
        """Claim counts per status of :meth:`carried_as_wire_credit`, and their total: one query."""
        totals = dict.fromkeys(Claim.Status.values, 0)
        for row in self.carried_as_wire_credit(source).values("status").annotate(n=Count("id")):
            totals[row["status"]] = row["n"]
        return {"totals": totals, "total": sum(totals.values())}

    def unreviewed(self) -> ClaimQuerySet:
        return self.filter(status=Claim.Status.UNREVIEWED)

    def reviewed(self) -> ClaimQuerySet:
        return self.exclude(status=Claim.Status.UNREVIEWED)

    def with_latest_verdict(self) -> ClaimQuerySet:
        """Annotate the fields of each claim's latest verdict: ``latest_id``, ``latest_note``,
        ``latest_reviewer_id``, ``latest_reviewer`` (username), ``latest_at`` and
        ``latest_evidence``, None without a verdict. One correlated subquery each, so a whole
        list of claims is one query; a queryset that has them already is returned as it is."""
        if "latest_at" in self.query.annotations:
            return self
        latest = Verdict.objects.filter(claim=models.OuterRef("pk")).order_by("-created_at", "-id")

        def field(name: str, **kwargs) -> models.Subquery:
            return models.Subquery(latest.values(name)[:1], **kwargs)

        return self.annotate(
            latest_id=field("id"),
            latest_note=field("note"),
            latest_reviewer_id=field("reviewer_id"),
            latest_reviewer=field("reviewer__username"),
            latest_at=field("created_at"),
            latest_evidence=field("evidence_urls", output_field=models.JSONField()),
        )

    def update_at_version(self, pk: int, expected_version: int | None, **fields) -> None:
        """The one version-checked write of a claim: UPDATE the row with ``fields`` and the next
        version if it is still at ``expected_version`` (None: whatever its version), else raise
        :class:`StaleClaim` with the claim as it is now (:class:`ClaimGone`: no row), writing nothing."""
        rows = self.filter(pk=pk)
        if expected_version is not None:
            rows = rows.filter(version=expected_version)
        if not rows.update(**fields, version=F("version") + 1):
            fresh = self.model.objects.filter(pk=pk).first()
            raise StaleClaim(fresh) if fresh else ClaimGone(None, f"claim {pk} no longer exists")


class StaleClaim(Exception):
    """The claim changed after the reviewer loaded it; nothing was written."""

    def __init__(self, claim: Claim | None, message: str = ""):
        super().__init__(message or f"claim {claim.pk} is at version {claim.version}")
        self.claim = claim

    @property
    def changed_by(self) -> str:
        """Who made the change the reviewer missed, as the conflict message names them."""
        user = self.claim.updated_by if self.claim else None
        return user.get_username() if user else str(_("someone"))


class ClaimGone(StaleClaim):
    """The claim's row is gone (``claim``: the claim it was merged into, or None); nothing written."""


class ClaimAttribution(models.TextChoices):
    EXPLICIT = "explicit", _("Names its source")
    INHERITED = "inherited", _("Inherited from the sentence before")
    NONE = "none", _("Article's own voice")


# A claim in the article's own voice with no outlet of its own: what the wire credit carries.
OWN_VOICE = Q(attribution=ClaimAttribution.NONE, outlet__isnull=True)


class SpeakerKind(models.TextChoices):
    """What kind of source speaks: a named person, an organisation (a government, ministry or
    party), or an anonymous source ("एक अधिकारी", "people familiar with the matter"), which is
    never a row of the registry: two stories' "an official" are not one person."""

    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    ANONYMOUS = "anonymous", _("Anonymous source")


class ClaimStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", _("Unreviewed")
    CORROBORATED = "corroborated", _("Corroborated")
    DISPUTED = "disputed", _("Disputed")
    UNVERIFIABLE = "unverifiable", _("Unverifiable")


class Claim(models.Model):
    """One sentence of an article with its attribution and current review status."""

    Attribution = ClaimAttribution
    Status = ClaimStatus

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    order = models.PositiveIntegerField(help_text="Position in the article, from 0.")
    paragraph = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(help_text="Exactly article.body[start:end].")
    attribution = models.CharField(max_length=10, choices=Attribution.choices, default=Attribution.NONE)
    cue = models.CharField(max_length=200, blank=True)
    speaker = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims_spoken"
    )
    speaker_text = models.CharField(
        max_length=500, blank=True, help_text="The speaker as the article names them."
    )
    speaker_role = models.CharField(
        max_length=200, blank=True, help_text="The speaker's title as the article gives it ('कृषि मंत्री')."
    )
    speaker_kind = models.CharField(max_length=12, choices=SpeakerKind.choices, blank=True)
    outlet = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims_carried"
    )
    inherited_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="inheritors"
    )
    hearsay = models.BooleanField(default=False, help_text="Agentless hearsay ('reportedly').")
    speaker_unresolved = models.BooleanField(
        default=False, help_text="A pronoun ('he said') with no earlier speaker to point to."
    )
    caption = models.BooleanField(default=False, help_text="A photo caption, not a sentence of the story.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNREVIEWED, db_index=True)
    corrected = models.BooleanField(default=False, help_text="An editor corrected what the extractor found.")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    corrected_at = models.DateTimeField(null=True, blank=True)
    excluded = models.BooleanField(
        default=False, help_text="An editor marked it 'not a claim': left out of review and progress."
    )
    # Bumped on every change a reviewer could have missed (verdicts, corrections); a POST carries
    # the version its author saw, so two reviewers never overwrite each other silently.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article", "order"]
        constraints = [
            models.UniqueConstraint(fields=["article", "order"], name="claim_order_unique"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="claim_offsets_ordered"),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values),
                name="claim_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(attribution__in=ClaimAttribution.values),
                name="claim_attribution_valid",
            ),
            models.CheckConstraint(
                condition=Q(speaker_kind__in=[*SpeakerKind.values, ""]),
                name="claim_speaker_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["article", "status"], name="claim_article_status_idx"),
            models.Index(fields=["outlet", "status"], name="claim_outlet_status_idx"),
            models.Index(fields=["speaker", "status"], name="claim_speaker_status_idx"),
        ]
        permissions = [
            ("record_verdict", "Can record verdicts on claims"),
            ("correct_claim", "Can correct the extractor's claims"),
        ]

    def __str__(self) -> str:
        return f"#{self.order}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#claim-{self.pk}"

    def clean(self) -> None:
        super().clean()
        body = self.article.body if self.article_id else ""
        if self.end is not None and self.end > len(body):
            raise ValidationError(
                {"end": f"end {self.end} is past the article body ({len(body)} characters)."}
            )
        if self.start is not None and self.end is not None and body[self.start : self.end] != self.text:
            raise ValidationError({"text": "The claim text must be exactly article.body[start:end]."})

    @property
    def is_reviewed(self) -> bool:
        return self.status != self.Status.UNREVIEWED

    def record_verdict(
        self,
        *,
        status: str,
        reviewer,
        note: str = "",
        evidence_urls: list[str] | tuple[str, ...] = (),
        expected_version: int | None = None,
    ) -> Verdict:
        """Append a verdict to the history and move the claim's status, in one transaction. With
        ``expected_version`` (the version the reviewer saw), a claim changed in the meantime raises
        :class:`StaleClaim` with the fresh claim (:class:`ClaimGone`: no row); nothing is written."""
        if status not in Verdict.Status.values:
            raise ValidationError(f"{status!r} is not a verdict; use {', '.join(Verdict.Status.values)}.")
        with transaction.atomic():
            now = timezone.now()
            Claim.objects.update_at_version(
                self.pk, expected_version, status=status, updated_at=now, updated_by=reviewer
            )
            verdict = Verdict.objects.create(
                claim=self,
                status=status,
                note=note,
                reviewer=reviewer,
                claim_text=self.text,
                evidence_urls=list(evidence_urls),
                created_at=now,
            )
        self.refresh_from_db(fields=["status", "version", "updated_at", "updated_by"])
        return verdict


# A verdict is one of the claim statuses a reviewer can give: every status but "unreviewed".
VerdictStatus = models.TextChoices(
    "VerdictStatus",
    [
        (status.name, (status.value, status.label))
        for status in ClaimStatus
        if status != ClaimStatus.UNREVIEWED
    ],
)


class Verdict(models.Model):
    """One entry of a claim's review history. Append-only: a database trigger refuses any change
    but moving the entry to the claim that two merged claims became."""

    Status = VerdictStatus

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    status = models.CharField(max_length=12, choices=Status.choices)
    note = models.TextField(blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verdicts")
    claim_text = models.TextField(help_text="The claim text the verdict was given for.")
    evidence_urls = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VerdictStatus.values),
                name="verdict_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} by {self.reviewer} at {self.created_at:%Y-%m-%d %H:%M}"
