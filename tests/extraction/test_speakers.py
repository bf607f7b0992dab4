"""Speakers: the title kept apart from the name, and the kind of source (person, organisation, anonymous)."""

import pytest

from verify.extraction import default_registry, extract
from verify.extraction.lang import PACKS
from verify.extraction.speakers import describe


def first(text: str):
    return extract(text).claims[0]


@pytest.mark.parametrize(
    ("text", "speaker", "role"),
    [
        ("कृषि मंत्री शिवराज सिंह चौहान ने कहा कि किसानों को राहत मिलेगी।", "शिवराज सिंह चौहान", "कृषि मंत्री"),
        ("क्रेमलिन के प्रवक्ता दिमित्री पेसकोव ने कहा कि बातचीत उपयोगी रही।", "दिमित्री पेसकोव", "क्रेमलिन के प्रवक्ता"),
        ("Kremlin spokesman Dmitry Peskov said the talks were useful.", "Dmitry Peskov", "Kremlin spokesman"),
        (
            "Dmitry Peskov, the Kremlin spokesman, said the talks were useful.",
            "Dmitry Peskov",
            "the Kremlin spokesman",
        ),
        ("बकौल शहर के मेयर विताली क्लिट्स्को, हमले में दो लोग घायल हुए।", "विताली क्लिट्स्को", "शहर के मेयर"),
        ("पुलिस अधिकारी राम सिंह ने बताया कि जांच जारी है।", "राम सिंह", "पुलिस अधिकारी"),
        (
            "US Secretary of State Antony Blinken said Washington was concerned.",
            "Antony Blinken",
            "US Secretary of State",
        ),
    ],
)
def test_a_title_is_kept_apart_from_the_name(text, speaker, role):
    claim = first(text)
    assert (claim.speaker, claim.speaker_role, claim.speaker_kind) == (speaker, role, "person")


@pytest.mark.parametrize(
    "text",
    [
        "The minister said the bridge would reopen.",
        "मंत्री ने कहा कि पुल खुलेगा।",
        "पीटीआई के प्रवक्ता ने कहा कि रैली होगी।",
        "A spokesperson for the foreign ministry said the envoy had been summoned.",
        "विदेश मंत्रालय के प्रवक्ता ने कहा कि राजदूत को तलब किया गया।",
    ],
)
def test_a_title_alone_stays_the_speaker(text):
    claim = first(text)
    assert claim.speaker and claim.speaker_role is None and claim.speaker_kind == "person"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("एक अधिकारी ने कहा कि सौदा करीब है।", "एक अधिकारी"),
        ("अधिकारियों ने कहा कि सौदा करीब है।", "अधिकारियों"),
        ("सूत्रों ने कहा कि सौदा करीब है।", "सूत्रों"),
        ("दो सूत्रों ने कहा कि सौदा करीब है।", "दो सूत्रों"),
        ("विश्लेषकों का कहना है कि सौदा करीब है।", "विश्लेषकों"),
        ("People familiar with the matter said the deal was close.", "People familiar with the matter"),
        ("An official said the deal was close.", "An official"),
        ("A senior official said the deal was close.", "A senior official"),
        ("Analysts said the deal was close.", "Analysts"),
    ],
)
def test_unnamed_sources_are_anonymous(text, speaker):
    claim = first(text)
    assert (claim.speaker, claim.speaker_kind) == (speaker, "anonymous")


@pytest.mark.parametrize(
    "text",
    [
        "विदेश मंत्रालय ने कहा कि राजदूत को तलब किया गया।",
        "सरकार ने कहा कि राहत जारी है।",
        "पुलिस ने बताया कि जांच जारी है।",
        "सेना ने चेतावनी दी कि तनाव बढ़ सकता है।",
        "The Kremlin said the talks were useful.",
        "The health ministry said 12 people died.",
        "Police in Lahore said 45 people were arrested.",
        "पाकिस्तान तहरीक-ए-इंसाफ ने कहा कि रैली होगी।",
        "इस्लामाबाद में इमरान खान की पार्टी पीटीआई ने कहा कि रैली होगी।",
        "ईरान के सरकारी टेलीविजन ने बताया कि बातचीत जारी रहेगी।",
        "भारत ने कहा कि बातचीत होगी।",
        "Moscow said the talks would go on.",
    ],
)
def test_governments_ministries_parties_police_are_organisations(text):
    claim = first(text)
    assert claim.speaker and claim.speaker_role is None and claim.speaker_kind == "organisation"


def test_a_named_person_without_a_title_is_a_person():
    claim = first("पेस्कोव ने कहा कि बातचीत जारी है।")
    assert (claim.speaker, claim.speaker_role, claim.speaker_kind) == ("पेस्कोव", None, "person")


def test_no_speaker_no_kind():
    claim = first("बताया जा रहा है कि मंत्री इस्तीफा दे सकते हैं।")
    assert (claim.speaker, claim.speaker_role, claim.speaker_kind) == (None, None, None)
    assert first("कीव में सायरन बजते रहे।").speaker_kind is None


def test_inherited_and_pronoun_claims_carry_the_role_and_kind_of_their_root():
    claims = extract(
        "कृषि मंत्री शिवराज सिंह चौहान ने कहा कि राहत मिलेगी। इसके लिए कोष बना है। उन्होंने कहा कि काम जारी है।"
    ).claims
    assert [(c.attribution, c.speaker, c.speaker_role, c.speaker_kind) for c in claims] == [
        ("explicit", "शिवराज सिंह चौहान", "कृषि मंत्री", "person"),
        ("inherited", "शिवराज सिंह चौहान", "कृषि मंत्री", "person"),
        ("explicit", "शिवराज सिंह चौहान", "कृषि मंत्री", "person"),
    ]


def test_a_pronoun_after_an_organisation_does_not_take_it_for_a_person():
    claims = extract("विदेश मंत्रालय ने कहा कि बातचीत होगी। उन्होंने कहा कि तारीख तय नहीं है।").claims
    assert claims[1].speaker_unresolved and claims[1].speaker is None


def test_the_json_contract_has_role_and_kind():
    d = first("Kremlin spokesman Dmitry Peskov said the talks were useful.").as_dict()
    assert (d["speaker"], d["speaker_role"], d["speaker_kind"]) == (
        "Dmitry Peskov",
        "Kremlin spokesman",
        "person",
    )


@pytest.mark.parametrize(
    ("phrase", "lang", "name"),
    [
        ("General Motors", "en", "General Motors"),  # a company, no title
        ("the minister of state", "en", "the minister of state"),
        ("मंत्री के सलाहकार", "hi", "मंत्री के सलाहकार"),
    ],
)
def test_no_name_is_cut_out_of_a_phrase_that_has_none(phrase, lang, name):
    assert describe(phrase, PACKS[lang], default_registry()).name == name
