"""The admin panel for newsroom admins. Verdict history is read-only for everyone."""

from __future__ import annotations

from django.contrib import admin

from verify.models import Article, Claim, ReferenceLink, Source, SourceAlias, Verdict


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    extra = 1


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "state_affiliated"]
    list_filter = ["kind", "state_affiliated", "country"]
    search_fields = ["name", "aliases__alias"]
    inlines = [SourceAliasInline]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "ingested_by", "ingested_at"]
    list_filter = ["language"]
    list_select_related = ["ingested_by"]
    search_fields = ["title", "body"]
    readonly_fields = ["content_hash", "ingested_at", "removed"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "speaker", "outlet", "attribution", "status"]
    list_filter = ["status", "attribution", "outlet"]
    list_select_related = ["article", "speaker", "outlet"]
    search_fields = ["text", "speaker_text"]
    raw_id_fields = ["article", "inherited_from", "speaker", "outlet"]
    readonly_fields = ["start", "end", "text", "status", "version", "updated_at"]


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["claim", "status", "reviewer", "created_at"]
    list_filter = ["status"]
    list_select_related = ["claim", "reviewer"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReferenceLink)
class ReferenceLinkAdmin(admin.ModelAdmin):
    list_display = ["url", "state", "http_status", "fetched_at", "attempts"]
    list_filter = ["state"]
    search_fields = ["url", "title"]
    raw_id_fields = ["article", "claim"]
