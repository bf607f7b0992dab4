"""The registry data file: coverage of the wires, one ownership rule for the state flag, aliases
that name one outlet each and no common word, and the same file as the newest migration's."""

from __future__ import annotations

from collections import defaultdict

import pytest

from verify.extraction.registry import DATA_FILE, default_registry, read_entries
from verify.migrations import _0011_registry
from verify.text import has_devanagari, has_latin, match_key

STATE_OWNERSHIP = {"state", "public-service", "party-state", "de-facto-authority"}
OWNERSHIP = STATE_OWNERSHIP | {"private", "cooperative", "trust", "listed"}
# Names an entry of another kind shares on purpose: the agency PTI and the party PTI.
INTENDED_SHARED = {match_key("PTI"), match_key("पीटीआई")}
# Words that must never be an alias on their own: each is a common noun or name in Hindi or
# English text, and an alias matches as whole words anywhere in a source phrase.
# fmt: off
COMMON_WORDS = [
    "mint", "post", "times", "star", "nation", "sun", "express", "daily", "news", "today",
    "dawn", "mirror", "independent", "the independent", "the nation", "the post", "the star",
    "the sun", "herald", "tribune", "telegraph", "world", "press", "agency", "time", "radio",
    "petra", "hina", "mehr", "rai", "kan", "spiegel", "aap", "rss", "abc",
    "आज", "आज तक", "हिंदुस्तान", "हिन्दुस्तान", "भाषा", "समाचार", "खबर", "अखबार", "पत्रिका",
    "डॉन", "समा", "सबा", "सना", "साना", "हिना", "मेहर", "आप", "कान", "यूनियन", "जागरण", "भास्कर",
    "उजाला", "पोस्ट", "टाइम्स", "स्टार", "एक्सप्रेस", "डेली", "दैनिक", "न्यूज", "केसरी", "प्रभात",
    "ट्रिब्यून", "भारत", "रिपब्लिक", "राय", "वाम", "वफा", "अंतरा", "जीजी", "मिंट", "नेशन",
]
# Item 1 of the registry brief: every one must name an outlet (canonical name or alias).
MUST_HAVE = [
    # India and South Asia
    "PTI", "UNI", "IANS", "ANI", "Hindusthan Samachar", "The Hindu", "Indian Express",
    "Hindustan Times", "Times of India", "Dainik Jagran", "Amar Ujala", "Dainik Bhaskar", "NDTV",
    "Aaj Tak", "BBC Hindi", "Dawn News", "Geo News", "Express Tribune", "Prothom Alo",
    "The Daily Star BD", "Kathmandu Post", "Daily Mirror LK", "Himalayan Times", "Tolo News",
    "Pajhwok", "Khaama Press", "The Nation Pakistan", "ARY News", "Samaa", "bdnews24",
    "RSS Nepal", "Daily News Sri Lanka",
    # Middle East
    "MENA", "SPA", "Saudi Press Agency", "सऊदी प्रेस एजेंसी", "एसपीए", "WAM", "QNA", "KUNA", "BNA",
    "Oman News Agency", "Petra News Agency", "SANA news agency", "Iraqi News Agency", "INA",
    "Anadolu", "TRT", "IRNA", "Tasnim", "Fars", "Mehr News Agency", "ISNA", "Al-Masirah",
    "Saba News Agency", "Al Arabiya", "Al Jazeera", "Al-Manar", "Times of Israel", "Haaretz",
    "Jerusalem Post", "Ynet", "Kan News",
    # East Asia
    "Xinhua", "CGTN", "Global Times", "People's Daily", "China Daily", "CCTV", "KCNA",
    "Rodong Sinmun", "Yonhap", "KBS", "NHK", "Kyodo", "Jiji", "Asahi", "Yomiuri", "Nikkei",
    "Mainichi", "South China Morning Post", "Taipei Times", "CNA Taiwan",
    "Vietnam News Agency", "Philippine News Agency",
    # Europe and others
    "Ukrinform", "UNIAN", "Interfax", "Interfax-Ukraine", "RIA Novosti", "TASS", "Sputnik", "RT",
    "BelTA", "DPA", "ANSA", "EFE", "Europa Press", "PAP", "CTK", "BTA", "MTI", "APA", "Agerpres",
    "HINA news agency", "Tanjug", "Australian Associated Press", "Le Monde", "Le Figaro",
    "Der Spiegel", "Bild", "El País", "Corriere della Sera", "France 24", "RFI", "Euronews",
    "Politico", "Axios", "NPR", "PBS", "ABC News", "ABC Australia", "CBS", "NBC", "Fox News",
    "Sky News", "The Telegraph", "The Times", "द इंडिपेंडेंट", "The Economist", "Nikkei Asia",
    "Bloomberg", "CNBC", "AFP", "Reuters", "AP", "UPI", "Agência Brasil", "Télam",
]
# fmt: on

ENTRIES = read_entries()
OUTLETS = [e for e in ENTRIES if e["kind"] == "outlet"]


def names(entry: dict) -> list[str]:
    return [entry["canonical"], *entry.get("aliases", [])]


def test_the_registry_has_at_least_150_outlets():
    assert len(OUTLETS) >= 150
    assert len({e["canonical"] for e in ENTRIES}) == len(ENTRIES)  # canonical names are unique


@pytest.mark.parametrize("entry", OUTLETS, ids=lambda e: e["canonical"])
def test_every_outlet_has_a_country_both_scripts_and_an_owner(entry):
    assert len(entry["country"]) == 2 and entry["country"].isupper()
    assert any(has_latin(n) and not has_devanagari(n) for n in names(entry))
    assert any(has_devanagari(n) for n in names(entry))
    assert entry["ownership"] in OWNERSHIP
    assert entry["owner"].strip()


def test_state_affiliated_follows_from_ownership_alone():
    wrong = {
        e["canonical"]: (e["ownership"], e["state_affiliated"])
        for e in OUTLETS
        if e["state_affiliated"] != (e["ownership"] in STATE_OWNERSHIP)
    }
    assert wrong == {}
    # The rule's own examples (docs/registry.md): public-service broadcasters count, agencies
    # owned by member media do not; AFP is a state-created, state-funded public-law body.
    by_name = {e["canonical"]: e for e in OUTLETS}
    assert all(by_name[n]["state_affiliated"] for n in ("BBC", "Deutsche Welle", "NHK", "AFP", "KCNA"))
    assert not any(by_name[n]["state_affiliated"] for n in ("AP", "Kyodo", "dpa", "ANSA", "PTI"))


def test_no_alias_names_two_outlets_and_only_pti_is_shared_across_kinds():
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in ENTRIES:
        for name in names(entry):
            owners[match_key(name)].add(entry["canonical"])
    shared = {key: found for key, found in owners.items() if len(found) > 1}
    assert shared == {key: {"PTI", "Pakistan Tehreek-e-Insaf"} for key in INTENDED_SHARED}


def test_no_alias_is_a_common_word():
    common = {match_key(w) for w in COMMON_WORDS}
    found = {n for e in ENTRIES for n in names(e) if match_key(n) in common}
    assert found == set()
    assert "भाषा" not in names(next(e for e in ENTRIES if e["canonical"] == "PTI"))


def test_the_common_word_check_is_not_vacuous():
    """The comparison goes through the match key: a nukta or case variant is caught too."""
    common = {match_key(w) for w in COMMON_WORDS}
    assert match_key("Dawn") in common and match_key("डॉन") in common and match_key("आज") in common


@pytest.mark.parametrize("name", MUST_HAVE)
def test_every_must_have_outlet_is_named(name):
    entry = default_registry().find(name)
    assert entry is not None and entry.kind == "outlet"
    assert match_key(name) in {match_key(n) for n in (entry.canonical, *entry.aliases)}


def test_the_saudi_press_agency_answers_to_all_its_names():
    registry = default_registry()
    assert {registry.find(n).canonical for n in ("SPA", "Saudi Press Agency", "सऊदी प्रेस एजेंसी", "एसपीए")} == {
        "Saudi Press Agency"
    }


def test_the_party_pti_is_an_organisation_with_its_names():
    party = next(e for e in ENTRIES if e["canonical"] == "Pakistan Tehreek-e-Insaf")
    assert party["kind"] == "organisation" and party["country"] == "PK"
    assert {"PTI", "पीटीआई", "Tehreek-e-Insaf", "तहरीक-ए-इंसाफ", "पाकिस्तान तहरीक-ए-इंसाफ"} <= set(
        party["aliases"]
    )
    peskov = next(e for e in ENTRIES if e["canonical"] == "Dmitry Peskov")
    assert peskov["kind"] == "person"


def test_every_name_finds_its_own_entry():
    """Each canonical name and alias, looked up as a whole phrase, gives back its entry (no
    longer or earlier name of another entry swallows it); the shared PTI names are left to
    the extractor's choice by context."""
    registry = default_registry()
    lost = {}
    for entry in registry.entries:
        for name in (entry.canonical, *entry.aliases):
            if match_key(name) in INTENDED_SHARED:
                continue
            found = registry.find(name, kind=None)
            if found is not entry:
                lost[name] = (entry.canonical, found and found.canonical)
    assert lost == {}


def test_the_live_file_is_the_newest_migrations_frozen_copy():
    """``manage.py sync_registry`` (live file) and migration 0011 (frozen copy) agree; after
    editing the live file, freeze it in a new migration."""
    assert DATA_FILE.read_bytes() == _0011_registry.FROZEN.read_bytes()


@pytest.mark.parametrize(
    "phrase",
    [
        "Sana Khan",
        "Nityanand Rai",
        "Hina Rabbani Khar",
        "Evan Spiegel",
        "Naoto Kan",
        "Petra Kvitova",
        "the independent commission",
        "the nation's chief justice",
        "AAP leader Atishi",
        "RSS chief Mohan Bhagwat",
        "वाम दलों के नेता",
        "आप के नेता",
        "उनकी राय में",
        "डॉन दाऊद इब्राहिम",
        "आज तक किसी ने",
        "भाषा विशेषज्ञ",
        "हिंदुस्तान के लोग",
    ],
)
def test_names_of_people_and_common_phrases_are_no_outlet(phrase):
    """Speaker phrases and everyday words that look like outlet names stay speakers."""
    assert default_registry().find(phrase) is None
