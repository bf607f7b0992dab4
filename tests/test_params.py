"""Query and form parameters never make a 500: every list and export parameter goes through a
filter (verify/filters.py) and every URL through the one URL check (verify/services/urls.py).

The reported cases first (each failed before the fix), then a property test (Hypothesis) that
sends hostile values for every known parameter of every list and export page — huge and
Unicode-digit ids, NUL, dates at the edges of the calendar, date-times with odd offsets, long
strings — and accepts only 200 or 400. FUZZ_EXAMPLES sets the examples per page (default 200),
as in tests/fuzz/.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.base import FUZZ, login
from verify.filters import ExportFilter, ExportFilterError
from verify.models import Article, ReferenceLink, Source

THIRTY_DIGITS = "1" * 30
MAX_ID = 2**63 - 1  # the largest id a 64-bit primary key holds


@pytest.fixture
def reviewed(seed_article, reviewer):
    """The seed article with a verdict and a link, so the export's verdict filters have rows."""
    claim = seed_article.claims.order_by("order").first()
    claim.record_verdict(status="disputed", reviewer=reviewer, note="checked")
    ReferenceLink.objects.create(article=seed_article, claim=claim, url="https://wire.example/a")
    return seed_article


def body(response) -> bytes:
    """The whole response; a streamed one is read to the end, so a query that fails while
    streaming fails the test too."""
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- The reported cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("until", ["9999-12-31", "9999-12-31T23:59:59-23:59", "9999-12-31T23:00"])
def test_until_the_last_day_of_the_calendar_exports_everything(reviewed, viewer, until):
    response = login(viewer).get(reverse("verify:export_csv"), {"until": until})
    assert response.status_code == 200
    assert len(body(response).decode().splitlines()) == 2, "the header and the one reviewed claim"


@pytest.mark.parametrize("since", ["0001-01-01", "0001-01-01T00:00+23:59", "0001-01-01T00:00:00"])
def test_since_the_first_day_of_the_calendar_exports_everything(reviewed, viewer, since, settings):
    settings.TIME_ZONE = "Asia/Kolkata"  # a zone ahead of UTC: 0001-01-01 00:00 there is year 0 in UTC
    response = login(viewer).get(reverse("verify:export_csv"), {"since": since})
    assert response.status_code == 200
    assert len(body(response).decode().splitlines()) == 2


def test_the_export_filter_clamps_dates_beyond_the_calendar(reviewed):
    assert ExportFilter({"until": dt.date.max}).claims().count() == 1
    assert ExportFilter({"since": dt.date.min, "until": dt.date.min}).claims().count() == 0


@pytest.mark.parametrize("name", ["article", "outlet", "speaker", "reviewer"])
def test_an_id_beyond_64_bits_is_a_400_naming_the_parameter(reviewed, viewer, name):
    response = login(viewer).get(reverse("verify:export_csv"), {name: THIRTY_DIGITS})
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{name} {THIRTY_DIGITS}: not an id")
    assert f"{MAX_ID}" in response.content.decode(), "the message names the limit"


def test_the_largest_id_is_valid_and_matches_nothing(reviewed):
    assert ExportFilter({"article": str(MAX_ID)}).claims().count() == 0
    with pytest.raises(ExportFilterError, match="not an id"):
        ExportFilter({"article": str(MAX_ID + 1)}).claims()


def test_an_outlet_beyond_64_bits_on_the_article_list_is_ignored(reviewed, viewer):
    response = login(viewer).get(reverse("verify:article_list"), {"outlet": THIRTY_DIGITS})
    assert response.status_code == 200 and reviewed.title in response.content.decode()


def test_a_speaker_beyond_64_bits_on_the_review_page_matches_no_claim(reviewed, viewer):
    response = login(viewer).get(reviewed.get_absolute_url(), {"speaker": THIRTY_DIGITS})
    assert response.status_code == 200


@pytest.mark.parametrize("q", ["\x00", "Reu\x00ters"])
def test_a_nul_in_the_source_search_is_ignored(reviewed, viewer, q):
    response = login(viewer).get(reverse("verify:source_list"), {"q": q})
    assert response.status_code == 200 and "KCNA" in response.content.decode(), "the whole list"


def test_the_source_list_still_searches_and_filters_by_kind(reviewed, viewer):
    client = login(viewer)
    page = client.get(reverse("verify:source_list"), {"q": " reuters "}).content.decode()
    assert "Reuters" in page and "KCNA" not in page
    page = client.get(reverse("verify:source_list"), {"kind": Source.Kind.PERSON}).content.decode()
    assert "Reuters" not in page


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1/\x00", "https://wire.example/\x07bell", "http://a.example/\u202e"]
)
def test_a_link_with_a_control_character_is_refused_and_not_stored(reviewed, reviewer, url):
    claim = reviewed.claims.order_by("order").first()
    before = ReferenceLink.objects.count()
    response = login(reviewer).post(
        reverse("verify:claim_links", args=[claim.pk]), {"urls": url}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "control character" in response.content.decode()
    assert ReferenceLink.objects.count() == before


# --- A request over Django's size cap -------------------------------------------------------------


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG on", "DEBUG off"])
@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_paste_over_the_request_cap_gets_the_413_page_in_every_mode(editor, settings, debug, encoding):
    settings.DEBUG = debug  # `make run` has DEBUG on, where Django showed its technical 400 page
    client = login(editor, raise_request_exception=False)
    text = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    if encoding == "multipart":
        response = client.post(reverse("verify:article_new"), {"text": text, "title": ""})
    else:
        response = client.post(
            reverse("verify:article_new"),
            f"title=&text={text}",
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code == 413
    page = response.content.decode()
    assert "That was too large to send" in page and f"{settings.VERIFY_MAX_ARTICLE_CHARS:,}" in page
    assert "Traceback" not in page and "RequestDataTooBig" not in page
    assert not Article.objects.exists()


def test_ftp_is_refused_as_a_source_url_by_the_form(editor):
    response = login(editor).post(
        reverse("verify:article_new"),
        {"text": "AFP said the bridge reopened.", "title": "", "source_url": "ftp://files.example/a.txt"},
    )
    assert response.status_code == 400 and "is not an http(s) link" in response.content.decode()
    assert not Article.objects.exists()


# --- Every parameter of every list, with hostile values ------------------------------------------

ASCII_INTS = st.integers(min_value=-(10**40), max_value=10**40).map(str)
EDGE_INTS = st.sampled_from(
    [str(MAX_ID), str(MAX_ID + 1), str(2**64), "0", "-1", "00001", " 7 ", "1e9", "9" * 5000]
)
UNICODE_DIGITS = st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=25)
EDGE_DATES = st.sampled_from(
    ["0001-01-01", "9999-12-31", "0000-01-01", "10000-01-01", "2026-02-30", "2026-13-01", "99991231"]
)
DATES = st.dates().map(dt.date.isoformat)
OFFSET_MINUTES = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1)


def _with_offset(moment: dt.datetime, minutes: int, seconds: int) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    offset = f"{sign}{hours:02d}:{mins:02d}" + (f":{seconds:02d}" if seconds else "")
    return moment.isoformat() + offset


DATETIMES = st.builds(
    _with_offset,
    st.datetimes(min_value=dt.datetime.min, max_value=dt.datetime.max)
    | st.sampled_from([dt.datetime.min, dt.datetime.max]),
    OFFSET_MINUTES,
    st.integers(min_value=0, max_value=59),
) | st.datetimes().map(lambda d: d.isoformat() + "Z")
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
NULS = st.sampled_from(["\x00", "1\x00", "2026-01-01\x00", "disputed\x00", "\x00" * 50])
LONG = st.integers(min_value=2_000, max_value=20_000).map(lambda n: "9" * n) | st.text(
    min_size=2_000, max_size=3_000
)

HOSTILE = st.one_of(ASCII_INTS, EDGE_INTS, UNICODE_DIGITS, EDGE_DATES, DATES, DATETIMES, TEXT, NULS, LONG)


def values_for(valid: list[str]) -> st.SearchStrategy[str]:
    """Hostile values, and now and then a valid one (so the other parameters are tried beside it)."""
    return st.sampled_from(valid) | HOSTILE if valid else HOSTILE


PAGES = {
    "article list": (
        lambda a: reverse("verify:article_list"),
        {
            "state": ["unreviewed", "in_progress", "done"],
            "lang": ["hi", "en"],
            "outlet": [],
            "q": [],
            "page": [],
        },
    ),
    "csv export": (
        lambda a: reverse("verify:export_csv"),
        {
            "article": [],
            "status": ["disputed", "unreviewed"],
            "outlet": [],
            "speaker": [],
            "reviewer": [],
            "since": ["2020-01-01"],
            "until": ["2100-01-01"],
            "history": ["1"],
            "excel": ["1"],
        },
    ),
    "export page": (lambda a: reverse("verify:export_page"), {"article": [], "status": []}),
    "review page": (
        lambda a: a.get_absolute_url(),
        {"status": ["disputed", "excluded"], "outlet": [], "speaker": [], "attribution": ["explicit"]},
    ),
    "source list": (
        lambda a: reverse("verify:source_list"),
        {"q": [], "kind": ["outlet", "person"], "page": []},
    ),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_no_parameter_value_makes_a_500(reviewed, viewer, page):
    path_of, known = PAGES[page]
    path = path_of(reviewed)
    client = login(viewer)
    params = st.fixed_dictionaries({}, optional={name: values_for(valid) for name, valid in known.items()})

    @FUZZ
    @given(params=params)
    def check(params):
        response = client.get(path, params)
        assert response.status_code in (200, 400), (params, response.status_code)
        body(response)

    check()
