"""A mentor's key experiences, kept as scenarios for "Years of Experience in Months" simulations.

Each pair has its own library in the store at ``("pair", pair_id, "scenarios")`` (so
``PairStore.forget`` removes it with everything else), and every pair also sees the starter
scenarios shipped in ``agent/data/starter_scenarios.json``. Starters are read-only.

A scenario separates what the mentee may see before answering (``title``, ``situation``,
``constraints``) from what the mentor reveals afterwards (``response``, ``outcome``,
``principles``). :mod:`agent.offline.simulation` checks that an outline never mixes the two.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from langgraph.store.base import BaseStore
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from agent.errors import CoachError, NotFoundError, UserInputError, user_input_error
from agent.memory import PairStore
from agent.text import ascii_words

__all__ = [
    "STARTER_CREATED_AT",
    "Scenario",
    "ScenarioInput",
    "ScenarioStore",
    "ScenarioView",
    "get_starter",
    "parse_scenario_input",
    "starter_scenarios",
]

KIND = "scenarios"
STARTERS_RESOURCE = "starter_scenarios.json"
STARTER_CREATED_AT = datetime(2025, 1, 1, tzinfo=UTC)

TITLE_MAX = 120
TEXT_MAX = {"situation": 2000, "response": 3000, "outcome": 1500}
TEXT_MIN = {"situation": 20, "response": 20, "outcome": 3}
ITEM_MAX = 300
LIST_MAX = {"constraints": 6, "principles": 6, "tags": 10}
TAG_MAX = 30
ID_MAX = 48
_PAGE = 500
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _paragraphs(value: str) -> str:
    """Trim each line and collapse blank runs, keeping paragraph breaks."""
    lines = [" ".join(line.split()) for line in value.strip().splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_LONE_I = re.compile(r"(?<![\w'’-])i(?=(?:['’](?:m|d|ll|ve))?(?![\w'’-]))")
_SENTENCE_START = re.compile(r"(^|[.!?][\"'”’)]*\s+|\n\s*(?:[-*•]\s+)?)([a-z]+)(?=[\s,;:.!?'’]|$)")


def sentence_case(text: str) -> str:
    """``text`` as written, with a capital "I" and a capital at the start of each sentence.

    Mentors often type fast ("two weeks before launch, i asked..."); the story is shown to
    the mentee and quoted in comparisons and plans, so it should read as a story told
    properly. Only all-lowercase words are capitalised ("iOS", "gRPC" stay as written), and
    nothing else changes.
    """

    def capital(m: re.Match[str]) -> str:
        before = m.string[: m.start()].lower()
        if before.endswith(("e.g", "i.e", "etc", "vs", "a.m", "p.m", "approx")):
            return m.group(0)  # an abbreviation's full stop ends no sentence
        return m.group(1) + m.group(2)[0].upper() + m.group(2)[1:]

    return _SENTENCE_START.sub(capital, _LONE_I.sub("I", text))


def slugify(text: str, limit: int = ID_MAX) -> str:
    """A readable id from ``text``: lowercase words joined by hyphens, cut at a word boundary."""
    words = ascii_words(text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "scenario")


class ScenarioInput(BaseModel):
    """What a mentor gives to record one of their key experiences."""

    title: str
    situation: str
    constraints: list[str] = Field(default_factory=list)
    response: str
    outcome: str
    principles: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        title = _one_line(value)
        if not title:
            raise ValueError("title must not be empty")
        if len(title) > TITLE_MAX:
            raise ValueError(f"title must be at most {TITLE_MAX} characters")
        return sentence_case(title)

    @field_validator("situation", "response", "outcome")
    @classmethod
    def _text(cls, value: str, info: Any) -> str:
        name = str(info.field_name)
        text = _paragraphs(value)
        if not text:
            raise ValueError(f"{name} must not be empty")
        if len(text) < TEXT_MIN[name]:
            raise ValueError(f"{name} must be at least {TEXT_MIN[name]} characters")
        if len(text) > TEXT_MAX[name]:
            raise ValueError(f"{name} must be at most {TEXT_MAX[name]} characters")
        return sentence_case(text)

    @field_validator("constraints", "principles")
    @classmethod
    def _items(cls, value: list[str], info: Any) -> list[str]:
        name = str(info.field_name)
        items = list(dict.fromkeys(sentence_case(_one_line(v)) for v in value if v.strip()))
        if len(items) > LIST_MAX[name]:
            raise ValueError(f"at most {LIST_MAX[name]} {name}")
        if any(len(item) > ITEM_MAX for item in items):
            raise ValueError(f"each of the {name} must be at most {ITEM_MAX} characters")
        return items

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        tags = list(dict.fromkeys(slugify(t, TAG_MAX) for t in value if t.strip()))
        if len(tags) > LIST_MAX["tags"]:
            raise ValueError(f"at most {LIST_MAX['tags']} tags")
        return tags

    @model_validator(mode="after")
    def _response_kept_apart(self) -> ScenarioInput:
        response = _one_line(self.response).casefold()
        shown = " ".join([self.title, self.situation, *self.constraints]).casefold()
        if response in _one_line(shown):
            raise ValueError(
                "the situation must not contain the response: describe what happened before "
                "you acted, and put what you did in the response"
            )
        return self


class Scenario(ScenarioInput):
    """A stored scenario: a pair's own (``starter=False``) or a shipped starter."""

    id: str
    starter: bool = False
    created_at: datetime

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _SLUG.match(value) or len(value) > ID_MAX:
            raise ValueError(f"scenario id {value!r} must be a lowercase slug (a-z, 0-9, -)")
        return value


class ScenarioView(BaseModel):
    """A scenario as shown: the response, outcome and principles only when revealed.

    Hidden by default, because a mentee who reads them first loses the exercise; nothing can
    authenticate who runs the CLI, so revealing is an explicit choice (``--reveal``).
    """

    id: str
    title: str
    situation: str
    constraints: list[str]
    tags: list[str]
    starter: bool
    created_at: datetime
    revealed: bool
    response: str | None = None
    outcome: str | None = None
    principles: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, scenario: Scenario, *, reveal: bool = False) -> ScenarioView:
        """The view of ``scenario``; the mentor's side only with ``reveal``."""
        shown = scenario.model_dump(include={"id", "title", "situation", "constraints", "tags"})
        secret = (
            scenario.model_dump(include={"response", "outcome", "principles"}) if reveal else {}
        )
        return cls(
            **shown,
            **secret,
            starter=scenario.starter,
            created_at=scenario.created_at,
            revealed=reveal,
        )


def parse_scenario_input(**values: Any) -> ScenarioInput:
    """Validate user-given scenario fields, turning the first problem into a one-line error."""
    from agent.text import clean_value

    try:
        return ScenarioInput(**clean_value(values))
    except ValidationError as exc:
        raise user_input_error(exc) from exc


# -- starters ------------------------------------------------------------------------------
@cache
def _starters() -> tuple[Scenario, ...]:
    path = resources.files("agent") / "data" / STARTERS_RESOURCE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        scenarios = tuple(
            Scenario(**entry, starter=True, created_at=STARTER_CREATED_AT)
            for entry in raw["scenarios"]
        )
    except (OSError, KeyError, TypeError, json.JSONDecodeError, ValidationError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CoachError(f"the starter scenarios could not be loaded: {first}") from exc
    ids = [s.id for s in scenarios]
    if len(set(ids)) != len(ids):
        raise CoachError("the starter scenarios have duplicate ids")
    return scenarios


def starter_scenarios() -> list[Scenario]:
    """The shipped starter scenarios (fresh copies, in file order), each with ``starter=True``."""
    return [s.model_copy(deep=True) for s in _starters()]


def get_starter(scenario_id: str) -> Scenario:
    """One starter scenario by id, or NotFoundError."""
    for scenario in _starters():
        if scenario.id == scenario_id:
            return scenario.model_copy(deep=True)
    known = ", ".join(s.id for s in _starters())
    raise NotFoundError(f"no starter scenario {scenario_id!r} (starters: {known})")


# -- the per-pair library ------------------------------------------------------------------
class ScenarioStore:
    """A pair's scenario library over any LangGraph BaseStore, plus the read-only starters."""

    def __init__(self, store: BaseStore) -> None:
        self.store = store
        self.pairs = PairStore(store)

    @staticmethod
    def namespace(pair_id: str) -> tuple[str, ...]:
        """Where the pair's own scenarios live."""
        return ("pair", pair_id, KIND)

    def _own(self, pair_id: str) -> list[Scenario]:
        items: list[Any] = []
        offset = 0
        while True:
            page = self.store.search(self.namespace(pair_id), limit=_PAGE, offset=offset)
            items.extend(page)
            if len(page) < _PAGE:
                break
            offset += _PAGE
        own = [Scenario.model_validate(item.value) for item in items]
        return sorted(own, key=lambda s: (s.created_at, s.id))

    def add(self, pair_id: str, data: ScenarioInput) -> Scenario:
        """Store a new scenario for the pair; its id is a readable slug of the title, unique."""
        self.pairs.get(pair_id)
        own = self._own(pair_id)
        same = next((s for s in own if s.title.casefold() == data.title.casefold()), None)
        if same is not None:  # most often the same story added twice
            raise UserInputError(
                f"the pair already has a scenario titled {data.title!r} ({same.id}); "
                "give this one a title of its own"
            )
        taken = {s.id for s in own} | {s.id for s in _starters()}
        base = slugify(data.title)
        scenario_id, suffix = base, 2
        while scenario_id in taken:
            tail = f"-{suffix}"
            scenario_id = f"{base[: ID_MAX - len(tail)].rstrip('-')}{tail}"
            suffix += 1
        scenario = Scenario(
            **data.model_dump(), id=scenario_id, starter=False, created_at=datetime.now(UTC)
        )
        self.store.put(self.namespace(pair_id), scenario_id, scenario.model_dump(mode="json"))
        return scenario

    def list(self, pair_id: str, include_starters: bool = True) -> list[Scenario]:
        """The pair's own scenarios (oldest first), then the starters (``starter=True``)."""
        self.pairs.get(pair_id)
        own = self._own(pair_id)
        return own + starter_scenarios() if include_starters else own

    def get(self, pair_id: str, scenario_id: str) -> Scenario:
        """One of the pair's scenarios or a starter, or NotFoundError."""
        self.pairs.get(pair_id)
        item = self.store.get(self.namespace(pair_id), scenario_id)
        if item is not None:
            return Scenario.model_validate(item.value)
        for starter in _starters():
            if starter.id == scenario_id:
                return starter.model_copy(deep=True)
        known = [s.id for s in self._own(pair_id)] + [s.id for s in _starters()]
        shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
        raise NotFoundError(
            f"pair {pair_id!r} has no scenario {scenario_id!r} (available: {shown})"
        )

    def remove(self, pair_id: str, scenario_id: str) -> Scenario:
        """Delete one of the pair's own scenarios and return it; starters cannot be removed."""
        scenario = self.get(pair_id, scenario_id)
        if scenario.starter:
            raise UserInputError(
                f"{scenario_id!r} is a starter scenario and cannot be removed; "
                "only scenarios the pair added can be"
            )
        self.store.delete(self.namespace(pair_id), scenario_id)
        return scenario
