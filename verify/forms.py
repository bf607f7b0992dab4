"""Forms: they check input and say what is wrong; the services do the work."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from verify.fetch import html_to_text
from verify.models import Claim, Source, Verdict
from verify.services.articles import ArticleRejected, check_article_text, decode_article_bytes
from verify.services.review import CorrectionRefused
from verify.services.urls import MAX_URL_CHARS, UrlRefused, check_url

UPLOAD_TYPES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}


class HttpUrlField(forms.URLField):
    """A URL verify may store: :func:`verify.services.urls.check_url` is the one check (http(s)
    only, at most 2,000 characters, no control characters). A bare host gets ``https://``."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=MAX_URL_CHARS, assume_scheme="https", **kwargs)
        self.validators = []  # URL, length and NUL checks: check_url's, whose messages name the limit

    def clean(self, value):
        url = super().clean(value)
        try:
            return check_url(url)
        except UrlRefused as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Detect automatically")), ("hi", _("Hindi")), ("en", _("English"))],
        required=False,
    )
    source_url = HttpUrlField(label=_("Source URL"), required=False)
    published_on = forms.DateField(
        label=_("Published on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    fetch_url = HttpUrlField(
        label=_("Fetch the article from this URL"),
        required=False,
        help_text=_("A worker fetches the page and takes its main text; its links become reference links."),
    )
    text = forms.CharField(
        label=_("…or paste the article text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "lang": "hi"}),
    )
    upload = forms.FileField(
        label=_("…or upload a file"),
        required=False,
        help_text=_("UTF-8 .txt, or .html (its main text is taken)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.text,.html,.htm,text/plain,text/html"}),
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in UPLOAD_TYPES:
            raise forms.ValidationError(
                _("Upload a .txt or .html file; “%(name)s” is neither."), params={"name": upload.name}
            )
        # Read a little past the limit so an oversized file is reported by size, not read whole.
        limit_bytes = settings.VERIFY_MAX_ARTICLE_CHARS * 4 + 4
        data = upload.read(limit_bytes + 1)
        if len(data) > limit_bytes:
            raise forms.ValidationError(
                _("The file is too large; the limit is %(limit)s characters of text."),
                params={"limit": f"{settings.VERIFY_MAX_ARTICLE_CHARS:,}"},
            )
        try:
            text = decode_article_bytes(data, name=upload.name)
        except ArticleRejected as exc:
            raise forms.ValidationError(str(exc)) from None
        if UPLOAD_TYPES[suffix] == "html":
            text = html_to_text(text)
            if not text.strip():
                raise forms.ValidationError(_("No article text was found in this HTML page."))
        return text

    def clean(self):
        data = super().clean()
        if data.get("fetch_url"):
            if data.get("upload") or (data.get("text") or "").strip():
                raise forms.ValidationError(_("Give a URL, paste the text or upload a file: one of them."))
            return data
        text = data.get("upload") or data.get("text") or ""
        if data.get("upload") and (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste the text or upload a file, not both."))
        if "upload" in self.errors:
            return data
        try:
            data["body"] = check_article_text(text)
        except ArticleRejected as exc:
            self.add_error("text", str(exc))
        return data


class VerdictForm(forms.Form):
    status = forms.ChoiceField(choices=Verdict.Status.choices)
    version = forms.IntegerField(min_value=0)
    note = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    # The links are checked by the review service when the verdict is recorded (one parser).
    evidence = forms.CharField(required=False, max_length=25_000, widget=forms.Textarea(attrs={"rows": 2}))


class AttributionForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    attribution = forms.ChoiceField(label=_("Attribution"), choices=Claim.Attribution.choices)
    speaker = forms.ModelChoiceField(
        label=_("Speaker"),
        queryset=Source.objects.exclude(kind=Source.Kind.OUTLET),
        required=False,
        empty_label=_("— none —"),
    )
    new_speaker = forms.CharField(label=_("…or a new speaker"), max_length=200, required=False)
    outlet = forms.ModelChoiceField(
        label=_("Outlet"),
        queryset=Source.objects.filter(kind=Source.Kind.OUTLET),
        required=False,
        empty_label=_("— none —"),
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=0)


class SplitForm(VersionForm):
    at = forms.IntegerField(min_value=1, required=False)
    before = forms.CharField(max_length=500, required=False, strip=False)

    def split_point(self, claim: Claim) -> int:
        """Where to split: an explicit offset, or the first place the given words start."""
        if self.cleaned_data.get("at"):
            return self.cleaned_data["at"]
        words = (self.cleaned_data.get("before") or "").strip()
        index = claim.text.find(words, 1) if words else -1
        if index < 0:
            raise CorrectionRefused(_("Those words are not in the claim after its first character."))
        return index


# --- The source registry (the checks are the registry service's, whose messages name the limit) ---


class SourceForm(forms.Form):
    """A registry entry's fields; :func:`verify.services.registry.source_create` checks them."""

    name = forms.CharField(
        label=_("Name"), required=False, widget=forms.TextInput(attrs={"maxlength": 200, "required": True})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Source.Kind.choices, initial=Source.Kind.OUTLET)
    country = forms.CharField(
        label=_("Country (ISO code)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 2, "size": 3, "autocapitalize": "characters"}),
    )
    state_affiliated = forms.BooleanField(label=_("State-affiliated"), required=False)


class AliasForm(forms.Form):
    alias = forms.CharField(
        label=_("Another spelling"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200, "required": True}),
    )


class SourceMergeForm(forms.Form):
    """Which sources to merge into this one: ticked among the possible duplicates, or one named."""

    others = forms.ModelMultipleChoiceField(queryset=Source.objects.all(), required=False)
    other_name = forms.CharField(label=_("…or the name of another source"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        name = (data.get("other_name") or "").strip()
        others = list(data.get("others") or [])
        if name:
            named = (
                Source.objects.filter(name=name).first() or Source.objects.filter(aliases__alias=name).first()
            )
            if named is None:
                raise forms.ValidationError(_("No source is named “%(name)s”."), params={"name": name})
            others.append(named)
        if not others:
            raise forms.ValidationError(_("Tick a source to merge into this one, or name one."))
        data["sources"] = others
        return data
