"""The admin panel for newsroom admins. Actions call the same services as the UI; verdict
history is read-only for everyone."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from verify import services
from verify.models import Article, Claim, ReferenceLink, Source, SourceAlias, StaleClaim, Verdict


class ModelAdmin(admin.ModelAdmin):
    # URLs typed without a scheme are taken as https (Django 6's default, asked for now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


def report(modeladmin, request, done: int, skipped: dict[str, list[str]], verb: str) -> None:
    """Tell the admin how many rows an action changed, and which it skipped and why."""
    modeladmin.message_user(
        request, ngettext("%(n)d row %(verb)s.", "%(n)d rows %(verb)s.", done) % {"n": done, "verb": verb}
    )
    for reason, names in skipped.items():
        shown = ", ".join(names[:10]) + ("…" if len(names) > 10 else "")
        modeladmin.message_user(
            request,
            _("%(n)d skipped (%(reason)s): %(names)s") % {"n": len(names), "reason": reason, "names": shown},
            messages.WARNING,
        )


# --- Sources ----------------------------------------------------------------------------------


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    extra = 1


@admin.register(Source)
class SourceAdmin(ModelAdmin):
    list_display = ["name", "kind", "country", "state_affiliated", "n_spoken", "n_carried"]
    list_filter = ["kind", "state_affiliated", "country"]
    search_fields = ["name", "aliases__alias"]
    inlines = [SourceAliasInline]
    actions = ["merge_sources"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_spoken=Count("claims_spoken", distinct=True),
                n_carried=Count("claims_carried", distinct=True),
            )
        )

    @admin.display(description=_("claims as speaker"), ordering="n_spoken")
    def n_spoken(self, obj) -> int:
        return obj.n_spoken

    @admin.display(description=_("claims as outlet"), ordering="n_carried")
    def n_carried(self, obj) -> int:
        return obj.n_carried

    @admin.action(description=_("Merge the selected sources into the oldest one"), permissions=["change"])
    def merge_sources(self, request, queryset):
        sources = list(queryset.order_by("created_at", "id"))
        if len(sources) < 2:
            self.message_user(request, _("Select at least two sources to merge."), messages.WARNING)
            return
        if len({s.kind for s in sources}) > 1:
            self.message_user(request, _("Only sources of the same kind can be merged."), messages.ERROR)
            return
        keep, others = sources[0], sources[1:]
        services.sources_merge(keep=keep, others=others)
        self.message_user(
            request,
            _("Merged %(names)s into %(keep)s; their names are now its aliases.")
            % {"names": ", ".join(s.name for s in others), "keep": keep.name},
        )


# --- Articles ---------------------------------------------------------------------------------


class ProgressFilter(admin.SimpleListFilter):
    title = _("review progress")
    parameter_name = "progress"

    def lookups(self, request, model_admin):
        return [("unreviewed", _("unreviewed")), ("in_progress", _("in progress")), ("done", _("done"))]

    def queryset(self, request, queryset):
        if self.value() == "unreviewed":
            return queryset.filter(n_claims__gt=0, n_unreviewed=F("n_claims"))
        if self.value() == "in_progress":
            return queryset.filter(n_unreviewed__gt=0, n_unreviewed__lt=F("n_claims"))
        if self.value() == "done":
            return queryset.filter(n_claims__gt=0, n_unreviewed=0)
        return queryset


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ["order", "text", "speaker", "outlet", "attribution", "status", "excluded"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["order"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker", "outlet")


@admin.register(Article)
class ArticleAdmin(ModelAdmin):
    list_display = ["title", "language", "n_claims", "progress", "ingested_by", "ingested_at"]
    list_filter = ["language", ProgressFilter]
    list_select_related = ["ingested_by"]
    search_fields = ["title", "body"]
    readonly_fields = ["content_hash", "ingested_at", "ingested_by", "removed", "body"]
    inlines = [ClaimInline]
    actions = ["reextract"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress()

    @admin.display(description=_("claims"), ordering="n_claims")
    def n_claims(self, obj) -> int:
        return obj.n_claims

    @admin.display(description=_("progress"))
    def progress(self, obj) -> str:
        return _("%(c)d ✓ · %(d)d ✗ · %(u)d ? · %(o)d open") % {
            "c": obj.n_corroborated,
            "d": obj.n_disputed,
            "u": obj.n_unverifiable,
            "o": obj.n_unreviewed,
        }

    @admin.action(
        description=_("Re-extract claims (verdicts and corrections are kept)"), permissions=["change"]
    )
    def reextract(self, request, queryset):
        for article in queryset:
            services.article_reextract(article=article)
        report(self, request, queryset.count(), {}, _("re-extracted"))


# --- Claims -----------------------------------------------------------------------------------


@admin.register(Claim)
class ClaimAdmin(ModelAdmin):
    list_display = ["short_text", "article", "speaker", "outlet", "attribution", "status", "excluded"]
    list_filter = [
        "status",
        "attribution",
        "excluded",
        ("outlet", admin.RelatedOnlyFieldListFilter),
        ("speaker", admin.RelatedOnlyFieldListFilter),
        ("article", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["article", "speaker", "outlet"]
    search_fields = ["text", "speaker_text", "speaker__name", "outlet__name"]
    raw_id_fields = ["article", "inherited_from", "speaker", "outlet"]
    readonly_fields = [
        "article",
        "order",
        "paragraph",
        "start",
        "end",
        "text",
        "status",
        "version",
        "updated_at",
        "updated_by",
        "corrected",
        "corrected_by",
        "corrected_at",
    ]
    actions = ["mark_corroborated", "mark_disputed", "mark_unverifiable", "export_csv", "refetch_evidence"]

    @admin.display(description=_("claim"), ordering="text")
    def short_text(self, obj) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"

    def _mark(self, request, queryset, status: str) -> None:
        done, skipped = 0, {}
        for claim in queryset.select_related("article"):
            if claim.excluded:
                skipped.setdefault(str(_("marked 'not a claim'")), []).append(f"#{claim.pk}")
                continue
            try:
                services.verdict_record(
                    claim=claim,
                    status=status,
                    reviewer=request.user,
                    note=str(_("bulk verdict from the admin")),
                    expected_version=claim.version,
                )
            except StaleClaim:
                skipped.setdefault(str(_("changed while you were selecting")), []).append(f"#{claim.pk}")
                continue
            done += 1
        report(
            self, request, done, skipped, str(_("marked %(status)s") % {"status": Claim.Status(status).label})
        )

    @admin.action(description=_("Mark corroborated"), permissions=["record_verdict"])
    def mark_corroborated(self, request, queryset):
        self._mark(request, queryset, Claim.Status.CORROBORATED)

    @admin.action(description=_("Mark disputed"), permissions=["record_verdict"])
    def mark_disputed(self, request, queryset):
        self._mark(request, queryset, Claim.Status.DISPUTED)

    @admin.action(description=_("Mark unverifiable"), permissions=["record_verdict"])
    def mark_unverifiable(self, request, queryset):
        self._mark(request, queryset, Claim.Status.UNVERIFIABLE)

    @admin.action(description=_("Export selected as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        from verify import export

        rows = export.claims_for_export().filter(pk__in=queryset.values("pk"))
        return export.export_response(rows, filename=export.default_filename(), request=request)

    @admin.action(description=_("Re-fetch evidence links"), permissions=["change"])
    def refetch_evidence(self, request, queryset):
        links = ReferenceLink.objects.filter(claim__in=queryset)
        refetch(self, request, links)

    def has_record_verdict_permission(self, request) -> bool:
        return request.user.has_perm("verify.record_verdict")


# --- History and links ------------------------------------------------------------------------


@admin.register(Verdict)
class VerdictAdmin(ModelAdmin):
    list_display = ["claim", "status", "reviewer", "created_at"]
    list_filter = ["status", ("reviewer", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["claim", "reviewer"]
    search_fields = ["note", "claim_text"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def refetch(modeladmin, request, links) -> None:
    """Queue a fresh fetch of each link; refused URLs and fetches under way are skipped."""
    from verify.tasks import fetch_link

    done, skipped = 0, {}
    for link in links.select_related(None).only("pk", "url", "state"):
        if link.state == ReferenceLink.State.REFUSED:
            skipped.setdefault(str(_("refused: the address may not be fetched")), []).append(link.url)
        elif link.state == ReferenceLink.State.FETCHING:
            skipped.setdefault(str(_("being fetched right now")), []).append(link.url)
        else:
            ReferenceLink.objects.filter(pk=link.pk, state=link.state).update(
                state=ReferenceLink.State.PENDING
            )
            fetch_link.delay_on_commit(link.pk)
            done += 1
    report(modeladmin, request, done, skipped, str(_("queued for fetching")))


@admin.register(ReferenceLink)
class ReferenceLinkAdmin(ModelAdmin):
    list_display = ["url", "claim", "state", "http_status", "fetched_at", "attempts", "is_original"]
    list_filter = ["state", "is_original"]
    list_select_related = ["claim", "article"]
    search_fields = ["url", "title", "final_url"]
    raw_id_fields = ["article", "claim", "added_by"]
    actions = ["refetch_links"]
    readonly_fields = [
        "state",
        "http_status",
        "final_url",
        "content_type",
        "title",
        "text",
        "text_sha256",
        "fetched_at",
        "error",
        "attempts",
    ]

    @admin.action(description=_("Re-fetch"), permissions=["change"])
    def refetch_links(self, request, queryset):
        refetch(self, request, queryset)
