"""Attribution frames, one construction per test, Hindi and English."""

import pytest

from verify.extraction import Registry, SourceEntry, default_registry, extract

from .helpers import only


@pytest.mark.parametrize(
    ("text", "speaker", "outlet"),
    [
        ("रॉयटर्स ने दो सूत्रों के हवाले से बताया कि सौदा हो गया है।", "दो सूत्रों", "Reuters"),
        ("पुलिस के अनुसार, हादसे में तीन लोग घायल हुए।", "पुलिस", None),
        ("तास के मुताबिक, बैठक सोमवार को होगी।", None, "TASS"),
        ("बकौल मंत्री राजनाथ सिंह, सेना पूरी तरह तैयार है।", "राजनाथ सिंह", None),
        ("विदेश मंत्रालय ने सोमवार को पुष्टि की कि राजदूत को तलब किया गया।", "विदेश मंत्रालय", None),
        ("सेना ने चेतावनी दी कि सीमा पर तनाव बढ़ सकता है।", "सेना", None),
        ("विपक्ष के नेता का कहना है कि चुनाव में धांधली हुई।", "विपक्ष के नेता", None),
        ("पेस्कोव ने रॉयटर्स को बताया कि बातचीत जारी है।", "पेस्कोव", "Reuters"),
        ("न्यूयॉर्क टाइम्स की रिपोर्ट में कहा गया है कि कंपनी घाटे में है।", None, "The New York Times"),
        ("कंपनी ने एक बयान में कहा कि उत्पादन बंद रहेगा।", "कंपनी", None),
        ('"हम पीछे नहीं हटेंगे," प्रधानमंत्री ने कहा।', "प्रधानमंत्री", None),
        (
            "Kremlin spokesman Dmitry Peskov said the talks were useful.",
            "Dmitry Peskov",
            None,
        ),
        ('"The talks were useful," said Dmitry Peskov.', "Dmitry Peskov", None),
        ("Peskov told Reuters that the talks were useful.", "Peskov", "Reuters"),
        ("According to the health ministry, 12 people died.", "the health ministry", None),
        ("Xinhua reported that the bridge had reopened.", None, "Xinhua"),
        ("The bridge has reopened, Reuters said, citing two officials.", "two officials", "Reuters"),
        ("The ministry said in a statement that the bridge had reopened.", "The ministry", None),
        ("The bridge had reopened, the mayor said.", "the mayor", None),
    ],
)
def test_explicit_frames(text, speaker, outlet):
    claim = only(text)
    assert (claim.attribution, claim.speaker, claim.outlet) == ("explicit", speaker, outlet)


@pytest.mark.parametrize(
    "text",
    [
        "बताया जा रहा है कि मंत्री इस्तीफा दे सकते हैं।",
        "सूत्रों के मुताबिक, मंत्री इस्तीफा दे सकते हैं।",
        "मंत्री ने कथित तौर पर इस्तीफा दे दिया है।",
        "The minister has reportedly resigned.",
        "The minister is said to have resigned.",
        "Sources said the minister had resigned.",
    ],
)
def test_agentless_hearsay_is_flagged(text):
    claim = only(text)
    assert claim.attribution == "explicit" and claim.hearsay and claim.outlet is None


def test_anonymous_sources_vouched_for_by_an_outlet_are_not_hearsay():
    claim = only("रॉयटर्स ने दो सूत्रों के हवाले से बताया कि सौदा हो गया है।")
    assert not claim.hearsay


@pytest.mark.parametrize(
    "text",
    [
        "पुतिन ने किम को रूस में बनी राइफल भेंट की।",
        "किम ने पुतिन को उत्तर कोरिया आने का निमंत्रण दिया।",
        "नियमों के अनुसार, बैठक हर महीने होती है।",
        "It is not clear what was said at the meeting.",
        "The company told employees to stay at home.",
        "Putin gave Kim a rifle made in Russia.",
    ],
)
def test_deeds_and_non_sources_are_not_attributions(text):
    claim = only(text)
    assert (claim.attribution, claim.speaker, claim.outlet) == ("none", None, None)


def test_cue_inside_a_quote_is_the_quoted_persons_words():
    claim = only('"सूत्रों के अनुसार यह गलत है," पेस्कोव ने कहा।')
    assert (claim.speaker, claim.hearsay) == ("पेस्कोव", False)


def test_speaker_keeps_descriptive_phrase_as_role():
    claim = only("क्रेमलिन के प्रवक्ता दिमित्री पेस्कोव ने कहा कि बातचीत उपयोगी रही।")
    assert (claim.speaker, claim.speaker_role) == ("दिमित्री पेस्कोव", "क्रेमलिन के प्रवक्ता")


@pytest.mark.parametrize("spelling", ["टीएएसएस", "तास", "टास", "TASS", "ТАСС"])
def test_outlet_spelling_variants_map_to_the_canonical_name(spelling):
    assert only(f"{spelling} के अनुसार, बैठक सोमवार को होगी।").outlet == "TASS"


def test_custom_registry_adds_an_outlet():
    text = "दैनिक प्रहरी के अनुसार, पुल सोमवार को खुलेगा।"
    assert extract(text).claims[0].outlet is None
    newsroom = default_registry().with_entries(
        SourceEntry("Dainik Prahari", kind="outlet", country="IN", aliases=("दैनिक प्रहरी",))
    )
    claim = extract(text, registry=newsroom).claims[0]
    assert (claim.outlet, claim.speaker) == ("Dainik Prahari", None)


def test_a_registry_without_an_outlet_does_not_recognise_it():
    bare = Registry(tuple(e for e in default_registry().entries if e.canonical != "Reuters"))
    claim = extract("Reuters reported that the bridge had reopened.", registry=bare).claims[0]
    assert (claim.outlet, claim.speaker) == (None, "Reuters")
