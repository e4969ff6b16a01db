"""One normalisation for every text that enters the program (CLI, API, files, LLM answers).

NFKC folds look-alike forms (full-width letters, ligatures, no-break spaces) into plain
ones, and invisible characters are removed: Unicode tag characters (U+E0000-E007F, used to
smuggle hidden instructions), zero-width characters, bidirectional controls (which make
text display in another order than it is stored) and control characters other than tab
and newline (terminal escape sequences). Applied once at the boundary, so everything
stored, compared, printed or emailed afterwards is the same visible text.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from typing import Any

_INVISIBLE = re.compile(
    "["
    "\U000e0000-\U000e007f"  # tag characters
    "\u200b-\u200f"  # zero-width space/non-joiner/joiner, LRM, RLM
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # bidi isolates
    "\u061c\u180e\u00ad\ufeff"  # Arabic letter mark, Mongolian vowel separator, soft hyphen, BOM
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # control characters except \t \n \r
    "]"
)


def clean_text(text: str) -> str:
    """``text`` in NFKC with invisible, bidi and control characters removed.

    Line breaks are kept (CRLF and a lone CR become LF); text that is already clean comes
    back unchanged.
    """
    if text.isascii() and text.isprintable():
        return text  # the common case: nothing to fold or remove
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", text)


def clean_value(value: Any) -> Any:
    """``value`` with :func:`clean_text` applied to every string in it (dicts, lists, tuples)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_value(v) for v in value)
    return value


def is_printable_name(text: str) -> bool:
    """Whether a (cleaned) name holds only printable characters: no controls, no invisibles."""
    return all(ch.isprintable() or ch == " " for ch in text) and not _INVISIBLE.search(text)


# Lowercase letters with no decomposition into a base letter plus accents.
FOLD_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d"}
)


def strip_accents(text: str) -> str:
    """``text`` with its combining accents dropped ("José" -> "Jose"); other letters kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_FAMILY_NAME_FIRST = re.compile(
    "[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"  # kana, Han, Hangul
    # Letters only Vietnamese spelling uses (ơ, ư, ă and the tone-marked vowels: "Đặng",
    # "Nguyễn"): Vietnamese names put the family name first. Đ alone is not counted: Croatian
    # and Serbian names ("Đorđe") put the given name first.
    "\u0102\u0103\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]"
)


def short_name(name: str, preferred: str | None = None) -> str:
    """How prose addresses a person: their ``preferred`` short name when one is stored.

    Else the name is read by a rule that never guesses from lists of surnames:
    "O'Brien-Ó Sé, Seán" (family name, comma, given name) -> "Seán"; a name in a script or
    spelling whose names put the family name first (Chinese, Japanese, Korean, Vietnamese:
    "李 伟", "Đặng Minh") stays whole, since which word is the given name cannot be told from
    the name alone; otherwise the first word ("Ana Silva" -> "Ana"). A user fixes a wrong
    guess by storing the short name (``coach pair add/set --mentee-short``).
    """
    if preferred and preferred.strip():
        return " ".join(preferred.split())
    words = name.split()
    if not words:
        return name
    if "," in name:
        given = name.split(",", 1)[1].split()
        if given:
            return given[0]
    if _FAMILY_NAME_FIRST.search(name):
        return " ".join(words)
    return words[0].rstrip(",") or words[0]


def name_forms(person: str, preferred: str | None = None) -> set[str]:
    """The names ``person`` goes by, casefolded; empty for a blank name.

    The full name, the name prose uses for them (:func:`short_name`, with their stored
    ``preferred`` short name), the full name's first word, or its last word for a name
    written family name first.
    """
    name = person.casefold()
    if not name.split():
        return set()
    known = {name, short_name(name), name.split()[0]}
    if _FAMILY_NAME_FIRST.search(name):
        known.add(name.split()[-1])  # "Minh" of "Đặng Minh": the given name comes last
    if preferred and preferred.strip():
        known.add(short_name(name, preferred.casefold()))
    return known


def names_person(owner: str, person: str, preferred: str | None = None) -> bool:
    """Whether an item's ``owner`` names ``person`` (:func:`name_forms`), case-insensitively."""
    who = owner.casefold().strip()
    return bool(who) and who in name_forms(person, preferred)


def mention_pattern(person: str, preferred: str | None = None) -> re.Pattern[str] | None:
    """Any of ``person``'s names (:func:`name_forms`) as a word of a text, longest first."""
    forms = sorted(name_forms(person, preferred), key=len, reverse=True)
    if not forms:
        return None
    alternatives = "|".join(re.escape(f) for f in forms)
    return re.compile(rf"(?<![\w@#])(?:{alternatives})(?!\w)", re.I)


def ascii_words(text: str) -> list[str]:
    """The lowercase ASCII words of ``text`` for ids: accents dropped ("José" -> "jose").

    Letters with no ASCII form (Cyrillic, Han...) are left out; callers give a fallback.
    """
    plain = strip_accents(text.lower().translate(FOLD_LETTERS))
    return re.findall(r"[a-z0-9]+", plain.replace("'", "").replace("’", ""))


# Conventional marks an author puts on a line that is not for sharing. A marked line is never
# quoted back (agenda, emails); it stays in the stored notes, which are the author's own.
_PRIVATE_MARK = re.compile(
    r"\b(?:confidential|private|privately|off[- ]the[- ]record"
    r"|between (?:us|you and me|the two of us)|do ?n[o']?t (?:share|repeat|mention)"
    r"|not (?:for|to) (?:share|sharing|be shared)"
    r"|keep (?:this|it) (?:to yourself|between us|quiet)|personal(?:ly)? only|for my eyes only)\b",
    re.IGNORECASE,
)


def shareable_lines(text: str) -> str:
    """``text`` without the lines its author marked private ("confidential", "off the record").

    A mark on a line of its own (a heading such as "Private:") covers the lines after it up to
    the next blank line.
    """
    kept: list[str] = []
    hidden = False
    for line in text.split("\n"):
        if not line.strip():
            hidden = False
        elif _PRIVATE_MARK.search(line):
            # A short line that is only the mark ("Private:", "-- confidential --") heads a block.
            hidden = len(re.findall(r"\w+", _PRIVATE_MARK.sub("", line))) == 0
            continue
        if not hidden:
            kept.append(line)
    return "\n".join(kept)


_INNER_QUOTE = re.compile(r"[\"“]([^\"“”]*)[\"”]")


def quoted(text: str) -> str:
    """``text`` in double quotes, its own quotes made single: “the ‘pager storm’ went well”.

    A quote that nests double quotes (“the "pager storm" went well”) reads as two quotes.
    """
    inner = _INNER_QUOTE.sub(r"‘\1’", text)
    return "“" + inner.replace('"', "’").replace("“", "‘").replace("”", "’") + "”"


_SECOND_PERSON = {"your": "their", "yours": "theirs", "yourself": "themselves"}


def for_other_reader(action: str) -> str:
    """An item worded for its owner ("Update your CV"), as read by someone else ("their CV").

    Stored items address their owner; shown under the owner's name to the other person of
    the pair, "your" would read as the reader's own.
    """

    def third(match: re.Match[str]) -> str:
        word = _SECOND_PERSON[match.group(0).lower()]
        return word.capitalize() if match.group(0)[0].isupper() else word

    return re.sub(r"\b(?:[Yy]ourself|[Yy]ours|[Yy]our)\b", third, action)


def zone_label(when: datetime) -> str:
    """``UTC`` or ``(UTC+01:00)``: the offset of an aware time, as the prep emails print it."""
    offset = when.utcoffset()
    if offset is None:
        return ""
    if offset == timedelta(0):
        return "UTC"
    zone = f"{when:%z}"  # e.g. +0200
    return f"(UTC{zone[:3]}:{zone[3:5]})"


def local_clock(when: datetime) -> str:
    """A stored time on this machine's clock with its offset: ``2026-12-22 05:00 (UTC-05:00)``.

    A time without an offset is read as this machine's local time.
    """
    local = when.astimezone()
    return f"{local:%Y-%m-%d %H:%M} {zone_label(local)}"
