"""Hindi: reporting frames around ने, के अनुसार / के मुताबिक / बकौल, के हवाले से, passives."""

from __future__ import annotations

import regex

from verify.text import NOT_AFTER, NOT_BEFORE

from .pack import LanguagePack, alt, compile_frame, compile_lines, lit, word

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
# Up to ten words between ने and the verb ("ने संवाददाताओं से", "ने एक बयान में", "ने रॉयटर्स को"),
# never another clause's ने or कि, never past the end of a sentence.
_GAP = r"(?P<obj>(?:\s+(?!(?:ने|कि)" + NOT_BEFORE + r")[^\s।!?]+){0,10}?)"
_VERB = r"\s+(?P<verb>" + alt(REPORTING_VERBS) + NOT_BEFORE + _AUX + _KI + ")"
_PASSIVE_SAY = alt(("कहा", "बताया", "दावा किया")) + r"\s+" + alt(("गया", "गई")) + NOT_BEFORE + _AUX + _KI

FRAMES = (
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
        + alt(("बताया", "कहा", "माना", "समझा"))
        + r"\s+(?:जा\s+रहा|जाता)\s+है"
        + "|"
        + alt(("कथित तौर पर", "कथित रूप से", "खबरों की मानें तो", "ऐसी खबरें हैं"))
        + "|(?:"
        + alt(REPORT_NOUNS)
        + r"\s+में\s+)?"
        + _PASSIVE_SAY
        + ")"
        + NOT_BEFORE
        + ")",
        "none",
        hearsay=True,
        triggers=("जा रहा", "जाता", "कथित", "खबर", *PASSIVE_STEMS),
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
            r"(?P<cue>" + word(("को", "से")) + r"\s+(?:दिए\s+(?:एक\s+)?(?:इंटरव्यू|साक्षात्कार)\s+में|बातचीत\s+में))",
            "left",
            triggers=("इंटरव्यू", "साक्षात्कार", "बातचीत"),
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
        "क्रेमलिन प्रशासन प्राधिकरण पार्टी परिषद बैंक संस्थान सचिवालय मीडिया चैनल अखबार".split()
    ),
    non_source_heads=frozenset("नियम नियमों योजना कार्यक्रम परंपरा कानून समझौते समझौता शेड्यूल जरूरत मांग".split()),
    boilerplate=compile_lines(
        (
            (r"\[\s*" + lit("विज्ञापन") + r"(?:[_ \-]?\d+)?\s*\]|" + lit("विज्ञापन"), "advertisement"),
            (lit("स्रोत लिंक") + r"|" + lit("स्रोत") + r"\s*:?\s*(?:लिंक|link)", "source link"),
            (
                r"(?:"
                + lit("टिप्पणी")
                + "|"
                + lit("टिप्पणियां")
                + r")\s*\(\s*\d+\s*\)|\d+\s+(?:"
                + lit("टिप्पणी")
                + "|"
                + lit("टिप्पणियां")
                + ")",
                "comment counter",
            ),
            (r"(?:" + alt(("शेयर करें", "हमें फॉलो करें", "फॉलो करें", "शेयर")) + r")(?:\s+\S+){0,6}", "share/follow"),
            (alt(("ये भी पढ़ें", "यह भी पढ़ें", "इसे भी पढ़ें", "और पढ़ें", "ज़रूर पढ़ें")) + r"\s*[:\-–—]?.*", "related links"),
        )
    ),
    dateline=regex.compile(
        r"^(?P<place>[\p{L}\p{M}]+(?:[ \-][\p{L}\p{M}]+){0,2})\s*,\s*"
        r"(?:(?P<date>\d{1,2}\s+"
        + alt(MONTHS)
        + r"(?:\s*,?\s*\d{4})?|"
        + alt(MONTHS)
        + r"\s+\d{1,2}(?:\s*,?\s*\d{4})?)\s*)?"
        r"(?:\((?P<agency>[^()\n]{1,40})\))?\s*(?:[:\-–—।|]\s*)?",
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
