"""Due dates in session notes: relative phrases resolved against the session date, no network.

Rules (``S`` is the session date; weeks run Monday to Sunday):

* ``today``, ``tonight``, ``this morning/afternoon/evening``, ``later today``, ``after lunch``,
  ``EOD``/``COB``/``end of (the) day``: S. ``tomorrow`` (``morning``...): S + 1.
  ``the day after tomorrow``: S + 2.
* A bare weekday, ``this Friday``, ``on Friday``, ``by Friday``, ``coming Friday``: the first
  such day *after* S (on Wednesday 2026-11-18, ``Friday`` = 2026-11-20 and ``Wednesday`` =
  2026-11-25; "today" is how notes say the session day itself).
* ``next Friday``, ``Friday next week``, ``Friday of next week``: that day in the week after S's
  week (on Wednesday 2026-11-18, ``next Friday`` = 2026-11-27, ``next Monday`` = 2026-11-23).
  Abbreviations count after ``by``/``on``/``before``/``until``/``this``/``next`` ("by Fri",
  "by mon"; ``Sat``/``Sun`` only capitalised).
  ``a week on Friday``/``Friday week``: the coming Friday + 7. ``the Friday after next``: next
  Friday + 7. A weekday after ``last``, ``since``, ``every``, ``each`` or written ``Fridays`` or
  ``Friday's`` is not a due date.
* ``end of the week``, ``EOW``, ``this week``, ``later this week``: the Friday of S's week, or the
  first Friday after S when S is a Saturday or Sunday. ``the weekend``/``this weekend``: the Sunday
  of S's week (S itself when S is a Sunday). ``next weekend``: the Sunday of next week.
* ``next week``/``end of next week``: the Friday of next week (the last working day the promise
  still holds). ``early next week``: its Monday. ``the week after next``: the Friday after that.
* ``in N days/weeks/months``, ``within N ...``, ``N weeks from now``, ``in a fortnight``: S + N
  (months keep the day, clamped to the month's end). Words count: ``a``, ``one``..``twelve``,
  ``a couple of`` (2).
* ``end of (the/this) month``, ``EOM``, ``month end``: the last day of S's month; ``end of next
  month``: the last day of the following month (rolls into the next year); ``next month``: the
  same; ``early/mid next month``: its 7th/15th. ``end of November``: the last day of November (next
  year's if that is already past). ``end of the year``/``EOY``: 31 December. ``end of the
  quarter``/``EOQ``: the quarter's last day.
* ``before our next session``, ``by next session``, ``next time we meet``, ``for next time``,
  ``before we meet again``, ``next week's session``...: ``next_session`` when it is known, else no
  date (the phrase is still reported by :func:`find_due` so callers can strip it). Without a
  preposition, "the next session" is a thing, not a date ("book the next session").
* ISO ``2026-12-03``; ``Dec 3``, ``December 3rd``, ``3 December``, ``3rd of Dec`` (with or without a
  year): without a year, the first such date on or after S (so in December, ``Jan 8`` is next
  year's). ``the 15th``: the first 15th on or after S (this month's, else next month's; months too
  short for the day are skipped).
* Vague phrases (``soon``, ``ASAP``, ``in a few days``, ``next quarter``, ``in January``) and
  numeric dates such as ``12/3`` (day and month order is ambiguous) give no date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DueMatch", "find_all_due", "find_due", "resolve_due"]

_WEEKDAY_NAMES = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_WEEKDAY_ABBR = {
    "Mon": 0,
    "Tue": 1,
    "Tues": 1,
    "Wed": 2,
    "Thu": 3,
    "Thur": 3,
    "Thurs": 3,
    "Fri": 4,
    "Sat": 5,
    "Sun": 6,
}
_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "couple of": 2,
    "a couple": 2,
}
NUMBER_WORDS: dict[str, int] = _NUMBERS  # shared with the simulation engine

_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = (
    r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_NUM = (
    r"(?P<n>\d{1,3}|a couple of|couple of|a couple|an|a|one|two|three|four|five|six|seven|eight"
    r"|nine|ten|eleven|twelve)"
)
_UNIT = r"(?P<unit>days?|weeks?|months?|fortnights?)"
_ORD = r"(?:st|nd|rd|th)"
_THE_MONTH = r"(?:the\s+|this\s+)?month"
# A preposition in front of a date belongs to the phrase ("by Friday") so callers can strip both.
_PRE = (
    r"(?:(?:by|on|before|until|till|til|no later than|not later than|at the latest by|for|at"
    r"|around|ahead of|prior to|sometime|some time|over|during|starting|from|due|latest|as of"
    r"|within|in time for)\s+)?"
)
_B = r"(?<![\w-])"
_E = r"(?![\w-])"
_NEXT_SESSION = (
    r"(?:(?:before|by|for|until|till|ahead of|prior to|at|in|during|to)\s+"
    r"(?:(?:our|the|your|my)\s+)?"
    r"|(?<!the\s)(?<!our\s)(?<!your\s)(?<!my\s)(?<!a\s))"
    r"(?:next\s+(?:session|meeting|call|1:1|1-1|one-on-one|one-to-one|catch-?up|sync|chat|check-?in"
    r"|mentoring session)"
    r"|next\s+week's\s+(?:session|meeting|call|1:1|catch-?up|sync|chat)"
    r"|next\s+time(?=\s+we\s+(?:meet|talk|speak|catch\s+up|chat|sync))(?:\s+we\s+(?:meet|talk|speak"
    r"|catch\s+up|chat|sync))?"
    r"|(?<=for\s)next\s+time|(?<=by\s)next\s+time|(?<=before\s)next\s+time|(?<=until\s)next\s+time"
    r"|(?:when\s+)?we\s+(?:next\s+meet|meet\s+again|speak\s+again|talk\s+again))"
)


@dataclass(frozen=True)
class DueMatch:
    """One due-date phrase found in a text: where it is, what it says and the date it means.

    ``due`` is ``None`` for a phrase that names a date only when the next session is known.
    """

    start: int
    end: int
    phrase: str
    due: date | None


Resolver = Callable[["re.Match[str]", date, "date | None"], "date | None"]


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _coming(d: date, weekday: int) -> date:
    """The first ``weekday`` strictly after ``d``."""
    ahead = (weekday - d.weekday()) % 7
    return d + timedelta(days=ahead or 7)


def _next_week(d: date, weekday: int) -> date:
    return _monday(d) + timedelta(days=7 + weekday)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _number(text: str) -> int | None:
    text = re.sub(r"\s+", " ", text.lower())
    if text.isdigit():
        return int(text)
    return _NUMBERS.get(text)


def _weekday(m: re.Match[str]) -> int:
    return _WEEKDAY_NAMES[m.group("wd").lower()]


def _end_of_week(s: date) -> date:
    return _coming(s, 4) if s.weekday() > 4 else _monday(s) + timedelta(days=4)


def _month_day(s: date, month: int, day: int, year: str | None) -> date | None:
    try:
        if year:
            return date(int(year), month, day)
        candidate = date(s.year, month, day)
        return candidate if candidate >= s else date(s.year + 1, month, day)
    except ValueError:
        return None


def _nth(s: date, day: int) -> date | None:
    if not 1 <= day <= 31:
        return None
    year, month = s.year, s.month
    for _ in range(13):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if candidate >= s:
                return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _in_n(m: re.Match[str], s: date, _n: date | None) -> date | None:
    n = _number(m.group("n"))
    if n is None or n > 400:
        return None
    unit = m.group("unit").lower().rstrip("s")
    if unit == "day":
        return s + timedelta(days=n)
    if unit == "week":
        return s + timedelta(weeks=n)
    if unit == "fortnight":
        return s + timedelta(weeks=2 * n)
    return _add_months(s, n)


def _month_name_end(m: re.Match[str], s: date, _n: date | None) -> date:
    month = _MONTHS[m.group("mon").lower()]
    end = _month_end(s.year, month)
    return end if end >= s else _month_end(s.year + 1, month)


def _quarter_end(s: date) -> date:
    month = (s.month - 1) // 3 * 3 + 3
    return _month_end(s.year, month)


def _next_month_day(s: date, which: str) -> date:
    first = _add_months(s.replace(day=1), 1)
    if which == "early":
        return first.replace(day=7)
    if which == "mid":
        return first.replace(day=15)
    return _month_end(first.year, first.month)


def _month_then_day(m: re.Match[str], s: date, _n: date | None) -> date | None:
    return _month_day(s, _MONTHS[m.group("mon").lower()], int(m.group("day")), m.group("year"))


def _iso(m: re.Match[str], _s: date, _n: date | None) -> date | None:
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    resolve: Resolver
    session: bool  # a next-session phrase: kept even when the next session is unknown


def _p(pattern: str, resolve: Resolver, *, cased: bool = False, session: bool = False) -> _Rule:
    flags = 0 if cased else re.IGNORECASE
    return _Rule(re.compile(_B + pattern + _E, flags), resolve, session)


_WEEK_NOUN = r"(?:the\s+|this\s+)?(?:week|wk)"
_ABBR = r"(?P<abbr>(?i:mon|tues|tue|wed|thurs|thur|thu|fri)|Sat|Sun)\.?"

_PATTERNS: tuple[_Rule, ...] = (
    _p(_PRE + r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(\d{4})-(\d{2})-(\d{2})", _iso),
    _p(
        _PRE
        + r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
        + _MON
        + r"\.?[ \t]+(?P<day>\d{1,2})"
        + _ORD
        + r"?(?!\d|:)(?:,?\s+(?P<year>\d{4}))?",
        _month_then_day,
    ),
    _p(
        _PRE
        + r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ \t]+)?(?:the\s+)?(?P<day>\d{1,2})"
        + _ORD
        + r"?[ \t]+(?:of[ \t]+)?"
        + _MON
        + r"\.?"
        r"(?:,?\s+(?P<year>\d{4}))?",
        lambda m, s, _n: _month_day(
            s, _MONTHS[m.group("mon").lower()], int(m.group("day")), m.group("year")
        ),
    ),
    _p(
        _PRE
        + r"(?:the\s+)?(?:end\s+of\s+(?:the\s+)?day|eod|cob|close\s+of\s+business)\s+(?:on\s+)?"
        + _WD,
        lambda m, s, _n: _coming(s, _weekday(m)),
    ),
    _p(_PRE + r"(?:the\s+)?day\s+after\s+tomorrow", lambda m, s, _n: s + timedelta(days=2)),
    _p(
        _PRE + r"(?:first\s+thing\s+)?tomorrow(?:\s+(?:morning|afternoon|evening|night|eod))?",
        lambda m, s, _n: s + timedelta(days=1),
    ),
    _p(
        _PRE + r"(?:later\s+today|today|tonight|this\s+(?:morning|afternoon|evening)"
        r"|(?:the\s+)?end\s+of\s+(?:the\s+|to)?day|eod|cob|close\s+of\s+business"
        r"|(?:after|before)\s+lunch|lunch\s*time|(?:the\s+)?end\s+of\s+play|eop)",
        lambda m, s, _n: s,
    ),
    _p(
        _PRE + r"(?:the\s+)?" + _WD + r"\s+after\s+next",
        lambda m, s, _n: _next_week(s, _weekday(m)) + timedelta(days=7),
    ),
    _p(
        _PRE
        + r"(?:(?:next|the\s+following)\s+"
        + _WD
        + r"|"
        + _WD.replace("wd>", "wd2>")
        + r"\s+(?:of\s+)?next\s+week)(?:\s+(?:morning|afternoon|evening))?",
        lambda m, s, _n: _next_week(s, _WEEKDAY_NAMES[(m.group("wd") or m.group("wd2")).lower()]),
    ),
    _p(
        _PRE
        + r"(?:a\s+week\s+(?:on|from)\s+"
        + _WD
        + r"|"
        + _WD.replace("wd>", "wd2>")
        + r"\s+week)",
        lambda m, s, _n: (
            _coming(s, _WEEKDAY_NAMES[(m.group("wd") or m.group("wd2")).lower()])
            + timedelta(days=7)
        ),
    ),
    _p(
        r"(?<!last\s)(?<!since\s)(?<!every\s)(?<!each\s)(?<!past\s)(?<!previous\s)"
        + _PRE
        + r"(?:this\s+(?:coming\s+)?|coming\s+)?"
        + _WD
        + r"(?!'s|’s|s\b)(?:\s+(?:morning|afternoon|evening|night|eod))?",
        lambda m, s, _n: _coming(s, _weekday(m)),
    ),
    _p(
        r"(?i:by|on|before|until|till|this|next|due)\s+" + _ABBR,
        lambda m, s, _n: (
            _coming(s, _WEEKDAY_ABBR[m.group("abbr").capitalize()])
            if not m.group(0).lower().startswith("next")
            else _next_week(s, _WEEKDAY_ABBR[m.group("abbr").capitalize()])
        ),
        cased=True,
    ),
    _p(
        r"(?<=\()[ \t]*(?:due[ \t]+)?" + _ABBR + r"[ \t]*(?=\))",
        lambda m, s, _n: _coming(s, _WEEKDAY_ABBR[m.group("abbr").capitalize()]),
        cased=True,
    ),
    _p(_NEXT_SESSION, lambda m, s, n: n, session=True),
    _p(
        _PRE + r"(?:the\s+)?(?:end\s+of\s+(?:the\s+)?next\s+(?:week|wk))",
        lambda m, s, _n: _next_week(s, 4),
    ),
    _p(_PRE + r"early\s+next\s+week", lambda m, s, _n: _next_week(s, 0)),
    _p(
        _PRE + r"(?:the\s+)?week\s+after\s+next",
        lambda m, s, _n: _next_week(s, 4) + timedelta(days=7),
    ),
    _p(_PRE + r"(?:sometime\s+)?next\s+(?:week|wk)(?!'s|’s)", lambda m, s, _n: _next_week(s, 4)),
    _p(_PRE + r"next\s+weekend", lambda m, s, _n: _next_week(s, 6)),
    _p(
        _PRE + r"(?:the\s+|this\s+)?weekend",
        lambda m, s, _n: _monday(s) + timedelta(days=6),
    ),
    _p(
        _PRE
        + r"(?:(?:the\s+)?end\s+of\s+"
        + _WEEK_NOUN
        + r"|eow|later\s+this\s+(?:week|wk)|this\s+(?:week|wk))",
        lambda m, s, _n: _end_of_week(s),
    ),
    _p(
        _PRE + r"(?:the\s+)?end\s+of\s+(?:the\s+)?next\s+month",
        lambda m, s, _n: _next_month_day(s, "end"),
    ),
    _p(
        _PRE + r"(?P<which>early|mid|late)[\s-]+next\s+month",
        lambda m, s, _n: _next_month_day(s, m.group("which").lower()),
    ),
    _p(_PRE + r"next\s+month", lambda m, s, _n: _next_month_day(s, "end")),
    _p(
        _PRE + r"(?:(?:the\s+)?end\s+of\s+" + _THE_MONTH + r"|eom|(?:the\s+)?month[\s-]end)",
        lambda m, s, _n: _month_end(s.year, s.month),
    ),
    _p(_PRE + r"(?:the\s+)?end\s+of\s+" + _MON, _month_name_end),
    _p(
        _PRE + r"(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?year|eoy|(?:the\s+)?year[\s-]end)",
        lambda m, s, _n: date(s.year, 12, 31),
    ),
    _p(
        _PRE + r"(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?quarter|eoq)",
        lambda m, s, _n: _quarter_end(s),
    ),
    _p(
        r"(?:in|within)\s+(?:the\s+next\s+)?"
        + _NUM
        + r"\s+"
        + _UNIT
        + r"(?:(?:'|’|'s|’s)?\s+time)?",
        _in_n,
    ),
    _p(_NUM + r"\s+" + _UNIT + r"\s+from\s+(?:now|today)", _in_n),
    _p(
        _PRE
        + r"(?:the\s+)?(?P<day>\d{1,2})"
        + _ORD
        + r"(?=\s*(?:$|[,.;:!?)\]—–-]|\s(?:and|so|or|but|at|then|please|if|when|because|anyway"
        r"|latest|ideally|hopefully|too|as)\b))",
        lambda m, s, _n: _nth(s, int(m.group("day"))) if "the" in m.group(0).lower() else None,
    ),
)


# "moved to Friday", "push the review to next week": where something goes, not when it is due.
_MOVED_TO = re.compile(
    r"\b(?:mov(?:e|es|ed|ing)|push(?:es|ed|ing)?|shift(?:s|ed|ing)?|reschedul(?:e|es|ed|ing)"
    r"|postpon(?:e|es|ed|ing)|bump(?:s|ed|ing)?|slip(?:s|ped|ping)?|delay(?:s|ed|ing)?)"
    r"(?:\s+[\w'’-]+){0,4}?\s+(?:to|until|till)\s+$",
    re.IGNORECASE,
)


def find_all_due(text: str, session_date: date, next_session: date | None = None) -> list[DueMatch]:
    """Every due-date phrase in ``text``, in order, longest first where two overlap."""
    found: list[DueMatch] = []
    for rule in _PATTERNS:
        for match in rule.pattern.finditer(text):
            phrase = match.group(0)
            if not phrase.strip() or _MOVED_TO.search(text, 0, match.start()):
                continue
            due = rule.resolve(match, session_date, next_session)
            if due is None and not rule.session:
                continue
            found.append(DueMatch(match.start(), match.end(), phrase, due))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DueMatch] = []
    for candidate in found:
        if any(candidate.start < k.end and k.start < candidate.end for k in kept):
            continue
        kept.append(candidate)
    return kept


def find_due(
    sentence: str, session_date: date, next_session: date | None = None
) -> tuple[date | None, str | None]:
    """The due date a sentence gives and the phrase that gives it (``(None, None)`` if none).

    The first phrase that resolves wins; a next-session phrase with no known next session is
    returned as ``(None, phrase)`` when nothing else in the sentence names a date.
    """
    matches = find_all_due(sentence, session_date, next_session)
    for match in matches:
        if match.due is not None:
            return match.due, match.phrase
    if matches:
        return None, matches[0].phrase
    return None, None


def resolve_due(
    phrase_or_sentence: str, session_date: date, next_session: date | None = None
) -> date | None:
    """The date a phrase or sentence gives, resolved against the session date; ``None`` if none."""
    return find_due(phrase_or_sentence, session_date, next_session)[0]
