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
* no date: vague words (``sometime``, ``ASAP``, ``mid-January``, ``next quarter``) and a date
  just gone without its year (``joined on 2 Oct``); ``12/9`` reads day first unless only month
  first lies within half a year (an American note). A range is due at its end.
* other languages (23, CJK included) by their date words in ``dateparser``'s locale data.
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
    r"(?:(?:by|b4|on|before|until|till|til|upto|no later than|latest|at the latest by|due|for"
    r"|around|in time for|within|ahead of|over|during)\s+)?"
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


def _rule(pattern: str, lead: str = _PRE) -> re.Pattern[str]:
    """A due phrase: ``pattern`` after an optional due word, not inside a longer word."""
    return re.compile(_B + lead + pattern + _E, re.I)


# (pattern, kind); the first kinds are conventions, "parse" goes to dateparser.
_RULES: list[tuple[re.Pattern[str], str]] = [
    (_rule(_SESSION, ""), "session"),
    (_rule(r"(?:the\s+)?(?:end\s+of\s+)?next\s+(?:week|wk)"), "nextweek"),
    (
        _rule(r"(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week|eow|(?:later\s+)?this\s+week)"),
        "eow",
    ),
    (_rule(r"(?:this\s+|the\s+)?weekend"), "weekend"),
    (_rule(r"(?:the\s+)?end\s+of\s+next\s+month"), "eonm"),
    (_rule(r"(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|eom|month[- ]end)"), "eom"),
    (_rule(r"(?:eod|cob|end\s+of\s+(?:the\s+)?day)\s+(?:on\s+)?" + _WD), "weekday"),
    (_rule(r"(?:early|beginning\s+of|start\s+of)\s+next\s+(?:week|wk)"), "earlynext"),
    (
        _rule(
            r"(?:today|tonight|(?:eod|cob|end\s+of\s+(?:the\s+)?day)(?!\s+tomorrow)"
            r"|after\s+lunch|this\s+(?:morning|afternoon|evening))"
        ),
        "today",
    ),
    (_rule(r"the\s+day\s+after\s+tomorrow"), "parse"),
    (
        _rule(
            r"(?:in|within)\s+(?:the\s+next\s+)?(?P<n>"
            + _NUM
            + r")\s+(?P<unit>days?|weeks?|wks?|months?|fortnight)",
            "",
        ),
        "in",
    ),
    (_rule(r"(?:a\s+week\s+on\s+" + _WD + r"|" + _WD + r"\s+week)"), "weekon"),
    (_rule(r"the\s+" + _WD + r"\s+after\s+next"), "afternext"),
    (_rule(r"(?:next\s+(?:week\s+)?" + _WD + r"|" + _WD + r"\s+(?:of\s+)?next\s+week)"), "nextday"),
    (
        _rule(
            r"(?:" + _WD + r"\.?,?\s+)?(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
            r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}-\d{1,2}-\d{4}"
            rf"|\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MON}\.?(?:,?\s+\d{{4}})?"
            rf"|{_MON}\.?\s+\d{{1,2}}{_ORD}(?:,?\s+\d{{4}})?"
            r"|\d{1,2}/\d{1,2}(?![/\d])(?!\.\d)(?!\s+(?:done|complete|of)\b)|\d{1,2}\.\d{1,2}\.(?!\d)"
            r"|(?:(?<=\bby\s)|(?<=\bon\s)|(?<=\bdue\s)|(?<=\buntil\s))\d{1,2}\.\d{1,2}(?![/.\d]))"
        ),
        "parse",
    ),
    (_rule(r"(?:the\s+)?end\s+of\s+(?P<month>" + _MON + r")"), "eomn"),
    (_rule(r"(?:" + _WD + r",?\s+)?the\s+(?P<nth>\d{1,2})(?:st|nd|rd|th)" + _NOT_NOUN), "nth"),
    # "by 7th": an ordinal after a due word is a day of the month even without "the".
    (
        _rule(
            r"(?P<nth>\d{1,2})(?:st|nd|rd|th)" + _NOT_NOUN,
            r"(?:by|before|until|till|upto|due|on)\s+",
        ),
        "nth",
    ),
    # "Wed 9th", "Friday 11": the day number decides, the weekday only confirms it.
    (_rule(_WD + r",?\s+(?P<nth>\d{1,2})" + _ORD + r"(?![\d/.:])"), "nth"),
    (
        _rule(
            r"(?:(?:eod|cob|end\s+of\s+(?:the\s+)?day)\s+)?(?:the\s+day\s+after\s+)?"
            r"(?:tom{1,2}or{1,2}ow|tmrw?|tmr)"  # and its common typos: "tomorow", "tommorow"
            r"(?:\s+(?:morning|afternoon|evening|night|eod))?"
        ),
        "parse",
    ),
    (_rule(r"\(\s*(?:[a-z]+\s+)?" + _WD + r"\s*\)", ""), "weekday"),
    (
        _rule(
            r"(?:(?:(?:by|on|before|until|till|this|coming|due)\s+|(?<=->)\s*|(?<=→)\s*)"
            + _WD
            + r"|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))(?!'s|s\b)"
            r"(?:\s+(?:morning|afternoon|evening|night|eod))?",
            "",
        ),
        "weekday",
    ),
    # "at Thursday's staff meeting": a weekday's event after a due word dates the task.
    (
        _rule(
            r"(?:by|before|at|until|till|ahead\s+of|in\s+time\s+for)\s+(?:this\s+)?"
            r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)['’]s",
            "",
        ),
        "weekday",
    ),
    # A bare capitalised abbreviation ("→ LB, Mon"); not "Sat"/"Sun", which are words too.
    (re.compile(_B + r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri)\.?" + _E), "weekday"),
]
# Other languages' date words come from dateparser's locale data (loaded on first use, not at
# import); names that are also English words next to a number ("3 out of 5") are left out.
_FOREIGN_LANGUAGES = "de fr es it pt nl pl sv da nb ro cs sk tr id fi hu ca hr sl ja zh ko".split()
_ENGLISH_LOOKALIKES = frozenset(
    "out set mar may lip led pro gen ago bal mag mart des ara sat danes sutra huom".split()
)
_WEEKDAYS = "monday tuesday wednesday thursday friday".split()  # weekend names are also names
_MONTHS = (
    "january february march april may june july august september october november december".split()
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_INFLECTED = frozenset("pl tr cs sk fi hu hr sl".split())  # their day names take case endings
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_RELATIVE = {"0 day ago": ("day", 0), "in 1 day": ("day", 1), "in 1 week": ("week", 0)}
# Words a due date follows in other languages; they only widen the phrase an action loses.
_FOREIGN_BEFORE = re.compile(
    r"(?:by|before|until|till|on|due|le|am|bis(?:\s+zum)?|al|el|il|do|den|tot|avant|hasta(?:\s+el)?"
    r"|antes\s+del?|entro|voor|vóór|até|przed|innan)\s+$",
    re.I,
)


@cache
def _lexicon() -> tuple[dict[str, tuple[str, int]], re.Pattern[str]]:
    """Date words of other languages (month, weekday, day, week), and a pattern for the CJK ones.

    Inflected languages also get a stem ("piątku" of "piątek", "cumaya" of "cuma"), and CJK
    weekdays theirs ("金曜" of "金曜日"); a word or stem meaning two things is dropped.
    """
    from dateparser.languages import default_loader

    meanings: dict[str, set[tuple[str, int]]] = {}
    for language in _FOREIGN_LANGUAGES:
        info = default_loader.get_locale(language).info
        cjk, inflected = language in {"ja", "zh", "ko"}, language in _INFLECTED
        names = [(n, "month", i) for i, m in enumerate(_MONTHS, 1) for n in info.get(m, [])]
        names += [(n, "weekday", i) for i, d in enumerate(_WEEKDAYS) for n in info.get(d, [])]
        relative = info.get("relative-type", {})
        names += [(n, *kind) for key, kind in _RELATIVE.items() for n in relative.get(key, [])]
        for name, kind, value in names:
            name = name.lower()
            shortest = 2 if cjk else {"month": 3, "weekday": 5 - inflected}.get(kind, 4)
            english = re.fullmatch(_MON + "|" + _WD + r"|to(?:day|morrow)", name, re.I)
            if len(name) < shortest or english or name in _ENGLISH_LOOKALIKES:
                continue
            if not cjk and not re.fullmatch(r"[^\W\d_]+(?:[- ][^\W\d_]+)*", name):
                continue
            meanings.setdefault(name, set()).add((kind, value))
            if kind == "weekday" and (inflected or (cjk and len(name) >= 3)):
                stem = name[:-1] if cjk else name[: -2 if len(name) >= 6 else None] + "~"
                meanings.setdefault(stem, set()).add((kind, value))
    lexicon = {w: next(iter(m)) for w, m in meanings.items() if len(m) == 1}
    cjk_words = sorted((w for w in lexicon if _CJK.search(w)), key=len, reverse=True)
    return lexicon, re.compile(r"(?<!\d)(?:" + "|".join(map(re.escape, cjk_words)) + ")")


def _hits(text: str, start: int, end: int) -> list[tuple[int, int, tuple[str, int]]]:
    """(start, end, meaning) of each of :func:`_lexicon`'s words in ``text[start:end]``."""
    lexicon, cjk = _lexicon()
    hits = []
    if _CJK.search(text, start, end):
        hits = [(m.start(), m.end(), lexicon[m.group(0)]) for m in cjk.finditer(text, start, end)]
    words = [w for w in _TOKEN.finditer(text, start, end) if not _CJK.search(w.group(0))]
    i = 0
    while i < len(words):
        for n in (3, 2, 1):  # "i morgon", "la semaine prochaine"
            phrase = text[words[i].start() : words[min(i + n, len(words)) - 1].end()]
            meaning = lexicon.get(phrase.lower())
            if meaning is None and n == 1 and phrase.islower():  # "do piątku": an inflected form
                stems = (phrase[:k] + "~" for k in range(len(phrase), len(phrase) - 4, -1))
                meaning = next((lexicon[s] for s in stems if s in lexicon), None)
            if meaning is not None:
                hits.append((words[i].start(), words[i].start() + len(phrase), meaning))
                i += n - 1
                break
        i += 1
    return sorted(hits)


def _foreign(text: str, start: int, end: int, s: date) -> list[DueMatch]:
    """Due phrases of other languages in ``text[start:end]``, by :func:`_hits`."""
    found: list[DueMatch] = []
    hits = _hits(text, start, end)
    for first, last, (kind, value) in hits:
        due: date | None = None
        if kind == "day":
            due = s + timedelta(days=value)
        elif kind == "weekday":
            due = _coming(s, value)
            if any(f.end >= first - 1 for f in found if f.due == _friday(s, 1)):
                continue  # named with its week ("nächste Woche Freitag"), already read
        elif kind == "week":  # "下周一" (next week Monday) shares a character with "周一"
            due, day = _friday(s, 1), _lexicon()[1].match(text, first + 1, end)
            named = [(b, v) for a, b, (k, v) in hits if k == "weekday" and last <= a <= last + 1]
            if day and _lexicon()[0][day.group(0)][0] == "weekday":
                named = [(day.end(), _lexicon()[0][day.group(0)][1])]
            if named:
                last, due = named[0][0], s - timedelta(days=s.weekday() - 7 - named[0][1])
        else:
            before = re.search(r"(\d{1,2})\.?(?:\s*-\s*|\s+de\s+|\s*)$", text[start:first])
            after = re.match(r"\s*(\d{1,2})(?!\d)", text[last:end])
            year = re.match(r"\.?,?\s+(?:de\s+)?(\d{4})\b", text[last:end])
            day = before or after
            if day is None:
                continue
            first = start + before.start() if before else first
            tail = year or after
            last = last + tail.end() if tail else last + (text[last : last + 1] == ".")
            years = int(year.group(1)) if year else None
            due = _nearest([(years, value, int(day.group(1)))], s)
        lead = _FOREIGN_BEFORE.search(text[start:first])
        first = start + lead.start() if lead else first
        if due is not None:
            found.append(DueMatch(first, last, text[first:last], due))
    return found


def month_name_at(text: str, pos: int) -> bool:
    """Whether a month's name (English or another language's) starts at ``text[pos]``."""
    word = re.match(r"[^\W\d_]+", text[pos : pos + 20])
    if word is None:
        return False
    meaning = _lexicon()[0].get(word.group(0).lower())
    return bool(re.fullmatch(_MON, word.group(0), re.I)) or (meaning or ("", 0))[0] == "month"


_NOT_DUE_BEFORE = re.compile(
    r"\b(?:last|since|every|each|from)\s*$"
    r"|\b(?:mov|push|shift|postpon|reschedul|delay|bump)\w*\b[^.\n]*\bto\s*$",
    re.I,
)
_VAGUE = re.compile(r"(?:between|some\s?time)\s*$|^\s*,?\s*(?:some\s?time|-?ish)\b", re.I)


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
    if kind == "in":  # dateparser knows "in a fortnight", "in two weeks", "in 3 months"
        n = NUMBER_WORDS.get(m.group("n").lower()) or int(m.group("n"))
        return _parse(f"in {n} {m.group('unit').lower().rstrip('s')}", s)
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
    phrase = re.sub(r"\s+(?:morning|afternoon|evening|night|eod)$", "", phrase.strip(" ."))
    parsed = _parse(phrase, s)
    if parsed is not None and not re.search(r"\d{4}", phrase):
        if parsed < s:
            parsed = parsed.replace(year=parsed.year + 1)  # "Jan 8" said in December
        if parsed > s + timedelta(days=300):  # "joined on 2 Oct", said on the 7th
            parsed = parsed.replace(year=parsed.year - 1)  # dropped by find_all_due
    return parsed


def find_all_due(text: str, session_date: date, next_session: date | None = None) -> list[DueMatch]:
    """Every due phrase in ``text``, in order (the longest where two overlap)."""
    found: list[DueMatch] = []
    for line in re.finditer(r"[^\n]+", text):  # a date never runs across a line break
        for pattern, kind in _RULES:
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
        found += [
            d
            for d in _foreign(text, line.start(), line.end(), session_date)
            if not _NOT_DUE_BEFORE.search(text, line.start(), d.start)
        ]
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[DueMatch] = []
    for candidate in found:
        if not any(candidate.start < k.end and k.start < candidate.end for k in kept):
            kept.append(candidate)
    # Found but undated: "sometime next week", "between Monday and ..." (the end is the date),
    # and a date just gone written without its year ("joined on 2 Oct"): what happened.
    return [
        DueMatch(d.start, d.end, d.phrase, None)
        if _VAGUE.search(text[max(0, d.start - 12) : d.start])
        or _VAGUE.search(text[d.end : d.end + 12])
        or (d.due and d.due < session_date and not re.search(r"\d{4}", d.phrase))
        else d
        for d in kept
    ]


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
