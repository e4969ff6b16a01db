"""Due dates in session notes: find the phrase with a few rules, resolve it with ``dateparser``.

Rules only *find* a due phrase (so the caller can also strip it from the action) and settle the
conventions a parser cannot know; calendar arithmetic on real dates (weekdays, "tomorrow",
"15 December", "15/12/2026", "15.12.2026", "Dec 3rd, 2027") is left to ``dateparser`` with
``RELATIVE_BASE`` = the session date, ``PREFER_DATES_FROM`` = future and ``DATE_ORDER`` = DMY (so
slashes and dots read day first, as most of the world writes them). Nothing is downloaded.

Conventions (``S`` is the session date; weeks run Monday to Sunday):

* a weekday (``Friday``, ``by Fri``, ``(fri)``) is the first such day *after* S; ``next Friday``
  and ``Friday next week`` are that day in the week after S's week; ``a week on Friday`` adds 7.
* ``EOW``/``end of the week``/``this week`` is S's Friday (the next Friday from a weekend);
  ``next week``/``end of next week`` the Friday of next week; ``this weekend`` S's Sunday.
* ``end of the month``/``EOM`` its last day; ``end of next month`` the next month's last day.
* ``before our next session``/``by next time``/``when we next meet`` is the next session date when
  it is known, else no date (the phrase is still found, so it never ends up in an action).
* ``today``/``tonight``/``EOD``/``after lunch`` is S; ``in N days/weeks/months`` adds N.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

__all__ = ["NUMBER_WORDS", "DueMatch", "find_all_due", "find_due", "month_name_at", "resolve_due"]

# Shared with the simulation engine.
NUMBER_WORDS: dict[str, int] = {
    **dict.fromkeys(("a", "an", "one"), 1),
    **dict.fromkeys(("a couple of", "couple of", "a couple"), 2),
    **{
        w: n
        for n, w in enumerate(
            "two three four five six seven eight nine ten eleven twelve".split(), 2
        )
    },
}
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WD = r"(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?:day|nesday|urday|r?sday)?"
_MON = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|ember"
    r"|tember|ober)?"
)
_NUM = (
    r"(?:\d{1,3}|a couple of|couple of|a couple|an|a|one|two|three|four|five|six|seven|eight"
    r"|nine|ten|eleven|twelve)"
)
_ORD = r"(?:st|nd|rd|th)?"
_PRE = (
    r"(?:(?:by|b4|on|before|until|till|til|no later than|latest|at the latest by|due|for|around"
    r"|in time for|within|ahead of|over|during)\s+)?"
)
_SESSION = (
    r"(?:(?:before|b4|by|for|until|till|ahead of|at|in)\s+(?:(?:our|the|my|your)\s+)?)"
    r"(?:next\s+(?:session|meeting|mtg|call|1:1|1-1|one-on-one|catch-?up|sync|check-?in|time)"
    r"|next\s+week's\s+(?:session|meeting|call|1:1|catch-?up))"
    r"|(?:(?:before|by|until|till)\s+)?(?:next\s+time\s+we\s+(?:meet|talk|speak)"
    r"|(?:when\s+)?we\s+(?:next\s+meet|meet\s+again))"
    r"|next\s+time(?=\s*(?:[.!,;)]|$))"  # "I'll bring the book next time."
)
_B, _E = r"(?<![\w-])", r"(?![\w-])"
# After an ordinal, a noun makes it a rank ("the 3rd option"); a function word does not ("on the
# 17th and ...", "by the 15th at the latest").
_NOT_NOUN = (
    r"(?!\s+(?!(?:and|or|but|at|so|if|then|when|as|because|unless|once|latest|please)\b)[a-z])"
)
# (pattern, kind); the first kinds are conventions, "parse" goes to dateparser.
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_B + _SESSION + _E, re.I), "session"),
    (
        re.compile(_B + _PRE + r"(?:the\s+)?(?:end\s+of\s+)?next\s+(?:week|wk)" + _E, re.I),
        "nextweek",
    ),
    (
        re.compile(
            _B + _PRE + r"(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week|eow|this\s+week"
            r"|later\s+this\s+week)" + _E,
            re.I,
        ),
        "eow",
    ),
    (re.compile(_B + _PRE + r"(?:this\s+|the\s+)?weekend" + _E, re.I), "weekend"),
    (re.compile(_B + _PRE + r"(?:the\s+)?end\s+of\s+next\s+month" + _E, re.I), "eonm"),
    (
        re.compile(
            _B + _PRE + r"(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|eom|month[- ]end)" + _E,
            re.I,
        ),
        "eom",
    ),
    (
        re.compile(
            _B + _PRE + r"(?:eod|cob|end\s+of\s+(?:the\s+)?day)\s+(?:on\s+)?" + _WD + _E, re.I
        ),
        "weekday",
    ),
    (
        re.compile(
            _B + _PRE + r"(?:early|beginning\s+of|start\s+of)\s+next\s+(?:week|wk)" + _E, re.I
        ),
        "earlynext",
    ),
    (
        re.compile(
            _B + _PRE + r"(?:today|tonight|(?:eod|cob|end\s+of\s+(?:the\s+)?day)(?!\s+tomorrow)"
            r"|after\s+lunch|this\s+(?:morning|afternoon|evening))" + _E,
            re.I,
        ),
        "today",
    ),
    (re.compile(_B + _PRE + r"the\s+day\s+after\s+tomorrow" + _E, re.I), "parse"),
    (
        re.compile(
            _B
            + r"(?:in|within)\s+(?:the\s+next\s+)?(?P<n>"
            + _NUM
            + r")\s+(?P<unit>days?|weeks?|wks?|months?|fortnight)"
            + _E,
            re.I,
        ),
        "in",
    ),
    (
        re.compile(_B + _PRE + r"(?:a\s+week\s+on\s+" + _WD + r"|" + _WD + r"\s+week)" + _E, re.I),
        "weekon",
    ),
    (re.compile(_B + _PRE + r"the\s+" + _WD + r"\s+after\s+next" + _E, re.I), "afternext"),
    (
        re.compile(
            _B + _PRE + r"(?:next\s+" + _WD + r"|" + _WD + r"\s+(?:of\s+)?next\s+week)" + _E,
            re.I,
        ),
        "nextday",
    ),
    (
        re.compile(
            _B + _PRE + r"(?:" + _WD + r"\.?,?\s+)?(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
            r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}-\d{1,2}-\d{4}"
            r"|\d{1,2}"
            + _ORD
            + r"\s+(?:of\s+)?"
            + _MON
            + r"\.?(?:,?\s+\d{4})?|"
            + _MON
            + r"\.?\s+\d{1,2}"
            + _ORD
            + r"(?:,?\s+\d{4})?|\d{1,2}/\d{1,2}(?![/\d])(?!\.\d)|\d{1,2}\.\d{1,2}\.(?!\d)"
            r"|(?:(?<=\bby\s)|(?<=\bon\s)|(?<=\bdue\s)|(?<=\buntil\s))\d{1,2}\.\d{1,2}(?![/.\d]))"
            + _E,
            re.I,
        ),
        "parse",
    ),
    (re.compile(_B + _PRE + r"(?:the\s+)?end\s+of\s+(?P<month>" + _MON + r")" + _E, re.I), "eomn"),
    (
        re.compile(
            _B
            + _PRE
            + r"(?:"
            + _WD
            + r",?\s+)?the\s+(?P<nth>\d{1,2})(?:st|nd|rd|th)"
            + _NOT_NOUN
            + _E,
            re.I,
        ),
        "nth",
    ),
    # "by 7th": an ordinal after a due word is a day of the month even without "the".
    (
        re.compile(
            _B
            + r"(?:by|before|until|till|due|on)\s+(?P<nth>\d{1,2})(?:st|nd|rd|th)"
            + _NOT_NOUN
            + _E,
            re.I,
        ),
        "nth",
    ),
    # "Wed 9th", "Friday 11": the day number decides, the weekday only confirms it.
    (
        re.compile(_B + _PRE + _WD + r",?\s+(?P<nth>\d{1,2})" + _ORD + r"(?![\d/.:])" + _E, re.I),
        "nth",
    ),
    (
        re.compile(
            _B
            + _PRE
            + r"(?:(?:eod|cob|end\s+of\s+(?:the\s+)?day)\s+)?(?:the\s+day\s+after\s+)?"
            + r"(?:tom{1,2}or{1,2}ow|tmrw?|tmr)"  # and its common typos: "tomorow", "tommorow"
            + r"(?:\s+(?:morning|afternoon|evening|night|eod))?"
            + _E,
            re.I,
        ),
        "parse",
    ),
    (re.compile(_B + r"\(\s*(?:[a-z]+\s+)?" + _WD + r"\s*\)" + _E, re.I), "weekday"),
    (
        re.compile(
            _B
            + r"(?:(?:by|on|before|until|till|this|coming|due)\s+"
            + _WD
            + r"|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))(?!'s|s\b)"
            + r"(?:\s+(?:morning|afternoon|evening|night|eod))?"
            + _E,
            re.I,
        ),
        "weekday",
    ),
    # "at Thursday's staff meeting": a weekday's event after a due word dates the task.
    (
        re.compile(
            _B + r"(?:by|before|at|until|till|ahead\s+of|in\s+time\s+for)\s+(?:this\s+)?"
            r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)['’]s" + _E,
            re.I,
        ),
        "weekday",
    ),
    # A bare capitalised abbreviation ("→ LB, Mon"); not "Sat"/"Sun", which are words too.
    (re.compile(_B + r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri)\.?" + _E), "weekday"),
]
# Month names in other languages come from dateparser's locale data (loaded on first use, not at
# import); abbreviations that are also English words next to a number ("3 out of 5") are left out.
_FOREIGN_LANGUAGES = "de fr es it pt nl pl sv da nb ro cs sk tr id fi hu ca hr sl".split()
_ENGLISH_LOOKALIKES = frozenset(
    "out set mar may lip led pro gen ago bal mag mart des ara sat danes sutra huom".split()
)
_FOREIGN_DAYS: dict[str, int] = {}  # "demain": 1, "heute": 0; filled with the month names
_FOREIGN_WEEKDAYS: dict[str, int] = {}  # "freitag": 4, "viernes": 4 (Monday is 0); likewise
_WEEKDAYS = "monday tuesday wednesday thursday friday".split()  # weekend names are also names
_MONTHS = (
    "january february march april may june july august september october november december".split()
)


@cache
def _foreign_months() -> tuple[re.Pattern[str], dict[str, int]]:
    from dateparser.languages import default_loader

    month_of: dict[str, set[int]] = {}
    for language in _FOREIGN_LANGUAGES:
        info = default_loader.get_locale(language).info
        for number, month in enumerate(_MONTHS, 1):
            for name in info.get(month, []):
                if len(name) >= 3 and name.isalpha():
                    month_of.setdefault(name.lower(), set()).add(number)
    names = {
        n: next(iter(m))
        for n, m in month_of.items()
        if len(m) == 1 and n not in _ENGLISH_LOOKALIKES and not re.fullmatch(_MON, n, re.I)
    }
    days: dict[str, int] = {}
    for language in _FOREIGN_LANGUAGES:
        relative = default_loader.get_locale(language).info.get("relative-type", {})
        for key, offset in (("0 day ago", 0), ("in 1 day", 1), ("in 2 day", 2)):
            for word in relative.get(key, []):
                if (
                    word.isalpha()
                    and len(word) >= 4
                    and not re.fullmatch(r"to(?:day|morrow)", word)
                ):
                    days.setdefault(word.lower(), offset)
    for language in _FOREIGN_LANGUAGES:
        info = default_loader.get_locale(language).info
        for number, weekday in enumerate(_WEEKDAYS):
            for name in info.get(weekday, []):
                if len(name) >= 5 and name.isalpha() and not re.fullmatch(_WD, name, re.I):
                    _FOREIGN_WEEKDAYS.setdefault(name.lower(), number)
    _FOREIGN_DAYS.update(days)
    weekdays = "|".join(sorted(map(re.escape, _FOREIGN_WEEKDAYS), key=len, reverse=True))
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    days_alternatives = "|".join(sorted(map(re.escape, days), key=len, reverse=True))
    pattern = re.compile(
        _B
        + r"(?:(?:by|before|until|till|on|due|le|am|bis(?:\s+zum)?|al|el|il|do|den|tot|avant"
        + r"|hasta(?:\s+el)?|antes\s+del?|entro|voor|vóór|até|przed|innan)\s+)?"
        + r"(?:(?P<day>\d{1,2})\.?(?:\s+de\s+|\s*-\s*|\s+)(?P<month>"
        + alternatives
        + r")\.?(?:,?\s+(?:de\s+)?(?P<year>\d{4}))?"
        + r"|(?P<rel>"
        + days_alternatives
        + r")|(?P<wd>"
        + weekdays
        + r"))"
        + _E,
        re.I,
    )
    return pattern, names


def month_name_at(text: str, pos: int) -> bool:
    """Whether a month's name (English or another language's) starts at ``text[pos]``."""
    word = re.match(r"[^\W\d_]+", text[pos : pos + 20])
    if word is None:
        return False
    return bool(re.fullmatch(_MON, word.group(0), re.I)) or (
        word.group(0).lower() in _foreign_months()[1]
    )


_NOT_DUE_BEFORE = re.compile(
    r"\b(?:last|since|every|each|from)\s*$"
    r"|\b(?:mov|push|shift|postpon|reschedul|delay|bump)\w*\b[^.\n]*\bto\s*$",
    re.I,
)


_LATEST = re.compile(
    r",?\s+(?:at\s+the\s+(?:very\s+)?latest|latest|or\s+(?:earlier|sooner))\b", re.I
)


@dataclass(frozen=True)
class DueMatch:
    """A due phrase found in a text: where it is, what it says and the date it means."""

    start: int
    end: int
    phrase: str
    due: date | None


@cache
def _parse(text: str, base: date) -> date | None:
    import dateparser

    settings = {
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day"],
    }
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _weekday(text: str) -> int:
    found = re.search(_WD, text, re.I)
    return _DAYS.index(found.group(0)[:3].lower()) if found else 4


def _coming(s: date, weekday: int) -> date:
    return s + timedelta(days=(weekday - s.weekday() - 1) % 7 + 1)


def _friday(s: date, weeks: int = 0) -> date:
    friday = s - timedelta(days=s.weekday()) + timedelta(days=4 + 7 * weeks)
    return friday if friday >= s else friday + timedelta(days=7)


def _month_end(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(s: date, months: int) -> date:
    end = _month_end(s.year, s.month + months)
    return end.replace(day=min(s.day, end.day))


def _numeric(first: str, second: str, third: str | None, s: date) -> date | None:
    """A date written in digits: year first, else day first unless only month first is near.

    ``12/9`` said on 2 December is 9 December (an American note), not 12 September next year: a
    due date lies ahead of the session, so of the two readings the one within half a year wins,
    and day first wins when both (or neither) are.
    """
    readings: list[tuple[int | None, int, int]]
    if len(first) == 4:
        readings = [(int(first), int(second), int(third or 0))]
    else:
        year = int(third) if third else None
        if year is not None and year < 100:
            year += 2000
        readings = [(year, int(second), int(first)), (year, int(first), int(second))]
    return _nearest(readings, s)


def _nearest(readings: list[tuple[int | None, int, int]], s: date) -> date | None:
    """The first (year, month, day) reading due within half a year of ``s``, else the first."""
    found: list[date] = []
    for year, month, day in readings:
        try:
            candidate = date(year or s.year, month, day)
            if year is None and candidate < s - timedelta(days=7):
                candidate = date(s.year + 1, month, day)  # "8/1" said in December
        except ValueError:
            continue
        found.append(candidate)
    near = [d for d in found if s - timedelta(days=7) <= d <= s + timedelta(days=183)]
    return (near or found)[0] if found else None


def _resolve(kind: str, m: re.Match[str], s: date, next_session: date | None) -> date | None:
    words = m.group(0).lower()
    if kind == "session":
        return next_session
    if kind == "earlynext":
        return s - timedelta(days=s.weekday()) + timedelta(days=7)
    if kind == "nextweek":
        return s - timedelta(days=s.weekday()) + timedelta(days=11)
    if kind == "eow":
        return _friday(s)
    if kind == "weekend":
        return s + timedelta(days=6 - s.weekday())
    if kind == "eonm":
        return _month_end(s.year, s.month + 1)
    if kind == "eom":
        return _month_end(s.year, s.month)
    if kind == "today":
        return s
    if kind == "in":
        n = NUMBER_WORDS.get(m.group("n").lower()) or int(m.group("n"))
        unit = m.group("unit").lower()
        if unit.startswith("month"):
            return _add_months(s, n)
        return s + timedelta(
            days=n * (14 if unit == "fortnight" else 7 if unit.startswith("w") else 1)
        )
    if kind in {"weekon", "afternext", "nextday"}:
        coming = _coming(s, _weekday(words))
        monday_next = s - timedelta(days=s.weekday()) + timedelta(days=7)
        next_day = monday_next + timedelta(days=_weekday(words))
        return {
            "weekon": coming + timedelta(days=7),
            "afternext": next_day + timedelta(days=7),
        }.get(kind, next_day)
    if kind == "weekday":
        return _coming(s, _weekday(words))
    if kind == "foreign" and m.group("wd"):
        return _coming(s, _FOREIGN_WEEKDAYS[m.group("wd").lower()])
    if kind == "foreign" and m.group("rel"):
        return s + timedelta(days=_FOREIGN_DAYS[m.group("rel").lower()])
    if kind == "foreign":
        year = int(m.group("year")) if m.group("year") else None
        return _nearest(
            [(year, _foreign_months()[1][m.group("month").lower()], int(m.group("day")))], s
        )
    if kind == "eomn":
        month = _parse(f"1 {m.group('month')}", s)
        if month is None:
            return None
        end = _month_end(s.year, month.month)
        return end if end >= s else _month_end(s.year + 1, month.month)
    if kind == "nth":
        day, probe = int(m.group("nth")), s
        for _ in range(3):
            if day <= calendar.monthrange(probe.year, probe.month)[1]:
                candidate = probe.replace(day=day)
                if candidate >= s:
                    return candidate
            probe = _month_end(probe.year, probe.month) + timedelta(days=1)
        return None
    words = re.sub(r"\btmrw?\b|\btmr\b|\btom{1,2}or{1,2}ow\b", "tomorrow", words)
    phrase = re.sub(
        r"^(?:(?:by|b4|on|before|until|till|til|no|later|than|latest|at|the|due|for"
        r"|around|in|time|within|ahead|of|eod|cob)\s+|end\s+of\s+(?:the\s+)?day\s+)+",
        "",
        words,
    )
    phrase = re.sub(r"^" + _WD + r"\.?,?\s+(?=\d)", "", phrase.strip())  # the date decides
    numeric = re.fullmatch(r"(\d{1,4})[-/.](\d{1,2})(?:[-/.](\d{2,4}))?\.?", phrase)
    if numeric:  # dateparser reads some ("15.12") as a time of day and never weighs the order
        first, second, third = numeric.groups()
        return _numeric(first, second, third, s)
    parsed = _parse(phrase.strip(" ."), s)
    if parsed is not None and parsed < s and not re.search(r"\d{4}", phrase):
        parsed = parsed.replace(year=parsed.year + 1)  # "Jan 8" said in December
    return parsed


def find_all_due(text: str, session_date: date, next_session: date | None = None) -> list[DueMatch]:
    """Every due phrase in ``text``, in order (the longest where two overlap)."""
    found: list[DueMatch] = []
    for line in re.finditer(r"[^\n]+", text):  # a date never runs across a line break
        for pattern, kind in (*_RULES, (_foreign_months()[0], "foreign")):
            for match in pattern.finditer(text, line.start(), line.end()):
                if _NOT_DUE_BEFORE.search(text, line.start(), match.start()):
                    continue
                if re.match(r"['’]s\b", text[match.end() : match.end() + 3]):
                    continue  # "next week's circle" names the circle, not a due date
                due = _resolve(kind, match, session_date, next_session)
                if due is None and kind != "session":
                    continue
                tail = _LATEST.match(text, match.end(), line.end())
                end = tail.end() if tail else match.end()  # "Monday at the latest" is one phrase
                found.append(DueMatch(match.start(), end, text[match.start() : end], due))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[DueMatch] = []
    for candidate in found:
        if not any(candidate.start < k.end and k.start < candidate.end for k in kept):
            kept.append(candidate)
    return kept


def find_due(
    sentence: str, session_date: date, next_session: date | None = None
) -> tuple[date | None, str | None]:
    """The first date a sentence gives and its phrase (``(None, phrase)``: unknown session)."""
    matches = find_all_due(sentence, session_date, next_session)
    for match in matches:
        if match.due is not None:
            return match.due, match.phrase
    return (None, matches[0].phrase) if matches else (None, None)


def resolve_due(
    phrase_or_sentence: str, session_date: date, next_session: date | None = None
) -> date | None:
    """The date a phrase or sentence gives, resolved against the session date; ``None`` if none."""
    return find_due(phrase_or_sentence, session_date, next_session)[0]
