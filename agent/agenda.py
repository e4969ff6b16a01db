"""The agenda scaffold: what every session agenda must hold, whichever engine writes the words.

Pattern: *scaffold, enrich, check*. This module is engine-independent. It

- validates the context a pair gives (:class:`AgendaContext`, :func:`load_context_file`);
- decides the session's stage from the programme's calendar and the pair's signals
  (:func:`detect_stage`);
- shapes the session into time-boxed blocks whose minutes sum exactly to its length
  (:func:`stage_shape`, :func:`allocate_minutes`);
- writes the always-true content: every open item in the progress review, each stage's
  framework steps and questions, the next meeting confirmed in the wrap-up
  (:func:`build_scaffold`, :func:`prep_checklist`);
- and checks any engine's agenda against those invariants (:func:`agenda_failures`).

An engine (offline rules or an LLM) then fills the blocks with language specific to the pair.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agent.errors import UserInputError
from agent.models import Agenda, AgendaBlock, Stage
from agent.offline.judgement import detect_markers, normalise
from agent.text import (
    clean_value,
    for_other_reader,
    names_person,
    quoted,
    shareable_lines,
    short_name,
)

__all__ = [
    "ACTION_PLANNING",
    "CHECK_IN",
    "CONTEXT_KEYS",
    "DEEP_DIVE",
    "GETTING_REAL",
    "GRADUATION_ASSESSMENT",
    "LEARNING_STYLE",
    "LETS_GET_CLEAR",
    "LIGHT_ACTION_PLANNING",
    "NEXT_CHAPTER",
    "PROGRESS_REVIEW",
    "RECONNECT",
    "RESET_THE_FORMAT",
    "STAGES",
    "UNSTUCK_DIAGNOSIS",
    "WRAP_UP",
    "AgendaContext",
    "BlockShape",
    "Cadence",
    "OpenItem",
    "StageDecision",
    "agenda_failures",
    "allocate_minutes",
    "build_scaffold",
    "detect_stage",
    "explain_stage",
    "format_open_item",
    "graduation_sessions",
    "load_context_file",
    "min_block_minutes",
    "prep_checklist",
    "required_blocks",
    "retrieval_queries",
    "session_week",
    "short_names",
    "stage_shape",
    "total_sessions",
]

Cadence = Literal["weekly", "fortnightly", "monthly"]
STAGES: tuple[Stage, ...] = ("first-session", "regular", "stale-patch", "stalled", "graduation")

MIN_MINUTES = 30
MAX_MINUTES = 120

# -- block names (the contract between the scaffold, the engines and the checks) ------------
CHECK_IN = "Check-in"
PROGRESS_REVIEW = "Progress review"
DEEP_DIVE = "Deep dive"
ACTION_PLANNING = "Action planning"
WRAP_UP = "Wrap-up"
GETTING_REAL = "Getting Real exchange"
LETS_GET_CLEAR = "Let's Get Clear conversation"
LEARNING_STYLE = "How do you actually learn?"
RECONNECT = "Reconnect"
RESET_THE_FORMAT = "Reset the format"
LIGHT_ACTION_PLANNING = "Light action planning"
UNSTUCK_DIAGNOSIS = "Unstuck diagnosis"
GRADUATION_ASSESSMENT = "Graduation assessment"
NEXT_CHAPTER = "Next Chapter protocol"


# ============================================================================================
# Context
# ============================================================================================


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _parse_date(value: Any, what: str) -> Any:
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"{what} must be a date as YYYY-MM-DD (got {value!r})")


# Limits on an agenda context (the same as for notes and pairs), so a hostile or broken
# file is refused in milliseconds instead of being processed for minutes.
MAX_CONTEXT_BYTES = 5 * 1024 * 1024
MAX_CONTEXT_DEPTH = 8
MAX_NAME_CHARS = 80
MAX_GOALS = 20
MAX_GOAL_CHARS = 300
MAX_OPEN_ITEMS = 500
MAX_ACTION_CHARS = 1000
MAX_PREP_CHARS = 4000
MAX_RECENT_NOTES = 10
MAX_NOTES_CHARS = 200_000
MAX_SESSIONS = 1000


class OpenItem(BaseModel):
    """An action item still open from earlier sessions: who, what and by when."""

    model_config = ConfigDict(extra="forbid")

    owner: str | None = Field(default=None, max_length=MAX_NAME_CHARS)
    action: str = Field(max_length=MAX_ACTION_CHARS)
    due: date | None = None

    @field_validator("owner", mode="before")
    @classmethod
    def _owner(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _one_line(value) or None
        return value

    @field_validator("action", mode="before")
    @classmethod
    def _action(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = _one_line(value).rstrip(" .;")
            if not text:
                raise ValueError("action must not be empty")
            return text
        return value

    @field_validator("due", mode="before")
    @classmethod
    def _due(cls, value: Any) -> Any:
        return _parse_date(value, "due")


class AgendaContext(BaseModel):
    """Everything an agenda is drafted from: the pair, the programme and what happened lately.

    ``recent_notes`` and ``progress_flags`` are ordered oldest first (newest last).
    ``progress_flags[i]`` says whether progress was made in that recent session.
    ``formulaic`` records that someone said the sessions feel formulaic or flat.
    """

    model_config = ConfigDict(extra="forbid")

    mentor: str
    mentee: str
    # The names prose addresses them by ("Minh" for "Đặng Minh"); unset, text.short_name.
    mentor_short: str | None = None
    mentee_short: str | None = None
    goals: list[Annotated[str, Field(max_length=MAX_GOAL_CHARS)]] = Field(
        default_factory=list, max_length=MAX_GOALS
    )
    session_number: int
    programme_weeks: int = 12
    minutes: int = 60
    cadence: Cadence = "weekly"
    open_items: list[OpenItem] = Field(default_factory=list, max_length=MAX_OPEN_ITEMS)
    prep: str = Field(default="", max_length=MAX_PREP_CHARS)
    recent_notes: list[Annotated[str, Field(max_length=MAX_NOTES_CHARS)]] = Field(
        default_factory=list, max_length=MAX_RECENT_NOTES
    )
    progress_flags: list[bool] = Field(default_factory=list, max_length=MAX_SESSIONS)
    formulaic: bool = False
    session_date: date | None = None  # when known, open items past due are flagged

    @field_validator("mentor", "mentee", mode="before")
    @classmethod
    def _name(cls, value: Any, info: Any) -> Any:
        if isinstance(value, str):
            name = _one_line(value)
            if not name:
                raise ValueError(f"{info.field_name} must not be empty")
            if len(name) > 80:
                raise ValueError(f"{info.field_name} must be a name of at most 80 characters")
            return name
        return value

    @field_validator("mentor_short", "mentee_short", mode="before")
    @classmethod
    def _short(cls, value: Any, info: Any) -> Any:
        if isinstance(value, str):
            name = _one_line(value)
            if len(name) > 40:
                raise ValueError(f"{info.field_name} must be a name of at most 40 characters")
            return name or None
        return value

    @field_validator("goals", mode="before")
    @classmethod
    def _goals(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            goals: list[Any] = []
            for goal in value:
                if isinstance(goal, str):
                    goal = _one_line(goal)
                    if not goal or goal.casefold() in {g.casefold() for g in goals}:
                        continue
                goals.append(goal)
            return goals
        return value

    @field_validator("session_number", mode="after")
    @classmethod
    def _session(cls, value: int) -> int:
        if value < 1:
            raise ValueError(f"session_number must be 1 or more (got {value})")
        if value > 1000:
            raise ValueError(f"session_number must be at most 1000 (got {value})")
        return value

    @field_validator("programme_weeks", mode="after")
    @classmethod
    def _weeks(cls, value: int) -> int:
        if not 1 <= value <= 104:
            raise ValueError(f"programme_weeks must be between 1 and 104 (got {value})")
        return value

    @field_validator("minutes", mode="after")
    @classmethod
    def _minutes(cls, value: int) -> int:
        if not MIN_MINUTES <= value <= MAX_MINUTES:
            raise ValueError(
                f"minutes must be between {MIN_MINUTES} and {MAX_MINUTES} (got {value})"
            )
        return value

    @field_validator("prep", mode="before")
    @classmethod
    def _prep(cls, value: Any) -> Any:
        # "my salary is 3000 EUR pls dont share" never reaches an agenda or an email.
        return shareable_lines(value) if isinstance(value, str) else "" if value is None else value

    @field_validator("recent_notes", mode="before")
    @classmethod
    def _notes(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            # Lines the author marked private never reach an agenda, whichever engine drafts it.
            value = [shareable_lines(n) if isinstance(n, str) else n for n in value]
            return [n for n in value if not isinstance(n, str) or n.strip()]
        return value

    @model_validator(mode="after")
    def _distinct(self) -> AgendaContext:
        if self.mentor.casefold() == self.mentee.casefold():
            raise ValueError("the mentor and the mentee must be different people")
        return self


CONTEXT_KEYS: tuple[str, ...] = tuple(AgendaContext.model_fields)
_REQUIRED_KEYS: tuple[str, ...] = ("mentor", "mentee", "session_number")


def _validation_message(exc: ValidationError) -> str:
    """The first validation error as one line: ``open_items[0].due must be a date ...``."""
    error = exc.errors()[0]
    where = ""
    for part in error.get("loc", ()):
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    message = _one_line(str(error.get("msg", "invalid value"))).removeprefix("Value error, ")
    field = where.rsplit(".", 1)[-1]
    if where and field and message.startswith(field + " "):
        return where + message[len(field) :]
    return f"{where}: {message}" if where else message


def load_context_file(
    path: str | Path, *, overrides: Mapping[str, Any] | None = None
) -> AgendaContext:
    """Read the ``coach agenda --context FILE`` JSON into an :class:`AgendaContext`.

    The file holds ``mentor, mentee, goals, session_number, programme_weeks, minutes,
    open_items, prep, recent_notes`` (``recent_notes`` may be one string or a list), and may
    also hold ``cadence``, ``progress_flags`` and ``formulaic``. ``overrides`` (for CLI options
    such as ``--minutes``/``--session``/``--prep``) replace the file's values; ``None`` values
    are ignored. Every problem is a one-line :class:`UserInputError`.
    """
    where = Path(path)
    try:
        size = where.stat().st_size
        if size > MAX_CONTEXT_BYTES:
            raise UserInputError(
                f"context file {where} is {size / 1_048_576:.1f} MB; "
                f"the limit is {MAX_CONTEXT_BYTES // 1_048_576} MB"
            )
        raw = where.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserInputError(f"context file {where} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UserInputError(f"cannot read context file {where}: {reason}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UserInputError(
            f"context file {where} is not valid JSON: {exc.msg} (line {exc.lineno}, "
            f"column {exc.colno})"
        ) from None
    except RecursionError:
        data = None  # nested far deeper than any context: refused just below
    if data is None or _nested_deeper_than(data, MAX_CONTEXT_DEPTH):
        raise UserInputError(
            f"context file {where} is nested too deeply (at most {MAX_CONTEXT_DEPTH} levels)"
        )
    if not isinstance(data, dict):
        raise UserInputError(f"context file {where} must hold a JSON object with {_keys_hint()}")
    data = clean_value(data)
    for key, value in (overrides or {}).items():
        if value is not None:
            data[key] = value
    unknown = sorted(k for k in data if k not in CONTEXT_KEYS)
    if unknown:
        raise UserInputError(
            f"context file {where} has unknown key(s): {', '.join(unknown)} "
            f"(expected {_keys_hint()})"
        )
    missing = [k for k in _REQUIRED_KEYS if k not in data]
    if missing:
        raise UserInputError(f"context file {where} is missing key(s): {', '.join(missing)}")
    try:
        return AgendaContext.model_validate(data)
    except ValidationError as exc:
        raise UserInputError(f"context file {where}: {_validation_message(exc)}") from None


def _nested_deeper_than(data: Any, limit: int) -> bool:
    """Whether JSON ``data`` nests lists/objects more than ``limit`` levels (no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


def _keys_hint() -> str:
    """Every key a context file may hold (the error once stopped before ``recent_notes``)."""
    optional = [k for k in CONTEXT_KEYS if k not in _REQUIRED_KEYS]
    return f"keys {', '.join(_REQUIRED_KEYS)} (required) and {', '.join(optional)}"


# ============================================================================================
# Stage detection
# ============================================================================================

# Weeks between sessions. A month is 52/12 weeks.
_INTERVAL_WEEKS: dict[str, Fraction] = {
    "weekly": Fraction(1),
    "fortnightly": Fraction(2),
    "monthly": Fraction(52, 12),
}


def total_sessions(programme_weeks: int, cadence: Cadence = "weekly") -> int:
    """How many sessions a programme holds: one every interval from week 1, ``ceil(W / I)``."""
    return max(1, math.ceil(Fraction(programme_weeks) / _INTERVAL_WEEKS[cadence]))


def session_week(session_number: int, cadence: Cadence = "weekly") -> Fraction:
    """The (1-based, possibly fractional) programme week in which session ``n`` falls."""
    return 1 + (session_number - 1) * _INTERVAL_WEEKS[cadence]


def graduation_sessions(programme_weeks: int, cadence: Cadence = "weekly") -> int:
    """How many closing sessions count as graduation: 2 when the programme has 8+, else 1."""
    return 2 if total_sessions(programme_weeks, cadence) >= 8 else 1


def _in_stale_window(ctx: AgendaContext) -> bool:
    weeks = Fraction(ctx.programme_weeks)
    week = session_week(ctx.session_number, ctx.cadence)
    # Weeks 5-8 of 12, scaled: from the start of week 5W/12 to the end of week 8W/12.
    return weeks * 5 / 12 <= week < weeks * 8 / 12 + 1


def _rx(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


STALL_CUES = _rx(
    r"(?<!no longer )(?<!not )(?<!n't )(?<!never )\bstuck\b",
    r"\b(?:no|zero|little to no|hardly any) (?:real |visible |measurable |further )?progress\b",
    r"\bnot (?:making|made) (?:any |much )?progress\b",
    r"\bsame (?:old )?block(?:er|ers|age)\b",
    r"\bblocked again\b|\bstill blocked\b",
    r"\bstall(?:ed|ing|s)?\b",
    r"\bgoing (?:a)?round in circles\b|\bcircling\b",
    r"\bnothing (?:has )?moved\b|\b(?:hasn't|has not|haven't|have not) moved\b",
    r"\bback to square one\b",
)
STALE_CUES = _rx(
    r"\bformulaic\b",
    r"\bgoing through the motions\b",
    r"\b(?:feels?|felt|feeling|been|gone|got|getting|seems?|seemed|bit|rather|pretty|quite"
    r"|really|very|kind of|a little|fallen) flat\b",
    r"\blost (?:the|its|our|their|some|all) (?:spark|energy|buzz|fun|enthusiasm)\b",
    r"\b(?:feels?|felt|like|become|became|becoming|is|are) (?:a |such a )?chore\b",
    r"\b(?:too|become|becoming|became|feels?|felt|got|getting) (?:a bit |very |so )?routine\b",
    r"\bbor(?:ed|ing)\b",
    r"\bsame (?:old )?(?:agenda|questions|routine|format)\b",
    r"\bdread(?:ing|ed|s)?\b",
    r"\btick-?box(?:ing)?\b|\bbox-?ticking\b",
    r"\b(?:six|6)-?\s?week[- ]itch\b",
)
GRADUATION_CUES = _rx(
    r"\bgraduat(?:e|es|ed|ing|ion)\b",
    r"\bfinal (?:session|meeting|call)\b",
    r"\b(?:wrap(?:ping)? up|end(?:ing)?|clos(?:e|ing)) (?:the|our|this) "
    r"(?:mentorship|mentoring|programme|program)\b",
    r"\bend of (?:the|our|this) (?:programme|program|mentorship)\b",
    r"\bnext chapter\b",
    r"\boutgr(?:own|ew|owing)\b",
    r"\bshould we (?:stop|keep) meeting\b",
)


def _first_cue(texts: Iterable[str], cues: Sequence[re.Pattern[str]]) -> str | None:
    for text in texts:
        norm = normalise(text)
        for cue in cues:
            match = cue.search(norm)
            if match:
                return match.group(0)
    return None


class StageDecision(NamedTuple):
    """The detected stage and the one-line reason for it."""

    stage: Stage
    reason: str


def explain_stage(ctx: AgendaContext) -> StageDecision:
    """The stage of this session and why; see :func:`detect_stage` for the rules."""
    n, total = ctx.session_number, total_sessions(ctx.programme_weeks, ctx.cadence)
    if n == 1:
        return StageDecision(
            "first-session", "session 1, to agree the basics and get to know each other"
        )
    closing = graduation_sessions(ctx.programme_weeks, ctx.cadence)
    if n > total:
        return StageDecision(
            "graduation",
            f"session {n} is past the programme's {total} {ctx.cadence} "
            f"session{'' if total == 1 else 's'}",
        )
    if n > total - closing:
        which = "final" if n == total else "second-to-last"
        return StageDecision(
            "graduation", f"session {n} of {total} is the programme's {which} session"
        )
    cue = _first_cue([ctx.prep, *ctx.recent_notes], GRADUATION_CUES)
    if cue:
        return StageDecision("graduation", f"the prep or notes mention ending: {cue!r}")
    flags = ctx.progress_flags
    if len(flags) >= 3 and not any(flags[-3:]):
        run = len(flags) - max((i for i, f in enumerate(flags) if f), default=-1) - 1
        return StageDecision("stalled", f"no progress recorded in the last {run} sessions")
    if not (flags and flags[-1]):
        cue = _first_cue(ctx.recent_notes, STALL_CUES)
        if cue:
            return StageDecision("stalled", f"recent notes say progress is stuck: {cue!r}")
    if _in_stale_window(ctx):
        if ctx.formulaic:
            return StageDecision(
                "stale-patch", "mid-programme and sessions were flagged as formulaic"
            )
        cue = _first_cue([ctx.prep, *ctx.recent_notes], STALE_CUES)
        if cue:
            return StageDecision(
                "stale-patch", f"mid-programme and the sessions are described as {cue!r}"
            )
    return StageDecision(
        "regular", f"session {n} of {total}, with no sign of a stall, a long gap or the end"
    )


def detect_stage(ctx: AgendaContext) -> Stage:
    """The stage of the session, by these rules, first match wins.

    1. **first-session**: ``session_number == 1``.
    2. **graduation**: the session is one of the programme's closing sessions, or past its end.
       The programme holds ``ceil(programme_weeks / interval)`` sessions (interval 1 week,
       2 weeks, or 52/12 weeks for monthly); the last 2 are closing sessions when there are
       8 or more, else the last 1. Also when the prep or notes cue an ending ("graduation",
       "final session", "wrap up the mentorship", "end of the programme", "next chapter",
       "outgrown", "should we stop meeting").
    3. **stalled**: the last 3 (or more) ``progress_flags`` are all false; or a recent note
       says progress is stuck ("stuck", "no progress", "same blocker", "blocked again",
       "stalled", "going round in circles", "nothing moved", "back to square one") and the
       newest progress flag, if any, is not true.
    4. **stale-patch**: the session falls mid-programme (weeks 5-8 of 12, scaled: from week
       ``5W/12`` to the end of week ``8W/12``) and sessions feel formulaic: ``formulaic`` is
       set or the prep/notes say so ("formulaic", "going through the motions", "flat", "lost
       the spark", "a chore", "routine", "bored", "same agenda", "dread", "box-ticking",
       "six-week itch").
    5. **regular** otherwise.
    """
    return explain_stage(ctx).stage


# ============================================================================================
# Time allocation
# ============================================================================================


class BlockShape(NamedTuple):
    """A block's time range for a 60-90 minute session, and whether it grows beyond that.

    Every stage's ranges add up to 60 minutes at the low end and 90 at the high end, so the
    guide's 60-90 minute band maps onto them exactly.
    """

    name: str
    low: int
    high: int
    grows: bool = True


_SHAPES: dict[Stage, tuple[BlockShape, ...]] = {
    # The "No More Wasted Meetings" template. The wrap-up also carries the after-meeting
    # follow-ups, so it stretches from 5 to 10 minutes in a 90-minute session.
    "regular": (
        BlockShape(CHECK_IN, 5, 10, grows=False),
        BlockShape(PROGRESS_REVIEW, 10, 15),
        BlockShape(DEEP_DIVE, 30, 40),
        BlockShape(ACTION_PLANNING, 10, 15),
        BlockShape(WRAP_UP, 5, 10, grows=False),
    ),
    # People before goals: introductions, the Getting Real swap, then the Let's Get Clear
    # agreement and how the mentee learns; first steps and the next meeting.
    "first-session": (
        BlockShape(CHECK_IN, 5, 10, grows=False),
        BlockShape(GETTING_REAL, 15, 20),
        BlockShape(LETS_GET_CLEAR, 25, 30),
        BlockShape(LEARNING_STYLE, 5, 10),
        BlockShape(ACTION_PLANNING, 5, 10),
        BlockShape(WRAP_UP, 5, 10, grows=False),
    ),
    # Vibe-centred: goal talk vetoed, most of the time on something fun for two.
    "stale-patch": (
        BlockShape(CHECK_IN, 5, 10, grows=False),
        BlockShape(RECONNECT, 30, 40),
        BlockShape(RESET_THE_FORMAT, 15, 20),
        BlockShape(LIGHT_ACTION_PLANNING, 5, 10),
        BlockShape(WRAP_UP, 5, 10, grows=False),
    ),
    # The Unstuck diagnosis over the five Cs replaces the deep dive; a re-plan follows.
    "stalled": (
        BlockShape(CHECK_IN, 5, 10, grows=False),
        BlockShape(PROGRESS_REVIEW, 10, 15),
        BlockShape(UNSTUCK_DIAGNOSIS, 25, 35),
        BlockShape(ACTION_PLANNING, 15, 20),
        BlockShape(WRAP_UP, 5, 10, grows=False),
    ),
    # Close or change the mentorship well: assess, then the Next Chapter steps.
    "graduation": (
        BlockShape(CHECK_IN, 5, 10, grows=False),
        BlockShape(PROGRESS_REVIEW, 10, 15),
        BlockShape(GRADUATION_ASSESSMENT, 15, 20),
        BlockShape(NEXT_CHAPTER, 25, 35),
        BlockShape(WRAP_UP, 5, 10, grows=False),
    ),
}


def stage_shape(stage: Stage) -> list[BlockShape]:
    """The blocks of a session at ``stage``, in order, with their time ranges."""
    return list(_SHAPES[stage])


def required_blocks(stage: Stage) -> list[str]:
    """The block names an agenda at ``stage`` must contain."""
    return [shape.name for shape in _SHAPES[stage]]


def min_block_minutes(total: int) -> int:
    """The shortest block allowed: 3 minutes in sessions of 30+ minutes, else 1."""
    return 3 if total >= MIN_MINUTES else 1


def _with_floor(shares: list[Fraction], total: int, floor: int) -> list[Fraction]:
    """Raise shares below ``floor`` to it, taking the time from the others pro rata."""
    pinned: set[int] = set()
    while True:
        free = [i for i in range(len(shares)) if i not in pinned]
        budget = total - floor * len(pinned)
        weight = sum((shares[i] for i in free), Fraction(0))
        scaled = list(shares)
        for i in pinned:
            scaled[i] = Fraction(floor)
        for i in free:
            scaled[i] = shares[i] * budget / weight if weight else Fraction(budget, len(free))
        low = [i for i in free if scaled[i] < floor]
        if not low:
            return scaled
        pinned.update(low)


def _largest_remainder(shares: Sequence[Fraction], total: int) -> list[int]:
    whole = [math.floor(s) for s in shares]
    left = total - sum(whole)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - whole[i]), -shares[i], i))
    for i in order[:left]:
        whole[i] += 1
    return whole


def allocate_minutes(total: int, blocks: Sequence[BlockShape]) -> list[int]:
    """Whole minutes per block, summing exactly to ``total``.

    Method:

    1. Inside the band the ranges span (``L = sum(low)`` to ``H = sum(high)``, 60-90 for every
       stage shape), interpolate every block linearly from its low to its high:
       ``low + (high - low) * (total - L) / (H - L)``. So a 60-minute regular session gets the
       template's short end (5/10/30/10/5), 90 minutes its long end (10/15/40/15/10), and
       every block stays inside its range in between.
    2. Below the band, scale the lows in proportion (``low * total / L``).
    3. Above the band, blocks that don't grow (check-in, wrap-up) stay at their high and the
       growing blocks share the rest in proportion to their highs (so the deep dive, not the
       small talk, gets the extra time of a two-hour session).
    4. No block gets less than :func:`min_block_minutes` (3 for sessions of 30+ minutes):
       short blocks are raised to it and the time comes from the others pro rata.
    5. Round with the largest-remainder method: floor every share, then give the minutes left
       one each to the largest fractional parts (ties: larger share, then earlier block).
       Rounding never moves a block by a whole minute, so it stays within its range.
    6. A session of 45 minutes or more that is a multiple of five is planned in five-minute
       steps, as people plan meetings (10/20/60/20/10 for two hours, not 10/22/57/21/10): the
       same shares and rounding, in units of five minutes, at least one unit a block.
    """
    if not blocks:
        raise ValueError("there are no blocks to allocate minutes to")
    if any(b.low < 0 or b.high < b.low for b in blocks):
        raise ValueError("each block needs 0 <= low <= high")
    floor = min_block_minutes(total)
    if total < floor * len(blocks):
        raise ValueError(
            f"{total} minutes cannot hold {len(blocks)} blocks of at least {floor} minute(s)"
        )
    lows = sum(b.low for b in blocks)
    highs = sum(b.high for b in blocks)
    shares: list[Fraction]
    if lows <= total <= highs:
        t = Fraction(total - lows, highs - lows) if highs > lows else Fraction(0)
        shares = [b.low + (b.high - b.low) * t for b in blocks]
    elif total < lows:
        shares = [Fraction(b.low * total, lows) if lows else Fraction(0) for b in blocks]
    else:
        growing = (
            [b.grows for b in blocks] if any(b.grows for b in blocks) else [True] * len(blocks)
        )
        fixed = sum(b.high for b, g in zip(blocks, growing, strict=True) if not g)
        grow_sum = sum(b.high for b, g in zip(blocks, growing, strict=True) if g)
        shares = [
            Fraction(b.high * (total - fixed), grow_sum) if g else Fraction(b.high)
            for b, g in zip(blocks, growing, strict=True)
        ]
        if grow_sum == 0:
            shares = [Fraction(total, len(blocks))] * len(blocks)
    if total >= 45 and total % 5 == 0 and total >= 5 * len(blocks):
        units = _with_floor([share / 5 for share in shares], total // 5, 1)
        return [5 * unit for unit in _largest_remainder(units, total // 5)]
    return _largest_remainder(_with_floor(shares, total, floor), total)


# ============================================================================================
# The scaffold
# ============================================================================================


def format_open_item(item: OpenItem, on: date | None = None) -> str:
    """``"Ben Okafor: Draft the RFC (due 2026-11-20)"``, or "overdue since" before ``on``.

    An item is called overdue only once its date has passed today too: an agenda or prep email
    read days before the session must not say "overdue since" a date still to come.
    """
    owner = item.owner or "No owner yet"
    due = _due_text(item, on)
    return f"{owner}: {item.action} ({due})" if due else f"{owner}: {item.action}"


def _due_text(item: OpenItem, on: date | None) -> str:
    """``due 2026-11-20`` or ``overdue since 2026-11-20``: one wording for review and prep."""
    if item.due and on and item.due < min(on, date.today()):
        return f"overdue since {item.due.isoformat()}"
    return f"due {item.due.isoformat()}" if item.due else ""


def _review_order(ctx: AgendaContext) -> list[OpenItem]:
    """Overdue items first, then by due date; undated last (stable otherwise)."""
    on = ctx.session_date

    def key(item: OpenItem) -> tuple[int, date]:
        overdue = bool(item.due and on and item.due < on)
        return (0 if overdue else 1 if item.due else 2, item.due or date.max)

    return sorted(ctx.open_items, key=key)


def _mentee_reports_on(item: OpenItem, ctx: AgendaContext) -> bool:
    """Whether the mentee's prep asks about this item: their own, or one nobody owns yet.

    The mentor's items and a third person's are not the mentee's to report on.
    """
    return not item.owner or names_person(item.owner, ctx.mentee, ctx.mentee_short)


def _owner_due(item: OpenItem, on: date | None) -> str:
    owner = item.owner or "no owner yet"
    due = _due_text(item, on)
    return f"{owner}, {due}" if due else owner


_NEXT: dict[str, str] = {
    "weekly": "next week",
    "fortnightly": "in two weeks",
    "monthly": "next month",
}


def _is_final(ctx: AgendaContext) -> bool:
    return ctx.session_number >= total_sessions(ctx.programme_weeks, ctx.cadence)


def short_names(ctx: AgendaContext) -> tuple[str, str]:
    """The mentor's and mentee's names for prose (full names if the short names clash).

    Each person's stored short name when the context has one, else :func:`short_name`.
    """
    mentor = short_name(ctx.mentor, ctx.mentor_short)
    mentee = short_name(ctx.mentee, ctx.mentee_short)
    if mentor.casefold() == mentee.casefold():
        return ctx.mentor, ctx.mentee
    return mentor, mentee


def _items_for(ctx: AgendaContext, stage: Stage, name: str) -> list[str]:
    mentor, mentee = short_names(ctx)
    open_items = [format_open_item(item, ctx.session_date) for item in _review_order(ctx)]
    if name == CHECK_IN:
        if stage == "first-session":
            return [
                "Introductions, answered by both of you: what made you want to work in tech, "
                "and how did you get to the role you have now?",
                "Why did each of you sign up for this mentorship?",
            ]
        if stage == "stale-patch":
            return [
                "Agree up front: no goal talk and no progress updates today, just a chat.",
                "How is each of you doing, at work and outside it?",
            ]
        return ["Short updates from both of you, and how each of you is feeling today."]
    if name == PROGRESS_REVIEW:
        lead = "What happened when you tried things since last time: wins and obstacles."
        if stage == "stalled":
            lead = (
                "What has been tried since the plan stopped moving, and what happened: look at "
                "it together, without blame."
            )
        if not open_items:
            return [lead, "No open items carried over from earlier sessions."]
        if stage == "graduation":
            lead = (
                "For each open item, decide: finish it before the programme ends, hand it "
                "over, or drop it."
            )
        return [lead, *open_items]
    if name == DEEP_DIVE:
        return [
            f"Challenge clarification ({mentee}): the situation, the context, the constraints "
            "and the outcome wanted.",
            f"Mentor's perspective ({mentor}): mental models, stories from experience and "
            "options to consider, with their trade-offs.",
            "Decide next steps together: carry them into action planning.",
        ]
    if name == ACTION_PLANNING:
        if stage == "first-session":
            return [
                "Choose the first goal to work on and what success would look like.",
                "One small first step each, with an owner and a date.",
                f"Set up the prep routine: before each session {mentee} shares progress, "
                f"challenges, questions for {mentor} and a suggested focus.",
            ]
        if stage == "stalled":
            return [
                "Change the approach to fit the cause you found: for clarity, rewrite the next "
                "step; for capability, learn the foundation first; for confidence, smaller and "
                "safer wins; for context, work around or escalate the blocker; for commitment, "
                "resize or pause the goal.",
                f"One small step {mentee} can finish before the next session, with a date.",
                f"How {mentor} will support it (a pairing session, an introduction, a short "
                "check-in message mid-way).",
            ]
        return [
            "Concrete next steps, each with an owner, a date and how you'll know it worked.",
            "The roadblocks you expect, and what you'll do if they show up.",
            "Balance check (Wisdom-to-Action): leave with specific actions, not only ideas.",
        ]
    if name == WRAP_UP:
        if stage == "graduation" and _is_final(ctx):
            confirm = (
                "Confirm the next meeting in the new format agreed above, or agree together "
                "that this was the last formal session."
            )
        else:
            confirm = (
                f"Confirm the next meeting (session {ctx.session_number + 1}, "
                f"{_NEXT[ctx.cadence]}): date, time and what {mentee} will prepare."
            )
        return [
            f"Main takeaways, in {mentee}'s words.",
            confirm,
            f"After the call: {mentor} sends any resources promised; {mentee} writes down the "
            "lessons and action steps; each of you notes what worked today and what didn't.",
        ]
    if name == GETTING_REAL:
        return [
            f"{mentor} shares career highlights and turning points, the principles they work "
            "by, and the biggest failures and what each one taught them.",
            f"{mentor} shares where they can genuinely help, and what is outside their experience.",
            f"{mentee} shares the path so far (detours included), current struggles and the "
            "opportunities ahead.",
            f"{mentee} shares short- and long-term goals, past mentoring experiences (good and "
            "bad) and the skills or knowledge gaps to close.",
        ]
    if name == LETS_GET_CLEAR:
        items = [
            "Purpose & scope: what are we trying to achieve, which skills or areas will we focus "
            "on, and what is off the table?",
            f"Logistics: {ctx.cadence} sessions of {ctx.minutes} minutes over "
            f"{ctx.programme_weeks} weeks? Face to face, video or phone, what happens when one "
            "of us has to cancel, and what prep comes before each session.",
            "Communication: how each of you prefers to communicate, whether small questions "
            "between sessions are welcome, and how feedback travels both ways.",
            "Boundaries & trust: what each of you is comfortable with, and what isn't okay.",
            "Success measures: how will we know this is worth our time, which outcomes are we "
            "after, and when will we review progress?",
            "Timeline: when does the mentorship end, what signals mean it's time to change the "
            "format, and how often will we step back and review?",
        ]
        if ctx.minutes < 90:
            items.append(
                "This conversation usually takes 60-90 minutes on its own: settle purpose, "
                "logistics and success measures today and finish the rest next session."
            )
        return items
    if name == LEARNING_STYLE:
        return [
            "Theory first, or practical examples first?",
            "Visual, auditory, or learning by doing?",
            "Thinking out loud in conversation, or reflecting alone afterwards?",
            "How much structure versus flexibility, and how fast to put new ideas into practice?",
        ]
    if name == RECONNECT:
        return [
            "Pick something relaxed for two: a quick co-op game or puzzle, a walk or coffee "
            "(in person or on video), or swapping favourite side projects.",
            "Share something from outside work: what each of you is reading, building or "
            "looking forward to.",
        ]
    if name == RESET_THE_FORMAT:
        return [
            "What has felt routine about our sessions lately: the same agenda, the same "
            "questions, no room to wander?",
            "Which of the four ingredients has slipped: collaboration, communication, curiosity "
            "or proactivity?",
            "Re-read the expectations agreed at the start: do they still fit, and was anything "
            "left unclear?",
        ]
    if name == LIGHT_ACTION_PLANNING:
        items = [
            "One light change for the next sessions: a different format, place or time, or a "
            f"session {mentee} leads.",
        ]
        if open_items:
            items.append("Parked until next session (no updates today): " + "; ".join(open_items))
        return items
    if name == UNSTUCK_DIAGNOSIS:
        return [
            "Open gently: \"We've been on this for a few sessions. Which of these feels closest "
            "to what's going on?\"",
            "Clarity: does the goal still make sense, and still matter? Are the next steps "
            "concrete enough to start on?",
            "Capability: are the skills this needs there yet, or is some foundational "
            "knowledge missing?",
            "Confidence: is fear of getting it wrong, or impostor syndrome, holding back bolder "
            "moves?",
            "Context: is something in the organisation in the way (a reorg, a code freeze, an "
            "unsupportive manager), or have other priorities crowded the goal out?",
            "Commitment: has motivation changed? Is there enough time and energy right now?",
        ]
    if name == GRADUATION_ASSESSMENT:
        return [
            "Have the development goals you started with been met?",
            "Has the gap in knowledge or skills shrunk significantly?",
            "Is the relationship still giving something unique to both of you?",
            "Would a different structure suit you better now: less frequent check-ins, or a "
            "peer relationship?",
            "Read the answers together: mostly 'done' means plan a good ending or a new format; "
            "goals met but still valuable means new goals or occasional catch-ups.",
        ]
    if name == NEXT_CHAPTER:
        items = [
            "Celebrate specific achievements: name the concrete progress since the first session.",
            "Document key lessons learned: write down the principles and habits worth keeping.",
            "Define the new relationship: a quarterly coffee, ad-hoc questions, or peers who "
            "swap notes.",
            f"Connect {mentee} with other mentors: {mentor} names one or two people to "
            "introduce for the next goals, and follows up with the introductions.",
        ]
        total = total_sessions(ctx.programme_weeks, ctx.cadence)
        if ctx.session_number == total - 1:
            items.insert(
                0,
                "One session to go: start the Next Chapter steps now and finish them in the "
                "final session.",
            )
        elif ctx.session_number < total - 1:
            items.insert(
                0,
                "If the assessment points to ending or changing the format, start these steps "
                "now and finish them in the session you agree will be the last.",
            )
        return items
    raise ValueError(f"unknown block {name!r}")


def build_scaffold(ctx: AgendaContext, stage: Stage | None = None) -> list[AgendaBlock]:
    """The session's blocks with their minutes and the always-true content.

    The progress review (when the stage has one) lists every open item; the stage blocks list
    their framework's steps and questions; the wrap-up confirms the next meeting. With no
    progress review (first session, stale patch), open items are carried in action planning.
    """
    stage = stage or detect_stage(ctx)
    shapes = stage_shape(stage)
    minutes = allocate_minutes(ctx.minutes, shapes)
    blocks = [
        AgendaBlock(name=shape.name, minutes=m, items=_items_for(ctx, stage, shape.name))
        for shape, m in zip(shapes, minutes, strict=True)
    ]
    if ctx.open_items and stage == "first-session":
        for block in blocks:
            if block.name == ACTION_PLANNING:
                block.items.extend(
                    "Carried forward: " + format_open_item(item) for item in ctx.open_items
                )
    return blocks


def prep_checklist(ctx: AgendaContext, stage: Stage | None = None) -> list[str]:
    """The mentee's prep before the session, specific to the pair's open items and goals.

    From the template: progress since last time on each open item, the challenges to
    discuss, questions for the mentor and a suggested focus; adjusted to the stage.
    """
    stage = stage or detect_stage(ctx)
    mentor, goals = short_names(ctx)[0], ctx.goals
    goal_list = "; ".join(goals)
    any_goal = " or ".join(quoted(g) for g in goals[:3])
    if stage == "first-session":
        items = [
            "Your path so far, detours included, and what you're struggling with now.",
            "Your short- and long-term goals"
            + (f" (starting from: {goal_list})" if goals else "")
            + ", and the skills or knowledge gaps you want to close.",
            "Past mentoring experiences, good and bad, and why.",
            "What you want from this mentorship: how often to meet, how to keep in touch "
            "between sessions, and how you'll know it's working.",
            "How you learn best: theory or examples first, by doing, talking or reflecting.",
            f"Questions for {mentor} about their career and how they like to work.",
        ]
        items.extend(
            f"Progress on {quoted(item.action)} ({_owner_due(item, ctx.session_date)})."
            for item in _review_order(ctx)
            if _mentee_reports_on(item, ctx)
        )
        return items
    if stage == "stale-patch":
        return [
            "Nothing to prepare on goals this time.",
            "Bring one idea for something light to do together: a game, a puzzle, a walk, a "
            "side project to show.",
            "Think about what would make our sessions feel fresh again: format, place, time "
            "or who leads.",
        ]
    # In the progress review's order and with its due dates, so the two never disagree.
    items = [
        f"Progress on {quoted(item.action)} ({_owner_due(item, ctx.session_date)}): what's "
        "done, what's left, what got in the way."
        for item in _review_order(ctx)
        if _mentee_reports_on(item, ctx)
    ]
    # The mentor's own items are theirs to report on; the mentee only checks what they need.
    items += [
        f"Anything you need from {mentor} on {quoted(for_other_reader(item.action))}."
        for item in _review_order(ctx)
        # Named as the mentee's side is (full name, the name prose uses, or its first word):
        # an item owned by "Ana" was in neither list when only "Ana Silva" counted here.
        if item.owner
        and names_person(item.owner, ctx.mentor, ctx.mentor_short)
        and not _mentee_reports_on(item, ctx)
    ]
    if stage == "stalled":
        items.append(
            "Which of the five Cs feels closest to what's holding things up: clarity, "
            "capability, confidence, context or commitment?"
        )
    if stage == "graduation":
        items.extend(
            [
                "Your answers to the four graduation questions: goals met? gap shrunk? still "
                "valuable to both? would a different structure suit you better?",
                "Achievements to celebrate and the lessons you want to keep"
                + (f" (looking back at: {goal_list})" if goals else "")
                + ".",
                "What you'd like next: occasional catch-ups, a peer relationship, or "
                "introductions to other mentors.",
            ]
        )
        return items
    items.extend(
        [
            "The specific challenges you want to discuss"
            + (f", e.g. on {any_goal}" if goals else "")
            + ".",
            f"Questions for {mentor}.",
            "Suggested focus: already in your prep; add anything that changed since."
            if ctx.prep.strip()
            else f"A suggested focus for this session, shared with {mentor} in advance.",
        ]
    )
    return items


_QUERIES: dict[Stage, tuple[str, ...]] = {
    "regular": (
        "structure a mentoring session agenda with timed blocks",
        "work through a specific problem the mentee brings to the session",
        "leave the session with concrete action items",
    ),
    "first-session": (
        "first mentoring session agree expectations scope logistics",
        "structure a mentoring session agenda with timed blocks",
        "share career stories backgrounds and motivations early",
        "how does the mentee learn best",
        "what to talk about in the first meeting",
    ),
    "stale-patch": (
        "sessions feel flat like a chore mid-programme reset",
        "structure a mentoring session agenda with timed blocks",
    ),
    "stalled": (
        "diagnose why progress has stalled",
        "structure a mentoring session agenda with timed blocks",
    ),
    "graduation": (
        "decide whether to keep meeting change format or stop",
        "end the mentorship well celebrate lessons introductions",
        "structure a mentoring session agenda with timed blocks",
    ),
}


def retrieval_queries(ctx: AgendaContext, stage: Stage | None = None) -> list[str]:
    """What to search the guide corpus for before drafting this agenda."""
    stage = stage or detect_stage(ctx)
    queries = list(_QUERIES[stage])
    prep = _one_line(ctx.prep)
    if prep and stage in ("regular", "stalled"):
        queries.append(prep[:300])
    return queries


# ============================================================================================
# Checks
# ============================================================================================


def _norm(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(" .;")


@dataclass(frozen=True)
class _Text:
    where: str
    text: str


def _texts(agenda: Agenda) -> list[_Text]:
    texts: list[_Text] = []
    for block in agenda.blocks:
        texts.append(_Text(f"block name {block.name!r}", block.name))
        texts.extend(_Text(f"{block.name}: {item!r}", item) for item in block.items)
    texts.extend(_Text(f"prep checklist: {item!r}", item) for item in agenda.prep_checklist)
    return texts


@lru_cache(maxsize=8192)
def _markers(text: str) -> tuple[str, ...]:
    # Agenda wording repeats from pair to pair (scaffold items, guide phrases), and the
    # detector is the costly part of checking an agenda: a batch of emails checks each once.
    return tuple(detect_markers(text))


def agenda_failures(agenda: Agenda, ctx: AgendaContext, retrieved_ids: set[str]) -> list[str]:
    """Every invariant ``agenda`` breaks (empty when it passes). Both engines must pass.

    - the stage is the detected one, and every block that stage needs is present;
    - ``agenda.minutes`` is the session length and the blocks' minutes sum to it exactly;
    - every block has at least :func:`min_block_minutes` minutes and at least one item;
    - every open item's action appears in the progress review (or, for stages without one,
      somewhere in the agenda);
    - the wrap-up confirms the next meeting;
    - citations (overall and per block) are only of retrieved passages, and each block's
      citations are also among the agenda's;
    - no block name, item or prep-checklist line contains judgemental language (the pair's
      own open items and goals, carried verbatim, are left out of that check).
    """
    failures: list[str] = []
    expected_stage = detect_stage(ctx)
    if agenda.stage != expected_stage:
        failures.append(f"stage is {agenda.stage!r} but the context says {expected_stage!r}")
    names = {_norm(b.name): b for b in agenda.blocks}
    for name in required_blocks(agenda.stage):
        if _norm(name) not in names:
            failures.append(f"missing block {name!r} for stage {agenda.stage!r}")
    if agenda.minutes != ctx.minutes:
        failures.append(f"agenda is {agenda.minutes} minutes, the session is {ctx.minutes}")
    total = sum(b.minutes for b in agenda.blocks)
    if total != ctx.minutes:
        failures.append(f"block minutes sum to {total}, not {ctx.minutes}")
    floor = min_block_minutes(ctx.minutes)
    for block in agenda.blocks:
        if block.minutes < floor:
            failures.append(f"block {block.name!r} has {block.minutes} min (< {floor})")
        if not [i for i in block.items if i.strip()]:
            failures.append(f"block {block.name!r} has no items")
    review = names.get(_norm(PROGRESS_REVIEW))
    if review is not None:
        scope, where = " ".join(review.items), "the progress review"
    else:
        scope, where = " ".join(t.text for t in _texts(agenda)), "the agenda"
    scope = _norm(scope)
    for item in ctx.open_items:
        if _norm(item.action) not in scope:
            failures.append(f"open item {item.action!r} is missing from {where}")
    wrap = names.get(_norm(WRAP_UP))
    if wrap is not None and "next meeting" not in _norm(" ".join(wrap.items)):
        failures.append("the wrap-up does not confirm the next meeting")
    overall = {c.id for c in agenda.citations}
    for cid in sorted(overall - retrieved_ids):
        failures.append(f"citation {cid!r} was not retrieved")
    for block in agenda.blocks:
        for citation in block.citations:
            if citation.id not in retrieved_ids:
                failures.append(f"block {block.name!r} cites {citation.id!r}, not retrieved")
            elif citation.id not in overall:
                failures.append(f"block {block.name!r} cites {citation.id!r}, not in citations")
    # The pair's own words (open items, goals) are carried verbatim; the check is on the rest.
    quoted = sorted({i.action for i in ctx.open_items} | set(ctx.goals), key=len, reverse=True)
    for text in _texts(agenda):
        own = text.text
        for phrase in quoted:
            own = own.replace(phrase, " ")
        markers = _markers(own)
        if markers:
            failures.append(f"judgemental language {list(markers)} in {text.where}")
    return failures
