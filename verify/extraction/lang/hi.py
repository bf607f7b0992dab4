"""Hindi: reporting frames around ने, के अनुसार / के मुताबिक / बकौल, के हवाले से, passives."""

from __future__ import annotations

import regex

from verify.text import NOT_AFTER, NOT_BEFORE

from .. import furniture
from .pack import LanguagePack, alt, compile_frame, lit, word

# Past-tense reporting verbs that take an ergative (ने) subject. Deeds ("भेंट की", "निमंत्रण
# दिया") are deliberately absent: "पुतिन ने … राइफल भेंट की" reports an act, not a statement.
REPORTING_VERBS = (
    "कहा",
    "बताया",
    "दावा किया",
    "पुष्टि की",
    "चेतावनी दी",
    "घोषणा की",
    "ऐलान किया",
    "आरोप लगाया",
    "जानकारी दी",
    "स्पष्ट किया",
    "साफ किया",
    "खुलासा किया",
    "इनकार किया",
    "इंकार किया",
    "दोहराया",
    "लिखा",
    "ट्वीट किया",
    "पोस्ट किया",
    "सूचना दी",
    "रिपोर्ट दी",
    "रिपोर्ट किया",
    "उल्लेख किया",
    "संकेत दिया",
    "अनुमान लगाया",
    "आश्वासन दिया",
    "जोर देकर कहा",
    "रेखांकित किया",
    "स्वीकार किया",
    "जवाब दिया",
    "तर्क दिया",
    "बयान दिया",
    "कहा था",
    "खबर दी",
    "बयान जारी किया",
    # stances voiced ("मौसम विभाग ने अनुमान जताया है कि …")
    "अनुमान जताया",
    "उम्मीद जताई",
    "आशंका जताई",
    "चिंता जताई",
    "भरोसा जताया",
    "विश्वास जताया",
    "संभावना जताई",
)
# A sentence without one of these words has no reporting verb: the ने frame need not run.
VERB_STEMS = tuple({v.split()[0].replace("\u093c", "") for v in REPORTING_VERBS})
PASSIVE_STEMS = ("कहा ग", "बताया ग", "किया ग")
HABITUAL_VERBS = ("कहते", "कहती", "कहता", "बताते", "बताती", "बताता", "मानते", "मानती", "मानता")
STANCE_NOUNS = ("कहना", "मानना", "दावा", "आरोप", "अनुमान", "तर्क")
REPORT_NOUNS = ("रिपोर्ट", "बयान", "खबर", "ख़बर", "लेख", "विज्ञप्ति", "ट्वीट", "पोस्ट", "संदेश", "प्रेस विज्ञप्ति")
SUBJECT_PRONOUNS = {"उन्होंने": "person", "इन्होंने": "person", "उसने": "any", "इसने": "any"}
POSSESSIVE_PRONOUNS = {
    "उनका": "person",
    "उनके": "person",
    "इनका": "person",
    "इनके": "person",
    "उसका": "any",
    "उसके": "any",
    "इसका": "any",
    "इसके": "any",
}
MONTHS = (
    "जनवरी",
    "फरवरी",
    "मार्च",
    "अप्रैल",
    "अप्रेल",
    "मई",
    "जून",
    "जुलाई",
    "अगस्त",
    "सितंबर",
    "सितम्बर",
    "अक्टूबर",
    "अक्तूबर",
    "नवंबर",
    "नवम्बर",
    "दिसंबर",
    "दिसम्बर",
)

_KI = r"(?:\s+" + NOT_AFTER + "कि" + NOT_BEFORE + ")?"
_AUX = r"(?:\s+" + alt(("है", "हैं", "था", "थे", "थी", "थीं")) + NOT_BEFORE + ")?"
# Up to twelve words between ने and the verb ("ने संवाददाताओं से", "ने एक बयान में", "ने रॉयटर्स को"),
# never another clause's ने, कि or ergative pronoun, never past the end of a sentence; up to
# thirty where the sentence has a long construction's marker ("ने ‘एक्स’ पर लिखे संदेश में …
# धन्यवाद दिया और कहा कि"). Lazy and bounded: each ने costs at most that many tries of the
# verb trie, and the long gap runs only on sentences with a marker.
CLAUSE_SUBJECTS = ("ने", "कि", "जिन्होंने", "जिसने", "उन्होंने", "इन्होंने", "उसने", "इसने")
LONG_GAP_MARKERS = (
    "और कहा",
    "और बताया",
    "और दावा",
    "और चेतावनी",
    "और जोर",
    "साथ ही कहा",
    "संदेश में",
    "पोस्ट में",
    "ट्वीट में",
    "भाषण में",
    "संबोधन में",
)


def _gap(words: int) -> str:
    """Up to ``words`` words between ने and the verb (see above)."""
    return r"(?P<obj>(?:\s+(?!" + alt(CLAUSE_SUBJECTS) + NOT_BEFORE + r")[^\s।!?]+){0," + str(words) + "}?)"


_GAP = _gap(12)
_LONG_GAP = _gap(30)
# "…सौंपने को कहा" (asked to submit) after an infinitive is an instruction, not a statement.
_VERB = r"(?<!ने को)\s+(?P<verb>" + alt(REPORTING_VERBS) + NOT_BEFORE + _AUX + _KI + ")"
_PASSIVE_SAY = alt(("कहा", "बताया", "दावा किया")) + r"\s+" + alt(("गया", "गई")) + NOT_BEFORE + _AUX + _KI

# "यह जानकारी जिला कलेक्टर ने दी", "यह बात मंत्री ने कही": the report is fronted, the agent is
# the ने subject between it and the verb.
FRONTED_REPORTS = ("यह जानकारी", "ये जानकारी", "इसकी जानकारी", "यह सूचना", "इसकी सूचना", "यह बात", "ये बातें")
FRONTED_VERBS = ("दी", "दी है", "दी थी", "कही", "कही है", "कहीं")

FRAMES = (
    compile_frame(
        "fronted_report",
        word(FRONTED_REPORTS)
        + r"\s+(?P<agent>[^\s।!?,]+(?:\s+(?!ने"
        + NOT_BEFORE
        + r")[^\s।!?,]+){0,9}?)\s+(?P<cue>ने"
        + NOT_BEFORE
        + ")"
        + _GAP
        + r"\s+(?P<verb>"
        + alt(FRONTED_VERBS)
        + NOT_BEFORE
        + ")",
        "group",
        triggers=FRONTED_REPORTS,
    ),
    compile_frame(
        "ne_pronoun",
        r"(?P<cue>" + NOT_AFTER + r"(?P<agent>" + alt(SUBJECT_PRONOUNS) + "))" + _GAP + _VERB,
        "group",
        triggers=("होंने", "सने"),
    ),
    compile_frame(
        "ne",
        r"(?P<cue>" + NOT_AFTER + "ने" + NOT_BEFORE + ")" + _GAP + _VERB,
        "left",
        triggers=VERB_STEMS,
    ),
    compile_frame(
        "ne_pronoun_long",
        r"(?P<cue>" + NOT_AFTER + r"(?P<agent>" + alt(SUBJECT_PRONOUNS) + "))" + _LONG_GAP + _VERB,
        "group",
        triggers=LONG_GAP_MARKERS,
    ),
    compile_frame(
        "ne_long",
        r"(?P<cue>" + NOT_AFTER + "ने" + NOT_BEFORE + ")" + _LONG_GAP + _VERB,
        "left",
        triggers=LONG_GAP_MARKERS,
    ),
    compile_frame(
        "stance_pronoun",
        r"(?P<cue>"
        + NOT_AFTER
        + r"(?P<agent>"
        + alt(POSSESSIVE_PRONOUNS)
        + r")\s+"
        + alt(STANCE_NOUNS)
        + r"\s+"
        + alt(("है", "था", "रहा है"))
        + NOT_BEFORE
        + _KI
        + ")",
        "group",
        triggers=("नका", "सका", "नके", "सके"),
    ),
    compile_frame(
        "stance",
        r"(?P<cue>"
        + word(("का", "की", "के"))
        + r"\s+"
        + alt(STANCE_NOUNS)
        + r"\s+"
        + alt(("है", "था", "रहा है"))
        + NOT_BEFORE
        + _KI
        + ")",
        "left",
        triggers=("कहना", "मानना", "दावा", "आरोप", "अनुमान", "तर्क"),
    ),
    compile_frame(
        "habitual",
        r"(?P<cue>" + word(HABITUAL_VERBS) + r"\s+" + alt(("हैं", "है", "थे", "था")) + NOT_BEFORE + _KI + ")",
        "left",
        triggers=("कहत", "बतात", "मानत"),
    ),
    compile_frame(
        "according_to_pronoun",
        r"(?P<cue>"
        + NOT_AFTER
        + r"(?P<agent>"
        + alt(("उनके", "उसके", "इनके", "इसके"))
        + r")\s+"
        + alt(("अनुसार", "मुताबिक"))
        + NOT_BEFORE
        + ")",
        "group",
        triggers=("अनुसार", "मुताबि"),
    ),
    compile_frame(
        "according_to",
        r"(?P<cue>" + word(("के", "की")) + r"\s+" + alt(("अनुसार", "मुताबिक")) + NOT_BEFORE + ")",
        "left",
        triggers=("अनुसार", "मुताबि"),
        medium=True,
    ),
    compile_frame("bakaul", r"(?P<cue>" + word(("बकौल",)) + ")", "right", triggers=("बकौल",)),
    compile_frame(
        "report_says",
        r"(?P<cue>"
        + word(("की", "के"))
        + r"\s+(?:एक\s+)?(?:(?:जारी|ताजा)\s+)?"
        + alt(REPORT_NOUNS)
        + r"\s+में\s+"
        + _PASSIVE_SAY
        + ")",
        "left",
        triggers=PASSIVE_STEMS,
    ),
    compile_frame(
        "on_behalf",
        r"(?P<cue>"
        + word(("की", "के"))
        + r"\s+"
        + alt(("ओर", "तरफ"))
        + r"\s+से\s+(?:जारी\s+)?(?:एक\s+)?(?:"
        + alt(REPORT_NOUNS)
        + r"\s+में\s+)?"
        + _PASSIVE_SAY
        + ")",
        "left",
        triggers=PASSIVE_STEMS,
    ),
    compile_frame(
        "citing_only",
        r"(?P<cue>" + word(("के",)) + r"\s+" + lit("हवाले") + r"\s+से" + NOT_BEFORE + ")",
        "left",
        triggers=("हवाले",),
    ),
    compile_frame(
        "hearsay",
        r"(?P<cue>"
        + NOT_AFTER
        + "(?:"
        + alt(("बताया", "बताई", "बताए", "कहा", "कही", "कहे", "माना", "मानी", "माने", "समझा"))
        + r"\s+(?:जा\s+(?:रहा|रही|रहे)|जाता|जाती|जाते)\s+"
        + alt(("है", "हैं"))
        + "|"
        + alt(("कथित तौर पर", "कथित रूप से", "खबरों की मानें तो", "ऐसी खबरें हैं"))
        + "|(?:"
        + alt(REPORT_NOUNS)
        + r"\s+में\s+)?"
        # "रिपोर्ट सौंपने को कहा गया है" (was told to submit): an instruction, not hearsay
        + r"(?<!"
        + NOT_AFTER
        + r"को\s+)"
        + _PASSIVE_SAY
        + ")"
        + NOT_BEFORE
        + ")",
        "none",
        hearsay=True,
        triggers=("जा रह", "जात", "कथित", "खबर", *PASSIVE_STEMS),
    ),
)

# "सरमा ने … सर्वेक्षण किया। उन्होंने कहा कि …": the doer of a deed is who a pronoun next points at.
ACTOR = compile_frame("actor", r"(?P<cue>" + NOT_AFTER + "ने" + NOT_BEFORE + ")", "left", triggers=("ने",))

CITING = (
    compile_frame(
        "citing",
        r"(?P<cue>" + word(("के",)) + r"\s+" + lit("हवाले") + r"\s+से" + NOT_BEFORE + ")",
        "left",
        triggers=("हवाले",),
    ),
    # "एएफपी ने उनके हवाले से बताया": the pronoun is resolved like a subject
    compile_frame(
        "citing_pronoun",
        r"(?P<cue>"
        + NOT_AFTER
        + r"(?P<agent>"
        + alt(("उनके", "उसके", "इनके", "इसके"))
        + r")\s+"
        + lit("हवाले")
        + r"\s+से"
        + NOT_BEFORE
        + ")",
        "group",
        triggers=("नके हवाले", "सके हवाले"),
    ),
    # "अखबार ने पुलिस अधिकारियों का हवाला देते हुए कहा"
    compile_frame(
        "citing_while",
        r"(?P<cue>"
        + word(("का", "की", "के"))
        + r"\s+"
        + lit("हवाला")
        + r"\s+"
        + alt(("देते", "देकर"))
        + r"(?:\s+हुए)?"
        + NOT_BEFORE
        + ")",
        "left",
        triggers=("हवाला",),
    ),
)

# Titles kept apart from a speaker's name ("कृषि मंत्री शिवराज सिंह चौहान").
ROLE_WORDS = frozenset(
    "मंत्री प्रधानमंत्री मुख्यमंत्री उपमुख्यमंत्री राष्ट्रपति उपराष्ट्रपति प्रवक्ता नेता अध्यक्ष उपाध्यक्ष सचिव "
    "महासचिव राजदूत उच्चायुक्त मेयर महापौर गवर्नर राज्यपाल निदेशक महानिदेशक प्रमुख कमांडर जनरल सांसद "
    "विधायक कलेक्टर जिलाधिकारी आयुक्त उपायुक्त अधीक्षक पुलिसअधीक्षक प्रबंधक सीईओ चेयरमैन संस्थापक प्रोफेसर "
    "विश्लेषक अर्थशास्त्री न्यायाधीश जज वकील अधिवक्ता कप्तान कोच सीनेटर चांसलर दूत सलाहकार प्रभारी "
    "थानाध्यक्ष एसपी डीएम एसएचओ".split()
)

BOUNDARY_WORDS = frozenset(
    "कि को में से पर तक ने और तथा एवं व लेकिन मगर परंतु परन्तु किंतु जबकि क्योंकि तो जब जो जिसे जिसने जिन्होंने "
    "यदि अगर बल्कि है हैं था थे थी थीं गया गई गए किया की? जहां जहाँ वहां वहाँ हुए हुई हुआ रहे रहा रही".replace(
        "की? ", ""
    ).split()
)
LEADING_WORDS = frozenset(
    "वहीं वहीँ इसके अलावा साथ ही इसी बीच दौरान हालांकि हालाँकि फिर अब तब इससे पहले बाद भी दूसरी ओर उधर इधर "
    "उसी दिन आज कल सोमवार मंगलवार बुधवार गुरुवार शुक्रवार शनिवार रविवार".split()
)

PACK = LanguagePack(
    code="hi",
    sentencex_code="hi",
    frames=FRAMES,
    citing=CITING,
    actor=ACTOR,
    channels=(
        compile_frame(
            "channel",
            r"(?P<cue>"
            + word(("को", "से"))
            + r"\s+(?:दिए\s+(?:एक\s+)?(?:इंटरव्यू|साक्षात्कार)\s+में|बातचीत\s+में|"
            + alt(("बात करते हुए", "बातचीत करते हुए", "बात करते समय", "बातचीत के दौरान"))
            + NOT_BEFORE
            + "))",
            "left",
            triggers=("इंटरव्यू", "साक्षात्कार", "बातचीत", "बात कर"),
        ),
    ),
    pronouns={**SUBJECT_PRONOUNS, **POSSESSIVE_PRONOUNS},
    honorifics=frozenset(("श्री", "श्रीमती", "सुश्री", "डॉ.", "डॉ", "प्रो.", "कुमारी", "जी", "साहब")),
    abbreviations=frozenset(("डॉ.", "प्रो.", "श्री.", "सं.", "नं.", "ई.", "रु.", "कं.", "लि.")),
    boundary_words=BOUNDARY_WORDS,
    right_boundary_words=frozenset("ने को कि और तथा जो जिसने".split()),
    leading_words=LEADING_WORDS,
    unnamed_sources=frozenset(("सूत्र", "सूत्रों", "खबरों", "खबरें", "रिपोर्टों", "रिपोर्ट्स", "अटकलों", "चर्चाओं")),
    organisation_heads=frozenset(
        "मंत्रालय सरकार पुलिस विभाग एजेंसी आयोग कंपनी सेना दूतावास कार्यालय संगठन समिति बोर्ड अदालत "
        "क्रेमलिन प्रशासन प्राधिकरण पार्टी परिषद बैंक संस्थान सचिवालय मीडिया चैनल अखबार टेलीविजन टीवी "
        "रेडियो हाउस पेंटागन".split()
    ),
    party_words=frozenset(
        "नेता नेताओं प्रवक्ता कार्यकर्ता कार्यकर्ताओं समर्थक समर्थकों प्रमुख पार्टी अध्यक्ष संस्थापक सांसद "
        "सांसदों उम्मीदवार उम्मीदवारों सदस्य सदस्यों".split()
    ),
    role_words=ROLE_WORDS,
    anonymous_heads=frozenset(
        "अधिकारी अधिकारियों सूत्र सूत्रों विश्लेषक विश्लेषकों विशेषज्ञ विशेषज्ञों जानकार जानकारों ग्रामीण "
        "ग्रामीणों निवासी निवासियों लोगों चश्मदीद चश्मदीदों प्रत्यक्षदर्शी प्रत्यक्षदर्शियों राजनयिक राजनयिकों "
        "कर्मचारी कर्मचारियों वैज्ञानिक वैज्ञानिकों डॉक्टरों पुलिसकर्मियों सैनिकों".split()
    ),
    role_links=frozenset("के की का एवं व और तथा".split()),
    outlet_anaphors=frozenset(
        ("एजेंसी", "समाचार एजेंसी", "न्यूज एजेंसी", "संवाद एजेंसी", "अखबार", "समाचार पत्र", "समाचारपत्र", "चैनल")
    ),
    anaphor_particles=frozenset("को से ने इस उस इसी उसी पर में भी ही".split()),
    relayed_by=regex.compile(r"^(?P<relay>.+?)\s+(?:के\s+)?द्वारा\s+उद्धृत(?:\s+|$)"),
    medium_verbs=frozenset(("खबर दी", "रिपोर्ट दी", "रिपोर्ट किया", "सूचना दी")),
    parenthetical=regex.compile(r",\s*(?:जो|जिन्होंने|जिसने)\s[^,;:]{1,100},\s*$"),
    non_source_heads=frozenset("नियम नियमों योजना कार्यक्रम परंपरा कानून समझौते समझौता शेड्यूल जरूरत मांग".split()),
    boilerplate=furniture.patterns("hi"),
    dateline=regex.compile(
        r"^(?P<place>[\p{L}\p{M}]+(?:[ \-][\p{L}\p{M}]+){0,2})(?:\s*(?=।\s*$)|\s*,\s*"
        r"(?:(?P<date>(?:\d{1,2}|"
        # PTI-Bhasha writes the day in words: "नई दिल्ली, दो दिसंबर (भाषा)"
        + alt(
            "एक दो तीन चार पांच छह सात आठ नौ दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह उन्नीस बीस "
            "इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस तीस इकतीस".split()
        )
        + r")\s+"
        + alt(MONTHS)
        + r"(?:\s*,?\s*\d{4})?|"
        + alt(MONTHS)
        + r"\s+\d{1,2}(?:\s*,?\s*\d{4})?)\s*)?"
        r"(?:\((?P<agency>[^()\n]{1,40})\))?)"
        # (the lookahead above: a bare "कीव।" alone on its line); "पटना, 3 मईः": the visarga ः as a colon
        r"\s*(?P<sep>[:ः\-–—।|]\s*)?",
    ),
    captions=(
        # "(फोटो: एएनआई)"
        regex.compile(
            r"[(\[]\s*" + alt(("फोटो", "तस्वीर", "चित्र", "फोटो साभार", "फोटो क्रेडिट")) + r"\s*[:：\-]"
        ),
        # "फाइल फोटो: …" at the start of the text
        regex.compile(r"^\s*" + alt(("फाइल फोटो", "प्रतीकात्मक तस्वीर", "फोटो")) + r"\s*[:：\-|]"),
    ),
    caption_final_words=frozenset(("में", "पर", "साथ", "दौरान", "से", "बीच")),
)
