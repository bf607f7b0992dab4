"""The admin panel for newsroom admins. Actions call the same services as the UI; verdict
history is read-only for everyone."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from verify import export, tasks
from verify.models import (
    Article,
    Claim,
    ClaimGone,
    ReferenceLink,
    ReviewProgress,
    Source,
    SourceAlias,
    StaleClaim,
    Verdict,
)
from verify.services import links, review
from verify.services.registry import sources_merge

QUEUE_DOWN = _(
    "The background queue cannot be reached right now: the work is saved and will be queued as "
    "soon as it is back."
)


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
        sources_merge(keep=keep, others=others)
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
        return ReviewProgress.choices

    def queryset(self, request, queryset):
        """The article list's rule (ArticleQuerySet.with_state); an unknown value filters nothing."""
        if self.value() in ReviewProgress.values:
            return queryset.with_state(self.value())
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
    list_display = ["title", "language", "wire_credit", "n_claims", "progress", "ingested_by", "ingested_at"]
    list_filter = ["language", ProgressFilter, ("wire_credit", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["ingested_by", "wire_credit"]
    search_fields = ["title", "body"]
    # The wire credit is the extractor's reading of the dateline (re-extraction sets it again).
    readonly_fields = ["content_hash", "ingested_at", "ingested_by", "removed", "body", "wire_credit"]
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
        """Re-extraction runs in the worker (the same task the rest of verify queues), not in
        this request: a long article must not hold the admin page, nor race a queued run."""
        done, skipped = 0, {}
        for pk in queryset.values_list("pk", flat=True):
            if tasks.queue(tasks.reextract_article, pk):
                done += 1
            else:
                skipped.setdefault(str(QUEUE_DOWN), []).append(f"#{pk}")
        report(self, request, done, skipped, _("queued for re-extraction"))


# --- Claims -----------------------------------------------------------------------------------


class ClaimCorrectionForm(forms.ModelForm):
    """The corrections an admin may make to a claim: the same ones the review page offers, applied
    through the same service (version-checked, marked corrected, by whom and when)."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = Claim
        fields = ["attribution", "speaker", "outlet", "excluded"]


@admin.register(Claim)
class ClaimAdmin(ModelAdmin):
    """Claims are read-only here but for the correction form and the actions, all of which go
    through :mod:`verify.services.review`: an admin edit is held to the version check like a
    reviewer's, so nobody overwrites anybody silently."""

    form = ClaimCorrectionForm
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
    raw_id_fields = ["speaker", "outlet"]
    fields = [
        "article",
        "order",
        "text",
        "attribution",
        "speaker",
        "speaker_text",
        "speaker_role",
        "speaker_kind",
        "outlet",
        "excluded",
        "cue",
        "inherited_from",
        "status",
        "version",
        "updated_at",
        "updated_by",
        "corrected",
        "corrected_by",
        "corrected_at",
    ]
    readonly_fields = [f for f in fields if f not in ClaimCorrectionForm.Meta.fields and f != "version"]
    actions = [
        "mark_corroborated",
        "mark_disputed",
        "mark_unverifiable",
        "mark_not_a_claim",
        "mark_a_claim",
        "export_csv",
        "refetch_evidence",
    ]

    def has_add_permission(self, request) -> bool:
        return False  # claims come from the extractor (ingest, split), never from a blank form

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # "not a claim" keeps the row and its history; merge takes a claim away

    @admin.display(description=_("claim"), ordering="text")
    def short_text(self, obj) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"

    def save_model(self, request, obj, form, change) -> None:
        """Apply the correction through the review service, at the version the admin saw."""
        data, claim = form.cleaned_data, Claim.objects.select_related("article").get(pk=obj.pk)
        version = data["version"]
        request.claim_correction_error = None
        try:
            attribution = {name: data[name] for name in ("attribution", "speaker", "outlet")}
            if set(attribution) & set(form.changed_data):
                review.claim_correct_attribution(
                    claim=claim, by=request.user, expected_version=version, **attribution
                )
                version = claim.version
            if "excluded" in form.changed_data:
                review.claim_set_excluded(
                    claim=claim, by=request.user, excluded=data["excluded"], expected_version=version
                )
        except ClaimGone as gone:
            request.claim_correction_error = str(gone)
        except StaleClaim as stale:
            request.claim_correction_error = _(
                "Changed by %(who)s at %(when)s meanwhile; nothing was saved. Look again."
            ) % {"who": stale.changed_by, "when": stale.claim.updated_at.strftime("%H:%M:%S")}
        except review.CorrectionRefused as exc:
            request.claim_correction_error = str(exc)

    def log_change(self, request, obj, message):
        if getattr(request, "claim_correction_error", None):
            return None  # nothing changed
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        error = getattr(request, "claim_correction_error", None)
        if error:
            self.message_user(request, error, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def _mark(self, request, queryset, status: str) -> None:
        done, skipped = 0, {}
        for claim in queryset.select_related("article"):
            if claim.excluded:
                skipped.setdefault(str(_("marked 'not a claim'")), []).append(f"#{claim.pk}")
                continue
            try:
                recorded = review.verdict_record(
                    claim=claim,
                    status=status,
                    reviewer=request.user,
                    note=str(_("bulk verdict from the admin")),
                    expected_version=claim.version,
                )
            except StaleClaim:
                skipped.setdefault(str(_("changed while you were selecting")), []).append(f"#{claim.pk}")
                continue
            except review.CorrectionRefused as refused:
                skipped.setdefault(str(refused), []).append(f"#{claim.pk}")
                continue
            queue_fetches(recorded.new_links)
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

    def _set_excluded(self, request, queryset, excluded: bool, verb: str) -> None:
        done, skipped = 0, {}
        for claim in queryset.select_related("article"):
            if claim.excluded == excluded:
                skipped.setdefault(str(_("already so")), []).append(f"#{claim.pk}")
                continue
            try:
                review.claim_set_excluded(
                    claim=claim, by=request.user, excluded=excluded, expected_version=claim.version
                )
            except StaleClaim:
                skipped.setdefault(str(_("changed while you were selecting")), []).append(f"#{claim.pk}")
                continue
            done += 1
        report(self, request, done, skipped, verb)

    @admin.action(description=_("Mark 'not a claim'"), permissions=["change"])
    def mark_not_a_claim(self, request, queryset):
        self._set_excluded(request, queryset, True, str(_("marked 'not a claim'")))

    @admin.action(description=_("Restore as a claim"), permissions=["change"])
    def mark_a_claim(self, request, queryset):
        self._set_excluded(request, queryset, False, str(_("restored as claims")))

    @admin.action(description=_("Export selected as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        rows = export.claims_for_export().filter(pk__in=queryset.values("pk"))
        return export.export_response(rows, filename=export.default_filename(), request=request)

    @admin.action(description=_("Re-fetch evidence links"), permissions=["change"])
    def refetch_evidence(self, request, queryset):
        refetch(self, request, ReferenceLink.objects.filter(claim__in=queryset))

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


def queue_fetches(new_links) -> bool:
    """Queue the links' fetches through tasks.queue(); False when the broker is down (the links
    stay pending and the sweeper queues them once it is back)."""
    return all(tasks.queue(tasks.fetch_link, link.pk) for link in new_links)


def refetch(modeladmin, request, queryset) -> None:
    """Queue a fresh fetch of each link; refused URLs and fetches under way are skipped."""
    again, skipped = links.links_refetch(queryset)
    report(modeladmin, request, len(again), skipped, str(_("queued for fetching")))
    if not queue_fetches(again):
        modeladmin.message_user(request, QUEUE_DOWN, messages.WARNING)


@admin.register(ReferenceLink)
class ReferenceLinkAdmin(ModelAdmin):
    """Read-only: links are added on the review page (which queues their fetch) and change only
    through the worker and the actions below, which call :mod:`verify.services.links`."""

    list_display = ["url", "claim", "state", "http_status", "fetched_at", "attempts", "is_original"]
    list_filter = ["state", "is_original"]
    list_select_related = ["claim", "article"]
    search_fields = ["url", "title", "final_url"]
    actions = ["refetch_links", "mark_original"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    @admin.action(description=_("Re-fetch"), permissions=["change"])
    def refetch_links(self, request, queryset):
        refetch(self, request, queryset)

    @admin.action(description=_("Mark as where the claim first appeared"), permissions=["change"])
    def mark_original(self, request, queryset):
        done, skipped = 0, {}
        for link in queryset.filter(claim__isnull=False):
            links.link_set_original(link=link, original=True)
            done += 1
        skipped_links = queryset.filter(claim__isnull=True).values_list("url", flat=True)
        if skipped_links:
            skipped[str(_("an article's link, not a claim's"))] = list(skipped_links)
        report(self, request, done, skipped, str(_("marked original")))
