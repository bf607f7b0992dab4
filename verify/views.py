"""Function views. htmx requests get partials of the page templates (``template#partial``);
every form also works as a plain POST that redirects back (no JavaScript needed)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django.views.defaults import bad_request as django_bad_request
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget
from django_htmx.middleware import HtmxDetails

from verify import claimreview, export, tasks, text
from verify.evidence import match_evidence
from verify.filters import ArticleFilter, ExportFilter, ExportFilterError, ReviewClaimFilter
from verify.forms import ArticleForm, AttributionForm, SplitForm, VerdictForm, VersionForm
from verify.middleware import too_big_response
from verify.models import OWN_VOICE, Article, Claim, ClaimGone, ReferenceLink, Source, StaleClaim, UrlIngest
from verify.services import links, review
from verify.services.articles import ArticleRejected, article_ingest
from verify.services.registry import registry_from_db
from verify.services.url_ingest import url_ingest_request


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (django-htmx's documented typing pattern)."""

    htmx: HtmxDetails


#: Views whose response depends on whether htmx asked (a partial or the whole page) say so, so
#: a cache never serves one for the other.
vary_on_htmx = vary_on_headers("HX-Request")

QUEUE_DOWN = _lazy(
    "The background queue cannot be reached right now: your work is saved, and the links will be "
    "fetched as soon as it is back."
)

# --- Articles ---------------------------------------------------------------------------------


def _outlet_mix(article_ids: list[int]) -> dict[int, list[dict]]:
    """The listed articles' outlet mix in one query: {article id: [row, …]}, a row per carrier
    (``carrier``, ``carrier_name``, ``carrier_state``) with its claims ``n``, most first. A claim
    in the article's own voice without an outlet is carried by the wire credit (``n_wire`` of them)."""
    rows = (
        Claim.objects.filter(article__in=article_ids, excluded=False)
        .filter(Q(outlet__isnull=False) | Q(OWN_VOICE, article__wire_credit__isnull=False))
        .annotate(
            carrier=Coalesce("outlet_id", "article__wire_credit_id"),
            carrier_name=Coalesce("outlet__name", "article__wire_credit__name"),
            carrier_state=Coalesce("outlet__state_affiliated", "article__wire_credit__state_affiliated"),
        )
        .values("article_id", "carrier", "carrier_name", "carrier_state")
        .annotate(n=Count("id"), n_wire=Count("id", filter=Q(outlet__isnull=True)))
        .order_by("article_id", "-n", "carrier_name")
    )
    mix: dict[int, list[dict]] = {}
    for row in rows:
        mix.setdefault(row["article_id"], []).append(row)
    return mix


@require_GET
@permission_required("verify.view_article", raise_exception=True)
@vary_on_htmx
def article_list(request: HtmxHttpRequest) -> HttpResponse:
    # No body read for the list: a page's cost does not depend on the articles' size.
    articles = (
        Article.objects.with_progress().defer("body", "removed").select_related("ingested_by", "wire_credit")
    )
    article_filter = ArticleFilter(request.GET, queryset=articles.order_by("-ingested_at", "-id"))
    page = Paginator(article_filter.qs, 25).get_page(request.GET.get("page"))
    mix = _outlet_mix([a.pk for a in page.object_list])
    for article in page.object_list:
        article.outlet_mix = mix.get(article.pk, [])
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "query": article_filter.query,
        "filters": request.GET,
        "querystring": params.urlencode(),
        "outlets": Source.objects.filter(kind=Source.Kind.OUTLET, claims_carried__isnull=False).distinct(),
        "credits": Source.objects.filter(credited_articles__isnull=False).distinct(),
    }
    template = "verify/article_list.html#article-table" if request.htmx else "verify/article_list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@permission_required("verify.add_article", raise_exception=True)
def article_new(request: HtmxHttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.cleaned_data.get("fetch_url"):
        data = form.cleaned_data
        job = url_ingest_request(
            url=data["fetch_url"], by=request.user, title=data["title"], language=data["language"]
        )
        if not tasks.queue(tasks.ingest_url, job.pk):
            messages.warning(request, QUEUE_DOWN)
        return redirect(job)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = article_ingest(
                text=data["body"],
                title=data["title"],
                by=request.user,
                language=data["language"] or None,
                source_url=data["source_url"],
                published_on=data["published_on"],
            )
        except ArticleRejected as exc:
            form.add_error("text", str(exc))
        else:
            if result.created:
                messages.success(
                    request,
                    _("Article ingested: %(n)d claims to review.") % {"n": result.article.claims.count()},
                )
            else:
                messages.info(request, _("This text was already ingested; here is the existing article."))
            return redirect(result.article)
    return render(
        request,
        "verify/article_new.html",
        {"form": form, "limit": settings.VERIFY_MAX_ARTICLE_CHARS},
        status=400 if form.errors else 200,
    )


# --- The review page --------------------------------------------------------------------------


def _review_claims(article: Article):
    """Every claim of the article with what a row shows, in a fixed number of queries."""
    return (
        article.claims.select_related("speaker", "outlet", "inherited_from", "updated_by", "corrected_by")
        .prefetch_related("links")
        .order_by("order")
    )


def _review_context(request: HtmxHttpRequest, article: Article) -> dict:
    claims = list(_review_claims(article))
    claim_filter = ReviewClaimFilter(request.GET, queryset=article.claims.all())
    counts = dict.fromkeys(Claim.Status.values, 0)
    for c in claims:
        if not c.excluded:
            counts[c.status] += 1
    return {
        "article": article,
        "claims": claim_filter.pick(claims),
        "all_claims": claims,
        "segments": article.body_segments(claims),
        "progress": counts,
        "filters": claim_filter.params,
        "filtering": claim_filter.is_filtering(),
        "outlets": sorted({c.outlet for c in claims if c.outlet}, key=lambda s: s.name),
        "speakers": sorted({c.speaker for c in claims if c.speaker}, key=lambda s: s.name),
        "statuses": Claim.Status.choices,
        "kinds": Claim.Attribution.choices,
    }


@require_GET
@permission_required("verify.view_article", raise_exception=True)
@vary_on_htmx
def article_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("ingested_by", "wire_credit"), pk=pk)
    context = _review_context(request, article)
    if request.htmx and request.htmx.target == "claim-list":
        return render(request, "verify/article_detail.html#claim-list", context)
    return render(request, "verify/article_detail.html", context)


def _get_claim_for_user(request: HtmxHttpRequest, pk: int, perm: str) -> Claim:
    """The claim, if the user holds ``perm`` (403 otherwise, 404 for no such claim)."""
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(Claim.objects.select_related(*ROW_RELATIONS), pk=pk)


# The article's wire credit too: a row in the article's own voice says "via" it.
ROW_RELATIONS = ("article__wire_credit", "speaker", "outlet", "inherited_from", "updated_by", "corrected_by")


def _row_response(request: HtmxHttpRequest, claim: Claim, *, loaded: bool = False, **extra) -> HttpResponse:
    """One claim's row, and out of band the article's progress bar and the claim's highlight.
    ``loaded``: the claim already has its relations (as _get_claim_for_user loads them) and its
    fresh status, so only its links are fetched."""
    if loaded:
        prefetch_related_objects([claim], "links")
    else:
        rows = Claim.objects.select_related(*ROW_RELATIONS).prefetch_related("links")
        claim = get_object_or_404(rows, pk=claim.pk)
    context = {
        "claim": claim,
        "article": claim.article,
        "progress": claim.article.progress(),
        "oob": True,
        **extra,
    }
    return render(request, "verify/article_detail.html#claim-row-response", context)


def _queue_fetches(new_links) -> bool:
    """Queue the links' fetches; False when the broker is down. Then the links stay pending and
    the sweeper queues them once it is back, so there is no point trying the rest now."""
    return all(tasks.queue(tasks.fetch_link, link.pk) for link in new_links)


def _back_to(claim: Claim) -> HttpResponse:
    return redirect(f"{claim.article.get_absolute_url()}#claim-{claim.pk}")


def _gone_response(request: HtmxHttpRequest, claim: Claim, gone: ClaimGone) -> HttpResponse:
    """The claim was merged away after the page loaded it, nothing saved (the message says where
    it went): htmx gets the whole review region again, a plain POST goes back to the merged claim."""
    messages.warning(request, str(gone))
    if not request.htmx:
        return _back_to(gone.claim or claim)
    return reswap(retarget(_review_region(request, claim.article), "#review-region"), "outerHTML")


@require_POST
@vary_on_htmx
def claim_verdict(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    claim = _get_claim_for_user(request, pk, "verify.record_verdict")
    form = VerdictForm(request.POST)
    recorded = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            recorded = review.verdict_record(
                claim=claim,
                status=data["status"],
                reviewer=request.user,
                note=data["note"],
                evidence=data["evidence"],
                expected_version=data["version"],
            )
        except review.CorrectionRefused as exc:  # bad evidence links, or a claim marked "not a claim"
            form.add_error(None, str(exc))
        except ClaimGone as gone:
            return _gone_response(request, claim, gone)
        except StaleClaim as stale:
            fresh = stale.claim
            message = _(
                "Changed by %(who)s at %(when)s — now %(status)s. Nothing was overwritten; decide again."
            ) % {
                "who": stale.changed_by,
                "when": fresh.updated_at.strftime("%H:%M:%S"),
                "status": _("Not a claim") if fresh.excluded else fresh.get_status_display(),
            }
            if not request.htmx:
                messages.warning(request, message)
                return _back_to(claim)
            return _row_response(request, fresh, conflict=message, draft=request.POST)
    if recorded is None:
        if not request.htmx:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return _back_to(claim)
        return _row_response(request, claim, form_errors=form.errors, draft=request.POST)
    queued = _queue_fetches(recorded.new_links)
    if not request.htmx:
        if not queued:
            messages.warning(request, QUEUE_DOWN)
        return _back_to(claim)
    claim.updated_by = request.user  # record_verdict refreshed the id; spare the query
    return _row_response(request, claim, loaded=True, just_marked=True, queue_down=not queued)


@require_GET
def claim_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    claim = _get_claim_for_user(request, pk, "verify.view_verdict")
    verdicts = claim.verdicts.select_related("reviewer").order_by("-created_at", "-id")
    return render(request, "verify/article_detail.html#history", {"claim": claim, "verdicts": verdicts})


def _review_region(request: HtmxHttpRequest, article: Article) -> HttpResponse:
    if not request.htmx:
        return redirect(article)
    return render(request, "verify/article_detail.html#review-region", _review_context(request, article))


@require_http_methods(["GET", "POST"])
@vary_on_htmx
def claim_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    claim = _get_claim_for_user(request, pk, "verify.correct_claim")
    initial = {
        "version": claim.version,
        "attribution": claim.attribution,
        "speaker": claim.speaker_id,
        "outlet": claim.outlet_id,
    }
    form = AttributionForm(request.POST or None, initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review.claim_correct_attribution(
                claim=claim,
                by=request.user,
                attribution=data["attribution"],
                speaker=data["speaker"],
                new_speaker=data["new_speaker"],
                outlet=data["outlet"],
                expected_version=data["version"],
            )
        except review.CorrectionRefused as exc:
            error = str(exc)
        except ClaimGone as gone:
            return _gone_response(request, claim, gone)
        except StaleClaim as stale:
            error = _("Changed by %(who)s meanwhile; look again.") % {"who": stale.changed_by}
        else:
            return _review_region(request, claim.article)
    if not request.htmx and request.method == "POST":
        messages.error(request, error or _("Check the correction form."))
        return _back_to(claim)
    response = render(
        request, "verify/article_detail.html#edit-form", {"claim": claim, "form": form, "error": error}
    )
    if request.method == "POST":  # a refused correction: show the form again where it was
        response = reswap(retarget(response, f"#edit-{claim.pk}"), "innerHTML")
    return response


def _structural_edit(request: HtmxHttpRequest, pk: int, form_class, apply) -> HttpResponse:
    """An editor's split, merge or "not a claim": check the form, ``apply(claim, form, version)``
    through the review service, then show the review region again (or go back to the page)."""
    claim = _get_claim_for_user(request, pk, "verify.correct_claim")
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; reload the page and try again."))
        return _review_region(request, claim.article) if request.htmx else _back_to(claim)
    try:
        apply(claim, form, form.cleaned_data["version"])
    except review.CorrectionRefused as exc:
        messages.error(request, str(exc))
    except ClaimGone as gone:
        return _gone_response(request, claim, gone)
    except StaleClaim:
        messages.warning(request, _("The claim changed meanwhile; nothing was done. Look again."))
    return _review_region(request, claim.article)


@require_POST
@vary_on_htmx
def claim_split(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def apply(claim, form, version):
        review.claim_split(claim=claim, by=request.user, at=form.split_point(claim), expected_version=version)

    return _structural_edit(request, pk, SplitForm, apply)


@require_POST
@vary_on_htmx
def claim_merge(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def apply(claim, form, version):
        review.claim_merge_next(claim=claim, by=request.user, expected_version=version)

    return _structural_edit(request, pk, VersionForm, apply)


@require_POST
@vary_on_htmx
def claim_exclude(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def apply(claim, form, version):
        review.claim_set_excluded(
            claim=claim, by=request.user, excluded=not claim.excluded, expected_version=version
        )

    return _structural_edit(request, pk, VersionForm, apply)


# --- Evidence links ----------------------------------------------------------------------


def _links_response(request: HtmxHttpRequest, claim: Claim, **extra) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("article").prefetch_related("links"), pk=claim.pk)
    return render(
        request, "verify/article_detail.html#links", {"claim": claim, "article": claim.article, **extra}
    )


@require_http_methods(["GET", "POST"])
@vary_on_htmx
def claim_links(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: the claim's links (polled while any is being fetched). POST: add links and fetch."""
    if request.method == "GET":
        return _links_response(request, _get_claim_for_user(request, pk, "verify.view_referencelink"))
    claim = _get_claim_for_user(request, pk, "verify.add_referencelink")
    error = None
    try:
        urls = review.parse_evidence_urls(request.POST.get("urls", ""))
    except review.CorrectionRefused as exc:
        error = str(exc)
    else:
        try:
            created = review.claim_links_add(claim=claim, urls=urls, by=request.user)
        except ClaimGone as gone:
            return _gone_response(request, claim, gone)
        if not _queue_fetches(created):
            error = str(QUEUE_DOWN)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return _back_to(claim)
    return _links_response(request, claim, links_error=error)


def _get_link_for_user(request: HtmxHttpRequest, pk: int, perm: str) -> ReferenceLink:
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(ReferenceLink.objects.select_related("claim", "article"), pk=pk)


@require_GET
def link_evidence(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The passages of a fetched page that share the claim's names, numbers and dates."""
    link = _get_link_for_user(request, pk, "verify.view_referencelink")
    claim = link.claim
    passages = []
    if claim is not None and link.text:
        names = [n for n in (claim.speaker_text, claim.outlet.name if claim.outlet_id else "") if n]
        for p in match_evidence(claim.text, link.text, registry=registry_from_db(), names=names):
            pieces, pos = [], 0
            for start, end in p.highlights:
                pieces += [
                    {"text": p.text[pos:start], "hit": False},
                    {"text": p.text[start:end], "hit": True},
                ]
                pos = end
            pieces.append({"text": p.text[pos:], "hit": False})
            passages.append({"score": p.score, "pieces": pieces, "terms": p.terms})
    lang = "hi" if text.has_devanagari(link.text[:2000]) else "en"
    return render(request, "verify/article_detail.html#passages", {"passages": passages, "link_lang": lang})


@require_GET
def link_diff(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """What changed on an evidence page since the claim was judged."""
    link = _get_link_for_user(request, pk, "verify.view_referencelink")
    return render(request, "verify/article_detail.html#diff", {"diff": links.drift_diff(link)})


@require_POST
@vary_on_htmx
def link_original(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Mark (or unmark) the link where the claim first appeared (ClaimReview firstAppearance)."""
    link = _get_link_for_user(request, pk, "verify.record_verdict")
    if link.claim is None:
        raise PermissionDenied
    links.link_set_original(link=link, original=not link.is_original)
    if not request.htmx:
        return _back_to(link.claim)
    return _links_response(request, link.claim)


@require_GET
@permission_required("verify.add_article", raise_exception=True)
@vary_on_htmx
def url_ingest(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Where an article fetched by URL stands; polled until the worker is done."""
    job = get_object_or_404(UrlIngest.objects.select_related("article"), pk=pk)
    if job.state == UrlIngest.State.DONE and job.article:
        if request.htmx:
            return HttpResponseClientRedirect(job.article.get_absolute_url())
        return redirect(job.article)
    template = "verify/url_ingest.html#status" if request.htmx else "verify/url_ingest.html"
    return render(request, template, {"job": job})


# --- Exports ------------------------------------------------------------------------------


@require_GET
@permission_required("verify.view_verdict", raise_exception=True)
def export_page(request: HtmxHttpRequest) -> HttpResponse:
    """The global export page: filters, then a CSV download (streamed by export_csv)."""
    context = {
        "articles": Article.objects.order_by("-ingested_at").only("pk", "title")[:500],
        "outlets": Source.objects.filter(kind=Source.Kind.OUTLET, claims_carried__isnull=False).distinct(),
        "speakers": Source.objects.exclude(kind=Source.Kind.OUTLET)
        .filter(claims_spoken__isnull=False)
        .distinct(),
        "reviewers": get_user_model().objects.filter(verdicts__isnull=False).distinct().order_by("username"),
        "statuses": Claim.Status.choices,
    }
    return render(request, "verify/export.html", context)


@require_GET
@permission_required("verify.view_verdict", raise_exception=True)
def export_csv(request: HtmxHttpRequest) -> HttpResponse:
    """CSV of verdicts: one row per claim (or per verdict with history=1), filtered by the query
    string; excel=1 adds the byte-order mark Excel needs to read UTF-8 Hindi."""
    export_filter = ExportFilter(request.GET)
    try:
        claims = export_filter.claims()
    except ExportFilterError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    history = request.GET.get("history") == "1"
    return export.export_response(
        claims,
        history=history,
        excel=request.GET.get("excel") == "1",
        filename=export.default_filename(article=export_filter.cleaned().get("article"), history=history),
        request=request,
    )


@require_GET
@permission_required("verify.view_verdict", raise_exception=True)
def claim_claimreview(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("article", "speaker", "outlet"), pk=pk)
    try:
        data = claimreview.claim_review(claim, request=request)
    except claimreview.NotReviewed as exc:
        return JsonResponse({"error": str(exc)}, status=404)
    return HttpResponse(claimreview.dumps(data, indent=1), content_type="application/ld+json; charset=utf-8")


@require_GET
@permission_required("verify.view_verdict", raise_exception=True)
def article_claimreview(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    data = claimreview.article_claim_reviews(article, request=request)
    return HttpResponse(claimreview.dumps(data, indent=1), content_type="application/ld+json; charset=utf-8")


# The source registry's pages are in verify/source_views.py.


@login_not_required
def bad_request(request: HtmxHttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400s. A request over Django's size cap (a pasted article far over the limit) gets a page
    that names the article limit, not a bare "Bad Request"."""
    if isinstance(exception, RequestDataTooBig):  # read past RequestTooBigMiddleware (not a POST)
        return too_big_response(request)
    return django_bad_request(request, exception)


@require_GET
@login_not_required
def healthz(request: HtmxHttpRequest) -> JsonResponse:
    """Liveness for load balancers and `make run`: the process answers and the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
