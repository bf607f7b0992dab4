"""Two-source chains, anaphora to an outlet, long subject-cue gaps, hedges, shared acronyms."""

import pytest

from verify.extraction import Registry, SourceEntry, default_registry, extract
from verify.extraction.ambiguity import ArticleContext

from .helpers import only

PTI_PARTY = SourceEntry(
    "Pakistan Tehreek-e-Insaf",
    kind="organisation",
    country="PK",
    aliases=("PTI", "पीटीआई", "तहरीक-ए-इंसाफ", "पाकिस्तान तहरीक-ए-इंसाफ", "Tehreek-e-Insaf"),
)
PTI_AGENCY = SourceEntry("PTI", country="IN", aliases=("Press Trust of India", "पीटीआई"))
REUTERS = SourceEntry("Reuters", country="GB", aliases=("रॉयटर्स",))
# Only the three entries the rule is about, so the tests do not lean on sources.json.
SHARED = Registry((PTI_AGENCY, REUTERS, PTI_PARTY))


@pytest.mark.parametrize(
    ("text", "speaker", "outlet"),
    [
        (
            "Prince Faisal said the kingdom would host the talks, according to the official Saudi Press Agency.",
            "Faisal",
            "Saudi Press Agency",
        ),
        (
            "Peskov said the talks would resume next week, the Interfax news agency reported.",
            "Peskov",
            "Interfax",
        ),
        ("The talks will resume next week, the Interfax news agency reported.", None, "Interfax"),
        ("The bridge has reopened, Reuters reported, citing two officials.", "two officials", "Reuters"),
        ("An analyst, quoted by Xinhua, said the economy would grow.", "An analyst", "Xinhua"),
        ("तास द्वारा उद्धृत एक अधिकारी ने कहा कि बातचीत जारी रहेगी।", "एक अधिकारी", "TASS"),
        ("रॉयटर्स के मुताबिक, जापानी रक्षा मंत्रालय ने कहा कि मिसाइल समुद्र में गिरी।", "जापानी रक्षा मंत्रालय", "Reuters"),
        ("समाचार एजेंसी आईएएनएस से बातचीत में कांग्रेस नेता पवन खेड़ा ने कहा कि सरकार विफल रही।", "पवन खेड़ा", "IANS"),
        ("कांग्रेस नेता पवन खेड़ा ने समाचार एजेंसी आईएएनएस से बातचीत में कहा कि सरकार विफल रही।", "पवन खेड़ा", "IANS"),
        ("शिन्हुआ ने पुलिस अधिकारियों का हवाला देते हुए बताया कि हमला रात में हुआ।", "पुलिस अधिकारियों", "Xinhua"),
        ("शिन्हुआ ने पुलिस अधिकारियों के हवाले से बताया कि हमला रात में हुआ।", "पुलिस अधिकारियों", "Xinhua"),
        ("Interfax quoted Peskov as saying that the talks were useful.", "Peskov", "Interfax"),
        ("TASS quoted a senior diplomat as saying the talks were useful.", "a senior diplomat", "TASS"),
        (
            "The Kremlin said on Tuesday, according to TASS, that the talks were useful.",
            "The Kremlin",
            "TASS",
        ),
        ("समाचार एजेंसी एएनआई से बात करते हुए भाजपा नेता संबित पात्रा ने कहा कि विपक्ष हताश है।", "संबित पात्रा", "ANI"),
    ],
)
def test_both_halves_of_a_chain_are_kept(text, speaker, outlet):
    claim = only(text)
    assert (claim.attribution, claim.speaker, claim.outlet) == ("explicit", speaker, outlet)


def test_a_cited_pronoun_is_resolved_to_the_previous_person():
    claims = extract("ज़ेलेंस्की ने कहा कि हम लड़ेंगे। एएफपी ने उनके हवाले से बताया कि यूक्रेन झुकेगा नहीं।").claims
    assert (claims[1].speaker, claims[1].outlet, claims[1].speaker_unresolved) == ("ज़ेलेंस्की", "AFP", False)


@pytest.mark.parametrize(
    "text",
    [
        "एपी ने बताया कि बाढ़ से 20 लोगों की मौत हुई। ग्रामीणों ने एजेंसी को बताया कि पानी तेजी से बढ़ा।",
        "Floods killed 20 people, AP reported. Villagers told the agency that the water rose quickly.",
    ],
)
def test_the_agency_is_the_outlet_named_before(text):
    second = extract(text).claims[1]
    assert (second.outlet, second.speaker_kind) == ("AP", "anonymous")
    assert second.speaker and second.speaker.casefold().startswith(("ग्रामीणों", "villagers"))


@pytest.mark.parametrize(
    "text",
    [
        "रॉयटर्स ने बताया कि हमला हुआ। एक अधिकारी ने एजेंसी से बात करते हुए कहा कि दो लोग मरे।",
        "Reuters reported the attack. An official said in an interview with the agency that two people died.",
    ],
)
def test_the_agency_as_a_channel(text):
    second = extract(text).claims[1]
    assert (second.outlet, second.speaker_kind) == ("Reuters", "anonymous")


def test_an_outlet_quoting_a_pronoun():
    claims = extract(
        "Peskov said the talks were useful, Interfax reported. The agency quoted him as saying the next round would be in May."
    ).claims
    assert (claims[1].speaker, claims[1].outlet) == ("Peskov", "Interfax")


def test_the_agency_as_source_becomes_the_outlet_not_a_speaker():
    second = extract("रॉयटर्स ने बताया कि हमला हुआ। एजेंसी ने कहा कि दो लोग मारे गए।").claims[1]
    assert (second.speaker, second.outlet) == (None, "Reuters")


def test_the_agency_falls_back_to_the_wire_credit():
    extraction = extract("MOSCOW (Reuters) - The agency said the talks had stalled.")
    assert extraction.wire_credit == "Reuters"
    assert (extraction.claims[0].speaker, extraction.claims[0].outlet) == (None, "Reuters")


def test_the_agency_with_nothing_to_point_at_stays_the_speaker():
    claim = only("एजेंसी ने कहा कि दो लोग मारे गए।")
    assert (claim.speaker, claim.outlet) == ("एजेंसी", None)


def test_a_long_gap_between_subject_and_cue():
    claim = only(
        "प्रधानमंत्री नरेंद्र मोदी ने सोशल मीडिया मंच ‘एक्स’ पर लिखे एक संदेश में सभी देशवासियों को बधाई दी "
        "और उनके योगदान के लिए धन्यवाद दिया और कहा कि देश आगे बढ़ेगा।"
    )
    assert (claim.attribution, claim.speaker, claim.speaker_role) == ("explicit", "नरेंद्र मोदी", "प्रधानमंत्री")


def test_the_gap_stays_bounded():
    filler = " ".join(["बहुत"] * 40)
    assert only(f"मंत्री ने {filler} कहा कि देश आगे बढ़ेगा।").attribution == "none"


def test_the_gap_does_not_cross_a_relative_clause_subject():
    claim = only("पुलिस ने उस व्यक्ति को पकड़ा जिसने कहा कि वह निर्दोष है।")
    assert claim.speaker != "पुलिस"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("यह जानकारी जिला कलेक्टर अजय कुमार ने संवाददाताओं को दी।", "अजय कुमार"),
        ("यह बात विदेश मंत्री एस जयशंकर ने संसद में कही।", "एस जयशंकर"),
    ],
)
def test_a_fronted_report_takes_the_ne_subject(text, speaker):
    assert only(text).speaker == speaker


def test_a_hedge_inside_a_sentence_does_not_swallow_its_speaker():
    claims = extract(
        "मृतकों की संख्या 12 बताई जा रही है, पुलिस ने कहा। पुलिस ने बताया कि घायलों की संख्या 20 बताई जा रही है।"
    ).claims
    assert [(c.speaker, c.hearsay) for c in claims] == [("पुलिस", False), ("पुलिस", False)]


def test_a_hedge_sentence_is_hearsay_not_inherited():
    claims = extract("पुलिस ने कहा कि पांच लोग मरे। घायलों की संख्या 20 बताई जा रही है।").claims
    assert (claims[1].attribution, claims[1].speaker, claims[1].hearsay) == ("explicit", None, True)


# --- Shared acronyms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    ["PTI leader Asad Umar", "पीटीआई नेता असद उमर", "पीटीआई के प्रवक्ता", "पीटीआई समर्थकों", "the PTI party"],
)
def test_a_party_word_makes_the_acronym_the_party(phrase):
    assert SHARED.find(phrase, None).canonical == "Pakistan Tehreek-e-Insaf"
    assert SHARED.find(phrase) is None  # no outlet there


@pytest.mark.parametrize(
    "text",
    [
        "लाहौर में पीटीआई ने कहा कि रैली होगी।",
        "इमरान खान की पाकिस्तान तहरीक-ए-इंसाफ ने रैली बुलाई। पीटीआई ने कहा कि रैली होगी।",
        "PTI said on Sunday that it would protest in Islamabad.",
    ],
)
def test_the_party_acts_in_an_article_about_pakistan(text):
    claim = extract(text, registry=SHARED).claims[-1]
    assert (claim.speaker, claim.outlet, claim.speaker_kind) in (
        ("पीटीआई", None, "organisation"),
        ("PTI", None, "organisation"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "पीटीआई ने बताया कि बैठक कल होगी।",
        "मंत्री ने पीटीआई से बातचीत में कहा कि बजट अच्छा है।",
        "इस्लामाबाद में पीटीआई के अनुसार, बैठक कल होगी।",
        "A Pakistani diplomat in Islamabad told PTI that the talks were useful.",
        "Lahore police arrested 20 people, PTI reported.",
        "लाहौर में पीटीआई ने खबर दी कि 20 लोग गिरफ्तार हुए।",
    ],
)
def test_the_agency_otherwise(text):
    assert extract(text, registry=SHARED).claims[-1].outlet == "PTI"


def test_an_indian_story_that_mentions_pakistan_keeps_the_agency():
    text = "भारत ने कहा कि पाकिस्तान की सेना ने गोलीबारी की। पीटीआई ने बताया कि नई दिल्ली में बैठक हुई।"
    assert extract(text, registry=SHARED).claims[-1].outlet == "PTI"


def test_the_article_context_reads_places_in_both_scripts():
    assert ArticleContext("लाहौर में रैली हुई").set_in("PK")
    assert ArticleContext("A rally in Rawalpindi").set_in("PK")
    assert not ArticleContext("नई दिल्ली में रैली हुई").set_in("PK")


def test_the_default_registry_reads_the_party_too():
    registry = default_registry()
    if not any(e.canonical == "Pakistan Tehreek-e-Insaf" for e in registry.entries):
        registry = registry.with_entries(PTI_PARTY)
    assert extract("पीटीआई नेता असद उमर ने कहा कि चुनाव में धांधली हुई।", registry=registry).claims[0].outlet is None
    assert extract("पीटीआई के मुताबिक, बैठक कल होगी।", registry=registry).claims[0].outlet == "PTI"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("An Indian official, who asked not to be named, said supplies were steady.", "An Indian official"),
        (
            '"We had near misses," said Capt. Denise Howard, a spokesperson for the pilots.',
            "Capt. Denise Howard",
        ),
        ("मौसम विभाग ने अनुमान जताया है कि इस बार सामान्य से अधिक ठंड पड़ेगी।", "मौसम विभाग"),
    ],
)
def test_source_phrases_around_clauses_and_abbreviations(text, speaker):
    assert only(text).speaker == speaker


def test_he_points_at_an_unnamed_analyst_not_past_him():
    claims = extract(
        "Shiny Mathew said the rules were welcome. Ahmed al-Qahtani, an analyst at the Gulf Policy Institute, "
        "quoted by Xinhua, said the reform would help. He said overstays could fall."
    ).claims
    assert "analyst" in claims[1].speaker and claims[1].outlet == "Xinhua"
    assert (claims[2].speaker, claims[2].outlet) == (claims[1].speaker, "Xinhua")


def test_a_quoted_credit_word_as_addressee_is_the_agency():
    claim = only("एक वरिष्ठ वैज्ञानिक ने नाम न छापने की शर्त पर ‘भाषा’ से कहा कि पैदावार घट सकती है।")
    assert (claim.speaker, claim.outlet, claim.speaker_kind) == ("एक वरिष्ठ वैज्ञानिक", "PTI", "anonymous")


def test_and_inside_a_capitalised_name_does_not_cut_it():
    claim = only(
        "The Ministry of Human Resources and Social Development said the change was part of reforms."
    )
    assert (claim.speaker, claim.speaker_kind) == (
        "The Ministry of Human Resources and Social Development",
        "organisation",
    )
    assert only("Prices rose and the minister said the bridge would reopen.").speaker == "the minister"
