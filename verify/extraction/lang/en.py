"""English: wire-style "X said", "said X", "X told O", "according to X", "citing Y", hearsay."""

from __future__ import annotations

import regex

from verify.text import NOT_AFTER, NOT_BEFORE

from .. import furniture
from .pack import LanguagePack, alt, compile_frame, word

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

# Titles kept apart from a speaker's name ("Kremlin spokesman Dmitry Peskov").
ROLE_WORDS = frozenset(
    "spokesman spokeswoman spokesperson minister president premier secretary chancellor ambassador governor "
    "mayor senator chief director commander leader chairman chairwoman chair ceo executive analyst "
    "economist strategist professor envoy adviser advisor head lawmaker legislator representative lawyer "
    "attorney judge inspector superintendent commissioner deputy founder manager coach captain diplomat "
    "negotiator prosecutor researcher editor king queen prince princess sheikh".split()
)

FRAMES = (
    # "Interfax quoted Peskov as saying …" (the quoted person is read by the citing frame)
    compile_frame(
        "quoted_as",
        r"(?P<cue>"
        + word(("quoted",))
        + r")(?=(?:\s+[^\s,.;:!?]+){1,8}?\s+as\s+(?:saying|telling)"
        + NOT_BEFORE
        + ")",
        "left",
        triggers=("quoted",),
    ),
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
        "according_to",
        r"(?P<cue>" + word(("according to",)) + ")",
        "right",
        triggers=("according",),
        medium=True,
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
    # "Interfax quoted Peskov as saying …": the quoted is whom the outlet relays
    compile_frame(
        "quoted_as",
        word(("quoted",))
        + r"\s+(?P<agent>[^\s,.;:!?\"“”]+(?:\s+[^\s,.;:!?\"“”]+){0,7}?)\s+(?P<cue>as\s+(?:saying|telling))"
        + NOT_BEFORE,
        "group",
        triggers=("quoted",),
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
    # (object forms for "quoted him as saying")
    pronouns={"he": "person", "she": "person", "they": "any", "it": "thing", "him": "person", "them": "any"},
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
        "authorities newspaper broadcaster channel media service institute centre center television tv "
        "radio house pentagon".split()
    ),
    party_words=frozenset(
        "leader leaders spokesman spokeswoman spokesperson party chief chairman founder supporters workers "
        "activists lawmaker lawmakers candidate candidates senator members member".split()
    ),
    role_words=ROLE_WORDS,
    anonymous_heads=frozenset(
        "official officials source sources analyst analysts expert experts people person diplomat diplomats "
        "residents resident witnesses witness villagers insiders familiar observers economists employees "
        "scientist scientists doctors".split()
    ),
    role_links=frozenset("of for at 's the and".split()),
    outlet_anaphors=frozenset(
        (
            "agency",
            "news agency",
            "newspaper",
            "paper",
            "broadcaster",
            "wire service",
            "news service",
            "daily",
        )
    ),
    anaphor_particles=frozenset("the this that its by on in over at".split()),
    relayed_by=regex.compile(r",?\s*(?:as\s+)?(?:quoted|cited)\s+by\s+(?P<relay>[^,]+?)\s*(?:,|$)"),
    medium_verbs=frozenset(("reported",)),
    name_joiners=frozenset(("and", "&")),
    parenthetical=regex.compile(r",\s*(?:who|which)\s[^,;:\"“”]{1,100},\s*$"),
    non_source_heads=frozenset("plan schedule rules rule law tradition custom agreement deal".split()),
    boilerplate=furniture.patterns("en"),
    dateline=regex.compile(
        r"^(?P<place>\p{Lu}[\p{Lu}.'\- ]{1,30}(?:,\s*\p{Lu}[\p{L}.]+(?:\s+\p{Lu}[\p{L}.]+)?)?)"
        r"(?:,\s*(?P<date>" + alt(MONTHS) + r"\.?\s+\d{1,2}(?:,?\s*\d{4})?))?"
        r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?\s*(?P<sep>[-–—]+)\s*"
        # PTI's style, the place in title case and no dash: "New Delhi, Dec 2 (PTI) …"
        r"|^(?P<place>\p{Lu}[\p{L}.'\-]+(?:\s+\p{Lu}[\p{L}.'\-]+){0,2}),\s*"
        r"(?P<date>"
        + alt(MONTHS)
        + r"\.?\s+\d{1,2}(?:,?\s*\d{4})?)\s*\((?P<agency>[^()\n]{1,40})\)\s*(?:(?P<sep>[-–—:]+)\s*)?",
    ),
    captions=(
        regex.compile(r"^\s*" + _PHOTO_CREDIT),  # at the start of the text
        regex.compile(r"[(\[]\s*" + _PHOTO_CREDIT),  # "(Photo: KCNA)"
        regex.compile(r"(?:REUTERS|AFP|EPA|AP|Getty\s+Images|ANI|PTI)\s*/\s*\p{Lu}"),  # "REUTERS/Name"
    ),
)
