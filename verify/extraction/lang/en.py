"""English: wire-style "X said", "said X", "X told O", "according to X", "citing Y", hearsay."""

from __future__ import annotations

import regex

from verify.text import NOT_AFTER

from .pack import LanguagePack, alt, compile_frame, compile_lines, word

REPORTING_VERBS = (
    "said",
    "says",
    "told",
    "added",
    "noted",
    "stated",
    "warned",
    "claimed",
    "confirmed",
    "announced",
    "reported",
    "wrote",
    "tweeted",
    "posted",
    "insisted",
    "denied",
    "alleged",
    "explained",
    "argued",
    "acknowledged",
    "estimated",
    "predicted",
    "declared",
    "stressed",
    "cautioned",
    "revealed",
    "disclosed",
    "asserted",
    "maintained",
    "contended",
    "conceded",
    "admitted",
    "reiterated",
    "emphasised",
    "emphasized",
    "suggested",
    "indicated",
)
# Words that may sit between the subject and the verb: "Peskov also said", "the ministry on Tuesday said".
_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight)"
_ADVERBS = NOT_AFTER + (
    r"(?:(?:has|have|had|also|previously|later|earlier|again|then|repeatedly|separately|further|"
    r"(?:late|early)?\s*on\s+" + _DAYS + r"|" + _DAYS + r"|last\s+week|this\s+week)\s+)*"
)
_THAT = r"(?:\s+that(?![\p{L}]))?"
MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# A photo credit ("Photo:", "Photos by", "File photo/") after a caption's opening
_PHOTO_CREDIT = r"(?:AP\s+Photo|Photo|Photograph|Image|Picture|File\s+photo)s?\s*(?:[:/]|by\s)"

FRAMES = (
    # "told employees to leave" is an instruction, not a statement.
    compile_frame(
        "told",
        r"(?P<cue>"
        + _ADVERBS
        + r")(?P<verb>"
        + word(("told",))
        + r")(?!(?:\s+[^\s,.;]+){1,4}\s+(?:not\s+)?to\s)"
        r"(?P<obj>(?:\s+(?!that(?![\p{L}]))[^\s,.;:!?\"“”]+){1,5})?" + _THAT,
        "left",
        triggers=("told",),
    ),
    compile_frame(
        "said",
        r"(?P<cue>"
        + _ADVERBS
        + r")(?P<verb>"
        + word(v for v in REPORTING_VERBS if v != "told")
        + ")"
        + _THAT,
        "left",
        triggers=REPORTING_VERBS,
    ),
    # "…," said Peskov / "…," added the ministry
    compile_frame(
        "said_inverted",
        r"(?<=[,\"”]\s*)(?P<cue>" + word(("said", "says", "added", "told", "wrote")) + r")(?=\s+\S)",
        "right",
        triggers=("said", "says", "added", "told", "wrote"),
    ),
    compile_frame(
        "according_to", r"(?P<cue>" + word(("according to",)) + ")", "right", triggers=("according",)
    ),
    compile_frame(
        "hearsay",
        r"(?P<cue>"
        + word(("reportedly", "allegedly", "purportedly", "rumoured", "rumored"))
        + r"|"
        + word(("is", "are", "was", "were"))
        + r"\s+(?:said|reported|believed|thought|understood|alleged|claimed)\s+to"
        r"|"
        + word(("it is", "it was", "it has been", "it had been"))
        + r"\s+(?:reported|said|claimed|alleged|learnt|learned|believed|understood|rumoured|rumored)"
        + r")",
        "none",
        hearsay=True,
        triggers=(
            "reported",
            "alleged",
            "purported",
            "rumo",
            " said",
            "believed",
            "thought",
            "understood",
            "claimed",
            "learn",
        ),
    ),
)

CITING = (
    compile_frame(
        "citing", r"(?P<cue>" + word(("citing", "quoting")) + ")", "right", triggers=("citing", "quoting")
    ),
)

PACK = LanguagePack(
    code="en",
    sentencex_code="en",
    frames=FRAMES,
    citing=CITING,
    channels=(
        compile_frame(
            "channel",
            r"(?P<cue>"
            + word(
                (
                    "carried by",
                    "quoted by",
                    "published by",
                    "broadcast by",
                    "aired by",
                    "in an interview with",
                    "speaking to",
                    "told",
                )
            )
            + ")",
            "right",
            triggers=(" by ", "interview", "speaking", "told"),
        ),
    ),
    pronouns={"he": "person", "she": "person", "they": "any", "it": "thing"},
    honorifics=frozenset(
        ("mr", "mrs", "ms", "dr", "prof", "sir", "gen", "col", "lt", "capt", "sen", "rep", "gov")
    ),
    abbreviations=frozenset(
        (
            "mr.",
            "mrs.",
            "ms.",
            "dr.",
            "prof.",
            "gen.",
            "col.",
            "lt.",
            "capt.",
            "sen.",
            "rep.",
            "gov.",
            "st.",
            "jan.",
            "feb.",
            "aug.",
            "sept.",
            "sep.",
            "oct.",
            "nov.",
            "dec.",
            "no.",
            "u.s.",
            "u.k.",
            "u.n.",
        )
    ),
    boundary_words=frozenset(
        "that and but or while when whereas as because after before since although though if unless who which "
        "whom whose where so than whether what how why to is was were are be been said says told added".split()
    ),
    right_boundary_words=frozenset(
        "that which who whom where when while as and but on in at after before because".split()
    ),
    leading_words=frozenset(
        "also meanwhile however separately earlier later then now still but and yet moreover instead".split()
    ),
    passive_auxiliaries=frozenset("is are was were be been being".split()),
    unnamed_sources=frozenset(("sources", "source", "reports", "insiders", "familiar")),
    organisation_heads=frozenset(
        "ministry government police department agency commission company army military embassy office "
        "organisation organization committee board court kremlin administration party council bank group "
        "authorities newspaper broadcaster channel media service institute centre center".split()
    ),
    non_source_heads=frozenset("plan schedule rules rule law tradition custom agreement deal".split()),
    boilerplate=compile_lines(
        (
            (
                r"\[?\s*(?:advertisement|advertisements|advert|ad|sponsored|promoted)(?:[_ \-]?\d+)?\s*\]?",
                "advertisement",
            ),
            (r"source\s*(?:link|:\s*link)", "source link"),
            (
                r"comments?\s*\(\s*\d+\s*\)|\d+\s+comments?|view\s+comments|add\s+a\s+comment",
                "comment counter",
            ),
            (
                r"(?:share(?:\s+(?:this|on|via)(?:\s+\S+){0,4})?|follow\s+us(?:\s+\S+){0,5}|follow\s+(?:@|on\s)\S*(?:\s+\S+){0,4}"
                r"|subscribe(?:\s+\S+){0,6}|sign\s+up(?:\s+\S+){0,6}"
                r"|(?:facebook|twitter|whatsapp|telegram|linkedin|email|copy\s+link|x)(?:[\s|,/·•]+(?:facebook|twitter|whatsapp|telegram|linkedin|email|copy\s+link|x))+)",
                "share/follow",
            ),
            (r"(?:read\s+more|also\s+read|related(?:\s+stories)?|recommended)\s*[:\-–—]?.*", "related links"),
        )
    ),
    dateline=regex.compile(
        r"^(?P<place>\p{Lu}[\p{Lu}.'\- ]{1,30}(?:,\s*\p{Lu}[\p{L}.]+(?:\s+\p{Lu}[\p{L}.]+)?)?)"
        r"(?:,\s*(?P<date>" + alt(MONTHS) + r"\.?\s+\d{1,2}(?:,?\s*\d{4})?))?"
        r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?\s*[-–—]+\s*",
    ),
    captions=(
        regex.compile(r"^\s*" + _PHOTO_CREDIT),  # at the start of the text
        regex.compile(r"[(\[]\s*" + _PHOTO_CREDIT),  # "(Photo: KCNA)"
        regex.compile(r"(?:REUTERS|AFP|EPA|AP|Getty\s+Images|ANI|PTI)\s*/\s*\p{Lu}"),  # "REUTERS/Name"
    ),
)
