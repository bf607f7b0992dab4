"""Standard-library twins of `regex` patterns, for text of ASCII and Devanagari characters only.

The `regex` module reads ``\\p{L}`` and ``\\s`` by Unicode properties; the standard engine's
``\\w`` and ``\\b`` miss Devanagari vowel signs and its ``\\s`` takes U+001C-U+001F. On text made
only of ASCII and Devanagari characters, the classes spelled out below are exactly what the
`regex` module reads there, so a translated pattern finds the same matches, faster to start.
A pattern using anything else (other properties, ``\\d``, ``\\b``, a variable-width lookbehind)
gets no twin.
"""

from __future__ import annotations

import re

import regex

# A character that makes a text not simple: anything but printable ASCII, ASCII white space and
# Devanagari. Twins are valid on all ASCII and Devanagari text; this stricter class (several ranges,
# which compile to a table) is scanned about twice as fast.
OTHER_SCRIPTS = re.compile("[^\t\n\x0b\x0c\r\x20-\x7e\u0900-\u097f]")

_CHARS = [chr(c) for c in (*range(0x80), *range(0x900, 0x980))]


def _members(cls: str) -> str:
    """The ASCII and Devanagari characters ``cls`` matches, escaped for a character class."""
    return "".join(re.escape(ch) for ch in _CHARS if regex.match(cls, ch))


# \s as `regex` reads it, among ASCII characters (U+0085 and the rest are not ASCII)
_SPACE = "\\t\\n\\x0b\\x0c\\r "
_CLASSES = {
    r"[\p{L}\p{M}\p{N}]": "[" + _members(r"[\p{L}\p{M}\p{N}]") + "]",
    r"[\p{L}]": "[" + _members(r"[\p{L}]") + "]",
}
_DIGITS = _members(r"\d")
_PROPERTY = re.compile(r"\\p\{(\w+)\}")
_UNSUPPORTED_ESCAPES = frozenset("PXDwWbBNhHvVuUxAZzGKQEL0123456789mM")


def _property_members(name: str, ignore_case: bool) -> str | None:
    r"""``\p{name}`` as class members, or None if case-insensitive matching would change them."""
    members = _members(rf"\p{{{name}}}")
    if ignore_case and members != "".join(
        re.escape(ch) for ch in _CHARS if regex.match(rf"\p{{{name}}}", ch, regex.IGNORECASE)
    ):
        return None
    return members


def stdlib_twin(pattern: regex.Pattern) -> re.Pattern | None:
    """``pattern`` for the standard engine, valid on ASCII/Devanagari text, or None if it has none."""
    if pattern.flags & ~(regex.IGNORECASE | regex.UNICODE | regex.VERSION0 | regex.DEFAULT_VERSION):
        return None
    source = pattern.pattern
    for cls, members in _CLASSES.items():
        source = source.replace(cls, members)
    ignore_case = bool(pattern.flags & regex.IGNORECASE) or "(?i" in source
    out: list[str] = []
    i, n, in_class = 0, len(source), False
    while i < n:
        ch = source[i]
        if ch == "\\":
            esc = source[i : i + 2]
            if esc == r"\s":
                out.append(_SPACE if in_class else "[" + _SPACE + "]")
            elif esc == r"\d":
                out.append(_DIGITS if in_class else "[" + _DIGITS + "]")
            elif esc == r"\p":
                prop = _PROPERTY.match(source, i)
                members = _property_members(prop.group(1), ignore_case) if prop else None
                if members is None:
                    return None
                out.append(members if in_class else "[" + members + "]")
                i = prop.end()
                continue
            elif esc == r"\S" and not in_class:
                out.append("[^" + _SPACE + "]")
            elif (
                len(esc) < 2 or esc[1] in _UNSUPPORTED_ESCAPES or (esc[1].isalnum() and esc[1] not in "tnrfv")
            ):
                return None
            else:
                out.append(esc)
            i += 2
            continue
        if in_class:
            if ch == "[":
                return None  # a nested set means something else to `regex` (V1) and warns in `re`
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            out.append(ch)
            i += 1
            if source.startswith("^", i):
                out.append("^")
                i += 1
            if source.startswith("]", i):
                out.append("\\]")
                i += 1
            continue
        out.append(ch)
        i += 1
    try:
        return re.compile("".join(out), re.IGNORECASE if pattern.flags & regex.IGNORECASE else 0)
    except re.error:
        return None


_NOT_AFTER_WORD = "(?<!" + _CLASSES[r"[\p{L}\p{M}\p{N}]"] + ")"


def without_leading_lookbehind(twin: re.Pattern) -> re.Pattern | None:
    """``twin`` less the "no word character before" check it opens with (in group ``cue`` or not).

    The standard engine cannot skip ahead to a pattern's possible first characters when it opens
    with a lookbehind, so it tries every position; without it, it can. The caller checks the
    character before a match itself (see :func:`verify.extraction.frames.find_all`).
    """
    source = twin.pattern
    for head in ("(?P<cue>", ""):
        if source.startswith(head + _NOT_AFTER_WORD):
            return re.compile(head + source[len(head) + len(_NOT_AFTER_WORD) :], twin.flags)
    return None
