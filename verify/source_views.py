"""The source registry's pages: the list, a source's record, and the editors' changes to it
(new sources, fields, aliases, merges, re-extraction).

Every change goes through :mod:`verify.services.registry`. A plain POST redirects back to the
page (or shows it again with the error and what was typed); an htmx POST gets the page's editor region
again, with the error in it when refused. Editors hold ``add_source`` / ``change_source``; the
other roles see no controls and get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from verify import tasks, text
from verify.filters import SourceFilter
from verify.forms import AliasForm, SourceForm, SourceMergeForm
from verify.models import Article, Claim, Source
from verify.services import registry
from verify.views import QUEUE_DOWN, HtmxHttpRequest, vary_on_htmx

#: At most this many articles are queued by one "re-extract the articles mentioning it".
REEXTRACT_LIMIT = 500


def _list_context(request: HtmxHttpRequest, new_form: SourceForm | None = None) -> dict:
    sources = Source.objects.annotate(
        n_claims=Count("claims_spoken", filter=Q(claims_spoken__excluded=False), distinct=True)
        + Count("claims_carried", filter=Q(claims_carried__excluded=False), distinct=True),
        n_disputed=Count(
            "claims_spoken", filter=Q(claims_spoken__status=Claim.Status.DISPUTED), distinct=True
        )
        + Count("claims_carried", filter=Q(claims_carried__status=Claim.Status.DISPUTED), distinct=True),
    ).order_by("-n_claims", "name")
    source_filter = SourceFilter(request.GET, queryset=sources)
    page = Paginator(source_filter.qs, 50).get_page(request.GET.get("page"))
    if new_form is None and request.user.has_perm("verify.add_source"):
        new_form = SourceForm()
    return {
        "page": page,
        "query": source_filter.query,
        "kind": source_filter.kind_shown,
        "kinds": Source.Kind.choices,
        "new_form": new_form,
    }


@require_GET
@permission_required("verify.view_source", raise_exception=True)
def source_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "verify/source_list.html", _list_context(request))


@require_POST
@permission_required("verify.add_source", raise_exception=True)
@vary_on_htmx
def source_new(request: HtmxHttpRequest) -> HttpResponse:
    """An editor adds a source from the list page; its page opens."""
    form = SourceForm(request.POST)
    if form.is_valid():
        try:
            source = registry.source_create(**form.cleaned_data)
        except registry.RegistryRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("“%(name)s” is in the registry.") % {"name": source.name})
            if request.htmx:
                return HttpResponseClientRedirect(source.get_absolute_url())
            return redirect(source)
    if request.htmx:
        response = render(request, "verify/_source_new.html", {"new_form": form})
        return reswap(retarget(response, "#source-new"), "outerHTML")
    return render(request, "verify/source_list.html", _list_context(request, form))


def _detail_context(request: HtmxHttpRequest, source: Source, **extra) -> dict:
    """The record page's context; an editor's forms (unbound unless ``extra`` brings bound
    ones) and the possible duplicates of a speaker only for those who may change sources."""
    aliases = [
        {"pk": pk, "alias": a, "lang": "hi" if text.has_devanagari(a) else "en"}
        for pk, a in source.aliases.values_list("pk", "alias")
    ]
    context = {
        "source": source,
        "aliases": aliases,
        "can_edit": request.user.has_perm("verify.change_source"),
    }
    if context["can_edit"]:
        context["edit_form"] = SourceForm(
            initial={
                "name": source.name,
                "kind": source.kind,
                "country": source.country,
                "state_affiliated": source.state_affiliated,
            }
        )
        context["alias_form"] = AliasForm()
        context["duplicates"] = registry.possible_duplicates(source)
    context.update(extra)
    return context


def _record(source: Source) -> dict:
    """The record part of the page: the track record, the wire-credit one, the disputed claims."""
    disputed = (
        Claim.objects.attributed_to(source)
        .filter(status=Claim.Status.DISPUTED)
        .select_related("article")
        .order_by("-updated_at")[:100]
    )
    return {
        "credited": Article.objects.filter(wire_credit=source).count(),
        "record": Claim.objects.track_record(source),
        "wire": Claim.objects.wire_record(source),
        "disputed": disputed,
    }


@require_GET
@permission_required("verify.view_source", raise_exception=True)
def source_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    return render(request, "verify/source_detail.html", _detail_context(request, source, **_record(source)))


def _changed(request: HtmxHttpRequest, source: Source, message: str) -> HttpResponse:
    """A change was made: the editor region again (htmx), or back to the page with a message."""
    if not request.htmx:
        messages.success(request, message)
        return redirect(source)
    source.refresh_from_db()
    return render(
        request, "verify/source_detail.html#source-head", _detail_context(request, source, notice=message)
    )


def _refused(request: HtmxHttpRequest, source: Source, error: str, **forms) -> HttpResponse:
    """A change was refused, nothing written: the region or the page again, with the error and
    what the editor typed."""
    source.refresh_from_db()
    if request.htmx:
        context = _detail_context(request, source, error=error, **forms)
        return render(request, "verify/source_detail.html#source-head", context)
    context = _detail_context(request, source, error=error, **_record(source), **forms)
    return render(request, "verify/source_detail.html", context)


def _form_error(form) -> str:
    return " ".join(e for errors in form.errors.values() for e in errors)


@require_POST
@permission_required("verify.change_source", raise_exception=True)
@vary_on_htmx
def source_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    form = SourceForm(request.POST)
    if not form.is_valid():
        return _refused(request, source, _form_error(form), edit_form=form)
    try:
        registry.source_update(source=source, **form.cleaned_data)
    except registry.RegistryRefused as exc:
        return _refused(request, source, str(exc), edit_form=form)
    return _changed(request, source, _("Saved."))


@require_POST
@permission_required("verify.change_source", raise_exception=True)
@vary_on_htmx
def source_alias_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    form = AliasForm(request.POST)
    try:
        alias = registry.alias_add(source=source, alias=form.data.get("alias", ""))
    except registry.RegistryRefused as exc:
        return _refused(request, source, str(exc), alias_form=form)
    message = _("“%(alias)s” is now a spelling of %(name)s; the next extraction reads it.")
    return _changed(request, source, message % {"alias": alias.alias, "name": source.name})


@require_POST
@permission_required("verify.change_source", raise_exception=True)
@vary_on_htmx
def source_alias_remove(request: HtmxHttpRequest, pk: int, alias_pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    try:
        alias = registry.alias_remove(source=source, alias_id=alias_pk)
    except registry.RegistryRefused as exc:
        return _refused(request, source, str(exc))
    return _changed(request, source, _("“%(alias)s” was removed.") % {"alias": alias})


@require_POST
@permission_required("verify.change_source", raise_exception=True)
@vary_on_htmx
def source_merge(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Merge the ticked (or named) sources into this one: their claims move here, their names
    become its aliases. The record changes, so htmx reloads the whole page."""
    source = get_object_or_404(Source, pk=pk)
    form = SourceMergeForm(request.POST)
    if not form.is_valid():
        return _refused(request, source, _form_error(form))
    others = [s for s in form.cleaned_data["sources"] if s.pk != source.pk]
    if not others:
        return _refused(request, source, _("A source cannot be merged into itself."))
    try:
        registry.sources_merge_checked(keep=source, others=others)
    except registry.RegistryRefused as exc:
        return _refused(request, source, str(exc))
    message = _("Merged %(names)s into %(keep)s; their names are now its aliases.") % {
        "names": ", ".join(s.name for s in others),
        "keep": source.name,
    }
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(source.get_absolute_url())
    return redirect(source)


@require_POST
@permission_required("verify.change_source", raise_exception=True)
@vary_on_htmx
def source_reextract(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Queue the re-extraction of the articles that write one of the source's names (in the
    worker, as the admin's action does), so an alias change reaches stored articles too."""
    source = get_object_or_404(Source, pk=pk)
    ids = list(registry.articles_mentioning(source).values_list("pk", flat=True)[:REEXTRACT_LIMIT])
    queued = sum(1 for article_pk in ids if tasks.queue(tasks.reextract_article, article_pk))
    if queued < len(ids):
        return _refused(request, source, str(QUEUE_DOWN))
    message = ngettext(
        "%(n)s article queued for re-extraction (verdicts and corrections are kept).",
        "%(n)s articles queued for re-extraction (verdicts and corrections are kept).",
        queued,
    )
    return _changed(request, source, message % {"n": queued})
