"""Pronouns, inheritance, boilerplate, datelines, captions, languages and the match key."""

import pytest

from verify.extraction import detect_language, extract, match_key


def test_pronoun_resolves_to_the_nearest_person_speaker_of_the_paragraph():
    claims = extract("पेस्कोव ने कहा कि बातचीत उपयोगी रही। उन्होंने कहा कि अगली बैठक मास्को में होगी।").claims
    assert (claims[1].attribution, claims[1].speaker, claims[1].speaker_unresolved) == (
        "explicit",
        "पेस्कोव",
        False,
    )


def test_pronoun_reaches_back_one_paragraph_but_not_two():
    text = "Peskov said the talks were useful.\nHe said Putin would visit.\n"
    assert extract(text).claims[1].speaker == "Peskov"
    far = "Peskov said the talks were useful.\nThe talks lasted five hours.\nKim left on Friday.\nHe said Putin would visit.\n"
    last = extract(far).claims[3]
    assert (last.speaker, last.speaker_unresolved) == (None, True)


def test_pronoun_without_antecedent_is_left_unresolved():
    claim = extract("उन्होंने कहा कि राहत सामग्री की कोई कमी नहीं है।").claims[0]
    assert (claim.attribution, claim.speaker, claim.speaker_unresolved) == ("explicit", None, True)


def test_he_skips_organisations_but_it_does_not():
    text = "Peskov said talks went well. The ministry said the deal was close. He said Putin would sign. It said the deal was done."
    claims = extract(text).claims
    assert claims[2].speaker == "Peskov"
    assert claims[3].speaker == "Peskov" or claims[3].speaker == "The ministry"


def test_pronoun_points_at_the_doer_of_the_previous_sentence():
    claims = extract("मुख्यमंत्री सरमा ने इलाकों का दौरा किया। उन्होंने कहा कि मदद पहुंच रही है।").claims
    assert claims[0].attribution == "none"
    assert (claims[1].speaker, claims[1].speaker_role) == ("सरमा", "मुख्यमंत्री")


def test_unattributed_sentence_inherits_within_the_paragraph_only():
    text = "एएफपी ने बताया कि पुल टूट गया। दो लोग घायल हुए। बचाव कार्य जारी है।\nसरकार ने जांच शुरू की।\n"
    claims = extract(text).claims
    assert [c.attribution for c in claims] == ["explicit", "inherited", "inherited", "none"]
    assert [c.inherited_from for c in claims] == [None, 0, 0, None]
    assert claims[2].outlet == "AFP" and claims[3].outlet is None
    assert [c.paragraph for c in claims] == [0, 0, 0, 1]


def test_boilerplate_lines_are_removed_with_a_reason():
    text = "Advertisement\nThe bridge reopened.\nSource link\nComments (3)\nShare on WhatsApp\nFollow us on Twitter\n\n[विज्ञापन_2]\nटिप्पणी (0)\nस्रोत लिंक\n"
    result = extract(text)
    assert [c.text for c in result.claims] == ["The bridge reopened."]
    assert [r.reason for r in result.removed] == [
        "advertisement",
        "source link",
        "comment counter",
        "share/follow",
        "share/follow",
        "empty line",
        "advertisement",
        "comment counter",
        "source link",
    ]
    for r in result.removed:
        assert result.text[r.start : r.end] == r.text


def test_prose_that_starts_like_boilerplate_is_kept():
    text = "Shares of Tata Steel fell 3% on Monday.\nFollowing the talks, Kim left for Pyongyang.\n"
    assert len(extract(text).claims) == 2


def test_datelines_are_cut_off_and_not_read_as_sources():
    hi = extract("नई दिल्ली, 5 मार्च (पीटीआई) सरकार ने सोमवार को नई योजना शुरू की।")
    assert hi.claims[0].text.startswith("सरकार ने") and hi.claims[0].outlet is None
    assert (hi.removed[0].reason, hi.removed[0].text) == ("dateline", "नई दिल्ली, 5 मार्च (पीटीआई)")
    en = extract("MOSCOW, Sept 13 (Reuters) - Russia will resume grain exports next month.")
    assert en.claims[0].text.startswith("Russia will") and en.claims[0].attribution == "none"
    assert en.removed[0].text == "MOSCOW, Sept 13 (Reuters) -"


def test_photo_caption_is_one_claim_that_passes_nothing_on():
    text = "Kim and Putin at the Vostochny cosmodrome. (Photo: KCNA)\nThe talks lasted five hours.\n"
    claims = extract(text).claims
    assert len(claims) == 2 and claims[0].caption and claims[0].attribution == "none"
    assert claims[1].attribution == "none"


def test_sentences_keep_their_quotes_and_abbreviations():
    """One claim per sentence, inside a quotation too: its later sentences inherit its speaker,
    the closing mark stays with the sentence it closes; "डॉ." ends no sentence."""
    claims = extract('डॉ. सिंह ने कहा, "यह गलत है। हम जीतेंगे।" श्री किम आए।').claims
    assert [c.text for c in claims] == ['डॉ. सिंह ने कहा, "यह गलत है।', 'हम जीतेंगे।"', "श्री किम आए।"]
    assert [(c.attribution, c.speaker) for c in claims[:2]] == [
        ("explicit", "डॉ. सिंह"),
        ("inherited", "डॉ. सिंह"),
    ]


def test_a_quotation_whose_source_comes_last_names_it_in_each_sentence():
    """ "“A। B,” X ने कहा।": the first sentence is X's words too (cataphora), not the article's."""
    claims = extract(
        "“हम जीतेंगे। हम लड़ेंगे,” मंत्री ने कहा।\n“We will win. We will fight,” the minister said."
    ).claims
    assert [(c.attribution, c.speaker) for c in claims] == [
        ("explicit", "मंत्री"),
        ("explicit", "मंत्री"),
        ("explicit", "the minister"),
        ("explicit", "the minister"),
    ]


def test_a_cue_inside_a_quotation_over_two_sentences_is_the_quoted_words():
    """The second sentence of "X ने कहा, “A। विपक्ष ने कहा कि B।”" is X's, not the opposition's."""
    claims = extract("मंत्री ने कहा, “हम तैयार हैं। विपक्ष ने कहा था कि हम हारेंगे।”").claims
    assert [(c.attribution, c.speaker) for c in claims] == [("explicit", "मंत्री"), ("inherited", "मंत्री")]


def test_language_detection_and_mixed_text():
    assert detect_language("पुतिन ने कहा कि बातचीत उपयोगी रही।") == "hi"
    assert detect_language("Putin said the talks were useful.") == "en"
    result = extract(
        "पेस्कोव ने कहा कि बातचीत उपयोगी रही और अगली बैठक मास्को में होगी।\nReuters reported that talks lasted.\n"
    )
    assert result.language == "hi"
    assert (result.claims[0].speaker, result.claims[1].outlet) == ("पेस्कोव", "Reuters")
    assert extract("Putin said so.", lang="hi").language == "hi"


def test_offsets_point_into_the_nfc_text():
    decomposed = "पे\u0938\u094dकोव ने कहा कि ज\u093cरूरी है।"  # nukta written as a combining mark
    result = extract(decomposed)
    for claim in result.claims:
        assert result.text[claim.start : claim.end] == claim.text


def test_match_key_folds_devanagari_spelling_variants():
    assert match_key("पेस्कोव") == match_key("पेसकोव")
    assert match_key("हिन्दी") == match_key("हिंदी")
    assert match_key("ज़ेलेंस्की") == match_key("जेलेंस्की")
    assert match_key("चाँद") == match_key("चांद")
    assert match_key("कि\u200dम") == match_key("किम")
    assert match_key("Kim  Jong-Un") == match_key("kim jong un")
    assert match_key("पुतिन") != match_key("पेस्कोव")


@pytest.mark.parametrize(
    ("text", "captions"),
    [
        ("पुतिन और किम वोस्तोचनी में। (फोटो: एएनआई)\nबातचीत पांच घंटे चली।", [True, False]),
        ("File photo: Kim Jong Un in Pyongyang.\nThe talks lasted five hours.", [True, False]),
        ("फाइल फोटो: पुतिन मास्को में\nबातचीत पांच घंटे चली।", [True, False]),
        (
            "The talks lasted five hours.\nKim and Putin shake hands REUTERS/Ann Wang\nThey met.",
            [False, True, False],
        ),
        ("पुतिन किम के साथ मॉस्को में।\nबातचीत पांच घंटे चली।", [True, False]),  # short and verbless
        # a marker that must open the text ("File photo:") is prose further down
        ("The talks lasted five hours.\nFile photo: Kim Jong Un in Pyongyang.\n", [False, False]),
    ],
)
def test_caption_markers_of_every_pack(text, captions):
    assert [c.caption for c in extract(text).claims] == captions
