"""A pair's scenario library: starters, validation, readable ids, CRUD and its errors."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.store.memory import InMemoryStore

from agent.errors import NotFoundError, UserInputError
from agent.memory import PairStore, parse_pair_input
from agent.offline.judgement import detect_markers
from agent.scenarios import (
    Scenario,
    ScenarioInput,
    ScenarioStore,
    get_starter,
    parse_scenario_input,
    starter_scenarios,
)
from agent.stores import open_sqlite

REQUIRED_STARTER_TOPICS = {
    "incident",  # a production incident at 2 a.m.
    "disagreement",  # disagreeing with a tech lead's design
    "code-review",  # a harsh code review received
    "scope",  # scope creep from a stakeholder
    "performance-review",  # a first performance review
    "estimation",  # being asked to estimate something unknown
}


def _input(**extra: object) -> ScenarioInput:
    values: dict[str, object] = {
        "title": "Pushing back on a launch date",
        "situation": "Marketing announced a launch date two weeks earlier than the team planned.",
        "constraints": ["The press release is already written.", "Two engineers are on leave."],
        "response": "I listed what could ship by the new date and asked which half mattered most.",
        "outcome": "We launched a smaller feature on the announced date.",
        "principles": ["Offer options instead of a flat no."],
        "tags": ["Planning", "stakeholders"],
    }
    values.update(extra)
    return parse_scenario_input(**values)


@pytest.fixture(params=["memory", "sqlite"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[PairStore, str]]:
    """A scenario library with one pair, over the in-memory store and the SQLite one."""
    if request.param == "memory":
        pairs = PairStore(InMemoryStore(), InMemorySaver())
        pair = pairs.add(parse_pair_input(mentor="Ada Lovelace", mentee="Ben Okafor"))
        yield pairs, pair.id
        return
    saver, store, conn = open_sqlite(tmp_path / "coach.sqlite")
    pairs = PairStore(store, saver)
    pair = pairs.add(parse_pair_input(mentor="Ada Lovelace", mentee="Ben Okafor"))
    yield pairs, pair.id
    conn.close()


# -- starters ------------------------------------------------------------------------------
def test_starters_load_valid_and_cover_the_required_situations() -> None:
    starters = starter_scenarios()
    assert len(starters) >= 6
    ids = [s.id for s in starters]
    assert len(set(ids)) == len(ids)
    tags = {t for s in starters for t in s.tags}
    assert tags >= REQUIRED_STARTER_TOPICS
    for scenario in starters:
        assert scenario.starter is True
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", scenario.id)
        assert 2 <= len(scenario.constraints) <= 4, scenario.id
        assert 2 <= len(scenario.principles) <= 4, scenario.id
        assert scenario.tags, scenario.id
        assert len(scenario.response.split()) >= 40, scenario.id  # concrete, not a platitude
        assert len(scenario.situation.split()) >= 40, scenario.id
        for text in [
            scenario.title,
            scenario.situation,
            *scenario.constraints,
            scenario.response,
            scenario.outcome,
            *scenario.principles,
        ]:
            assert detect_markers(text) == [], (scenario.id, text)


def test_starter_file_is_package_data_and_round_trips() -> None:
    path = resources.files("agent") / "data" / "starter_scenarios.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert [e["id"] for e in raw["scenarios"]] == [s.id for s in starter_scenarios()]
    for entry in raw["scenarios"]:
        assert set(entry) == {
            "id",
            "title",
            "situation",
            "constraints",
            "response",
            "outcome",
            "principles",
            "tags",
        }


def test_starters_are_copies_and_get_starter_finds_them() -> None:
    first = starter_scenarios()[0]
    first.principles.append("mutated")
    assert "mutated" not in starter_scenarios()[0].principles
    assert get_starter(first.id).id == first.id
    with pytest.raises(NotFoundError, match="no starter scenario 'nope'"):
        get_starter("nope")


# -- validation ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "title must not be empty"),
        ("title", "x" * 121, "title must be at most 120 characters"),
        ("situation", "", "situation must not be empty"),
        ("situation", "Too short.", "situation must be at least 20 characters"),
        ("response", "y" * 3001, "response must be at most 3000 characters"),
        ("outcome", "  ", "outcome must not be empty"),
        ("constraints", ["c"] * 0 + [f"c{i}" for i in range(7)], "at most 6 constraints"),
        ("principles", ["p" * 301], "each of the principles must be at most 300 characters"),
    ],
)
def test_input_errors_are_one_line_and_name_the_field(
    field: str, value: object, message: str
) -> None:
    with pytest.raises(UserInputError) as info:
        _input(**{field: value})
    text = str(info.value)
    assert "\n" not in text
    assert message in text


def test_the_situation_cannot_contain_the_response() -> None:
    response = "I listed what could ship by the new date and asked which half mattered most."
    with pytest.raises(UserInputError, match="must not contain the response"):
        _input(situation=f"Marketing moved the date. {response}", response=response)


def test_input_is_normalised() -> None:
    data = _input(
        title="  Pushing   back\non a date ",
        constraints=["  one  ", "", "one", "two"],
        tags=["Legacy Code", "legacy-code", " "],
    )
    assert data.title == "Pushing back on a date"
    # Trimmed, deduplicated and sentence-cased (each constraint is shown as a line of its own).
    assert data.constraints == ["One", "Two"]
    assert data.tags == ["legacy-code"]


# -- the per-pair library ------------------------------------------------------------------
def test_add_get_list_with_readable_unique_ids(stores: tuple[PairStore, str]) -> None:
    pairs, pair_id = stores
    library = ScenarioStore(pairs.store)
    first = library.add(pair_id, _input())
    # The same title again is most often the same story added twice: refused, nothing stored.
    with pytest.raises(UserInputError, match="already has a scenario titled"):
        library.add(pair_id, _input(title=first.title.upper()))
    second = library.add(pair_id, _input(title=f"{first.title}!"))
    assert first.id == "pushing-back-on-a-launch-date"
    assert second.id == "pushing-back-on-a-launch-date-2"
    assert first.starter is False and first.created_at.tzinfo is not None
    assert library.get(pair_id, first.id) == first

    listed = library.list(pair_id)
    starters = starter_scenarios()
    assert [s.id for s in listed] == [first.id, second.id, *[s.id for s in starters]]
    assert [s.starter for s in listed] == [False, False] + [True] * len(starters)
    assert [s.id for s in library.list(pair_id, include_starters=False)] == [first.id, second.id]
    assert library.get(pair_id, starters[0].id).starter is True


def test_an_own_scenario_never_shadows_a_starter(stores: tuple[PairStore, str]) -> None:
    pairs, pair_id = stores
    library = ScenarioStore(pairs.store)
    starter = starter_scenarios()[0]
    own = library.add(pair_id, _input(title=starter.id.replace("-", " ").title()))
    assert own.id == f"{starter.id}-2"
    assert library.get(pair_id, starter.id).starter is True


def test_long_titles_give_short_ids(stores: tuple[PairStore, str]) -> None:
    pairs, pair_id = stores
    library = ScenarioStore(pairs.store)
    title = "The week our whole payments platform went down during the biggest sale of the year"
    first = library.add(pair_id, _input(title=title))
    second = library.add(pair_id, _input(title=f"{title}, again"))
    assert len(first.id) <= 48 and len(second.id) <= 48
    assert second.id.endswith("-2") and first.id != second.id


def test_libraries_are_per_pair(stores: tuple[PairStore, str]) -> None:
    pairs, pair_id = stores
    other = pairs.add(parse_pair_input(mentor="Grace Hopper", mentee="Sam Lee")).id
    library = ScenarioStore(pairs.store)
    own = library.add(pair_id, _input())
    assert library.list(other, include_starters=False) == []
    with pytest.raises(NotFoundError, match=f"pair '{other}' has no scenario '{own.id}'"):
        library.get(other, own.id)


def test_errors(stores: tuple[PairStore, str]) -> None:
    pairs, pair_id = stores
    library = ScenarioStore(pairs.store)
    with pytest.raises(NotFoundError) as info:
        library.get(pair_id, "no-such-scenario")
    message = str(info.value)
    assert "\n" not in message and "'no-such-scenario'" in message
    assert starter_scenarios()[0].id in message  # says what is available
    with pytest.raises(NotFoundError, match="no pair with id 'ghost'"):
        library.add("ghost", _input())
    with pytest.raises(NotFoundError, match="no pair with id 'ghost'"):
        library.list("ghost")
    starter_id = starter_scenarios()[0].id
    with pytest.raises(UserInputError, match="starter scenario and cannot be removed") as err:
        library.remove(pair_id, starter_id)
    assert not isinstance(err.value, NotFoundError)
    assert library.get(pair_id, starter_id).starter


def test_remove(stores: tuple[PairStore, str]) -> None:
    pairs, pair_id = stores
    library = ScenarioStore(pairs.store)
    own = library.add(pair_id, _input())
    removed = library.remove(pair_id, own.id)
    assert removed == own
    assert [s.id for s in library.list(pair_id, include_starters=False)] == []
    with pytest.raises(NotFoundError):
        library.remove(pair_id, own.id)
    # The id is free again.
    assert library.add(pair_id, _input()).id == own.id


def test_forgetting_the_pair_removes_its_scenarios(stores: tuple[PairStore, str]) -> None:
    pairs, pair_id = stores
    library = ScenarioStore(pairs.store)
    library.add(pair_id, _input())
    assert pairs.store.search(ScenarioStore.namespace(pair_id))
    pairs.forget(pair_id)
    assert pairs.store.search(ScenarioStore.namespace(pair_id)) == []


def test_stored_value_is_plain_json(stores: tuple[PairStore, str]) -> None:
    pairs, pair_id = stores
    own = ScenarioStore(pairs.store).add(pair_id, _input())
    item = pairs.store.get(("pair", pair_id, "scenarios"), own.id)
    assert item is not None
    json.dumps(item.value)
    assert Scenario.model_validate(item.value) == own
